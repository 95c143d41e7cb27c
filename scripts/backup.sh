#!/usr/bin/env bash
# Back up Stride's PostgreSQL database to a timestamped, encrypted custom-format dump.
#
#   DATABASE_URL=postgres://user:password@host:5432/stride \
#   BACKUP_PUBLIC_KEY_FILE=/etc/stride/backup-public.asc scripts/backup.sh [OUTPUT_DIR]
#
# OUTPUT_DIR defaults to $BACKUP_DIR, then var/backups. Prints the backup's path.
# The dump holds health data, so it is encrypted with GnuPG to the public key in
# BACKUP_PUBLIC_KEY_FILE (an OpenPGP public key, armoured or binary): the host that
# makes backups never holds the key that reads them. The file is written owner-only
# (umask 077) as stride-<time>.dump.gpg. Restore with scripts/restore.sh and the
# matching private key.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/_pg.sh
. "$here/_pg.sh"

: "${DATABASE_URL:?DATABASE_URL is not set (postgres://user:password@host:5432/dbname)}"
pg_connection "$DATABASE_URL"
key=${BACKUP_PUBLIC_KEY_FILE:-}
if [[ -z $key || ! -r $key ]]; then
  echo "error: BACKUP_PUBLIC_KEY_FILE must name a readable OpenPGP public key file: backups are encrypted" >&2
  exit 1
fi
out_dir=${1:-${BACKUP_DIR:-var/backups}}

umask 077
mkdir -p "$out_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
file="$out_dir/stride-$stamp.dump.gpg"
[[ -e $file ]] && file="$out_dir/stride-$stamp-$$.dump.gpg"
work=$(mktemp -d)
partial="$file.partial"
trap 'gpgconf --homedir "$work" --kill gpg-agent 2>/dev/null || true; rm -rf "$work"; rm -f "$partial"' EXIT

# Custom format (-Fc): compressed, and pg_restore can pick or reorder objects.
# No owners or grants: the dump restores into a database owned by whoever restores it.
pg_dump --format=custom --no-owner --no-privileges --file="$work/stride.dump" --dbname="$PG_CONNINFO"
# A dump that pg_restore cannot read is not a backup (checked before encrypting:
# this host cannot decrypt it afterwards).
pg_restore --list "$work/stride.dump" >/dev/null
# A throwaway keyring: the key comes from the file alone, nothing is imported anywhere.
gpg --batch --quiet --homedir "$work" --trust-model always --recipient-file "$key" \
  --output "$partial" --encrypt "$work/stride.dump"
rm -f "$work/stride.dump"
mv "$partial" "$file"
echo "$file"
