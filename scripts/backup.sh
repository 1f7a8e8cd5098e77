#!/usr/bin/env bash
# Backup of the PostgreSQL database named by DATABASE_URL, in pg_dump's custom format.
# Usage: DATABASE_URL=postgres://... bash scripts/backup.sh [FILE]   (default backups/dtv-<time>.dump)
set -euo pipefail
: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to back up}"
target=${1:-backups/dtv-$(date -u +%Y%m%dT%H%M%SZ).dump}
mkdir -p "$(dirname "$target")"
pg_dump --format=custom --no-owner --no-privileges --file "$target" "$DATABASE_URL"
echo "backup written to $target"
