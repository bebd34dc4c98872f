"""Helpers of deploy/backup.sh and deploy/restore.sh (standard library, psycopg and boto3).

backup_tool.py counts DATABASE_URL            every table's exact row count, as JSON
backup_tool.py compare MANIFEST DATABASE_URL  exit 1 listing the tables whose counts differ
backup_tool.py empty DATABASE_URL             exit 1 when the database already has tables
backup_tool.py s3-download DIR                copy the bucket GUICHET_S3_BUCKET into DIR
backup_tool.py s3-upload DIR                  copy DIR into the bucket (same keys)
backup_tool.py s3-empty                       exit 1 when the bucket already holds objects
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import psycopg
from psycopg import sql


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def _s3():
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=os.environ.get("GUICHET_S3_ENDPOINT_URL") or None,
        region_name=os.environ.get("GUICHET_S3_REGION") or None,
        aws_access_key_id=os.environ.get("GUICHET_S3_ACCESS_KEY") or None,
        aws_secret_access_key=os.environ.get("GUICHET_S3_SECRET_KEY") or None,
    )


def s3_download(folder: Path) -> int:
    client, bucket, count = _s3(), os.environ["GUICHET_S3_BUCKET"], 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            target = folder / item["Key"]
            if not target.resolve().is_relative_to(folder.resolve()):
                raise SystemExit(f"refusing the object key {item['Key']!r} (outside the folder)")
            target.parent.mkdir(parents=True, exist_ok=True)
            client.download_file(bucket, item["Key"], str(target))
            count += 1
    return count


def s3_is_empty() -> bool:
    listing = _s3().list_objects_v2(Bucket=os.environ["GUICHET_S3_BUCKET"], MaxKeys=1)
    return not listing.get("Contents")


def s3_upload(folder: Path) -> int:
    client, bucket, count = _s3(), os.environ["GUICHET_S3_BUCKET"], 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        client.upload_file(str(path), bucket, path.relative_to(folder).as_posix())
        count += 1
    return count


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "counts":
        print(json.dumps(row_counts(args[0]), indent=1, sort_keys=True))
    elif command == "compare":
        expected = json.loads(Path(args[0]).read_text())
        found = row_counts(args[1])
        wrong = {
            table: (count, found.get(table))
            for table, count in expected.items()
            if found.get(table) != count
        }
        wrong.update({t: (None, c) for t, c in found.items() if t not in expected})
        for table, (before, after) in sorted(wrong.items()):
            print(f"row counts differ: {table}: {before} in the backup, {after} restored")
        if wrong:
            return 1
        print(f"row counts match: {len(found)} tables, {sum(found.values())} rows")
    elif command == "empty":
        tables = row_counts(args[0])
        if tables:
            print(
                f"the target database is not empty ({len(tables)} tables): restore into a new one"
            )
            return 1
    elif command == "s3-download":
        print(f"{s3_download(Path(args[0]))} objects copied from the bucket")
    elif command == "s3-empty":
        if not s3_is_empty():
            bucket = os.environ["GUICHET_S3_BUCKET"]
            print(f"the bucket {bucket} is not empty: restore into a new one")
            return 1
    elif command == "s3-upload":
        print(f"{s3_upload(Path(args[0]))} objects copied into the bucket")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
