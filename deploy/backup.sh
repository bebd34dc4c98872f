#!/usr/bin/env bash
# Back up Guichet: the database (pg_dump, custom format) and the stored files (the S3 bucket, or
# the media folder), with the row count of every table. docs/deploy.md, "Backups and restore".
#
#   deploy/backup.sh /backups/guichet-$(date +%F)
#
# Reads the application's environment: DATABASE_URL, and GUICHET_S3_* or GUICHET_MEDIA_ROOT.
# The dump is one consistent snapshot; files are copied after it, so every file the database names
# is in the copy. The audit signing key is NOT in the backup (keep it apart: docs/deploy.md).
set -euo pipefail
dest=${1:?usage: deploy/backup.sh DESTINATION_FOLDER}
cd "$(dirname "$0")/.."
PY=${GUICHET_PYTHON:-$(pwd)/.venv/bin/python}
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database to back up}"
[ -e "$dest" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ] && { echo "backup: $dest is not empty" >&2; exit 1; }
mkdir -p "$dest/files"
umask 077

pg_dump --format=custom --no-owner --no-privileges --file "$dest/guichet.dump" "$DATABASE_URL"
"$PY" deploy/backup_tool.py counts "$DATABASE_URL" >"$dest/row-counts.json"
if [ -n "${GUICHET_S3_BUCKET:-}" ]; then
  "$PY" deploy/backup_tool.py s3-download "$dest/files"
  echo s3 >"$dest/files.kind"
else
  media=${GUICHET_MEDIA_ROOT:-var/media}
  [ -d "$media" ] && cp -a "$media/." "$dest/files/"
  echo media >"$dest/files.kind"
fi
(cd "$dest" && find . -type f ! -name SHA256SUMS -print0 | sort -z | xargs -0 sha256sum >SHA256SUMS)
echo "backup: $dest ($(du -sh "$dest" | cut -f1), $(find "$dest/files" -type f | wc -l) files)"
