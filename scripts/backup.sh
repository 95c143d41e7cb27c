#!/usr/bin/env bash
# Back up Stride's PostgreSQL database to a timestamped custom-format dump.
#
#   DATABASE_URL=postgres://user:password@host:5432/stride scripts/backup.sh [OUTPUT_DIR]
#
# OUTPUT_DIR defaults to $BACKUP_DIR, then var/backups. Prints the dump's path.
# The dump holds health data: it is written owner-only (umask 077); keep it
# encrypted at rest and off the database host. Restore with scripts/restore.sh.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/_pg.sh
. "$here/_pg.sh"

: "${DATABASE_URL:?DATABASE_URL is not set (postgres://user:password@host:5432/dbname)}"
out_dir=${1:-${BACKUP_DIR:-var/backups}}
pg_connection "$DATABASE_URL"

umask 077
mkdir -p "$out_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
file="$out_dir/stride-$stamp.dump"
[[ -e $file ]] && file="$out_dir/stride-$stamp-$$.dump"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

# Custom format (-Fc): compressed, and pg_restore can pick or reorder objects.
# No owners or grants: the dump restores into a database owned by whoever restores it.
pg_dump --format=custom --no-owner --no-privileges --file="$partial" --dbname="$PG_CONNINFO"
# A dump that pg_restore cannot read is not a backup.
pg_restore --list "$partial" >/dev/null
mv "$partial" "$file"
echo "$file"
