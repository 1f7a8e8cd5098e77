#!/usr/bin/env bash
# Restores a custom-format backup into the (empty or existing) database named by DATABASE_URL,
# replacing what is there. Usage: DATABASE_URL=postgres://... bash scripts/restore.sh FILE
set -euo pipefail
: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to restore into}"
source_file=${1:?Name the backup file to restore}
[ -f "$source_file" ] || { echo "no such backup: $source_file" >&2; exit 1; }
# --single-transaction: a failed restore leaves the database as it was.
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
  --dbname "$DATABASE_URL" "$source_file"
echo "restored $source_file"
