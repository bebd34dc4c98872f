#!/usr/bin/env bash
# Restore a backup of deploy/backup.sh into a NEW, empty database and an empty bucket or media
# folder, then prove it: the row counts match the backup's and `manage.py verify_audit` passes.
#
#   createdb guichet_restored
#   DATABASE_URL=postgres://…/guichet_restored deploy/restore.sh /backups/guichet-2026-12-01
#
# Needs the application's environment (GUICHET_SECRET_KEY, GUICHET_AUDIT_SIGNING_KEY_FILE — the
# same audit key —, GUICHET_S3_* or GUICHET_MEDIA_ROOT). Exit 1 when anything does not match.
set -euo pipefail
src=${1:?usage: deploy/restore.sh BACKUP_FOLDER}
src=$(cd "$src" && pwd)
cd "$(dirname "$0")/.."
PY=${GUICHET_PYTHON:-$(pwd)/.venv/bin/python}
: "${DATABASE_URL:?DATABASE_URL must name the new, empty database}"

(cd "$src" && sha256sum --quiet --check SHA256SUMS) || { echo "restore: the backup is damaged" >&2; exit 1; }
"$PY" deploy/backup_tool.py empty "$DATABASE_URL"
to_s3=
if [ "$(cat "$src/files.kind")" = s3 ] || [ -n "${GUICHET_S3_BUCKET:-}" ]; then
  to_s3=1
  # Like the database, the bucket must be new: files of another state would mix with these.
  "$PY" deploy/backup_tool.py s3-empty
fi
pg_restore --exit-on-error --no-owner --no-privileges --dbname "$DATABASE_URL" "$src/guichet.dump"
if [ -n "$to_s3" ]; then
  "$PY" deploy/backup_tool.py s3-upload "$src/files"
else
  media=${GUICHET_MEDIA_ROOT:-var/media}
  mkdir -p "$media"
  cp -a "$src/files/." "$media/"
fi
"$PY" deploy/backup_tool.py compare "$src/row-counts.json" "$DATABASE_URL"
# The restored trail must verify against its restored checkpoints; no new checkpoint is written.
"$PY" manage.py verify_audit --no-checkpoint
echo "restore: done, the audit trail verifies"
