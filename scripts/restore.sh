#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a database.
#
#   BACKUP_PRIVATE_KEY_FILE=/secure/backup-private.asc \
#   scripts/restore.sh BACKUP_FILE TARGET_DATABASE_URL
#
# BACKUP_FILE is an encrypted backup (*.dump.gpg): it is decrypted with the
# OpenPGP private key in BACKUP_PRIVATE_KEY_FILE (its passphrase, if it has one,
# in the file named by BACKUP_KEY_PASSPHRASE_FILE) and streamed to pg_restore, so
# the plain dump never touches the disk. A plain dump (*.dump, from before backups
# were encrypted) is restored as it is.
#
# The target database must exist (createdb, or CREATE DATABASE) and should be
# empty: the restore runs in one transaction and stops at the first error, so
# a clash with existing tables leaves the target untouched. RESTORE_CLEAN=1
# drops the dump's objects in the target first (overwrites: use with care).
# Triggers (change history, append-only audit tables) are restored after the
# data, so restoring does not add history rows.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/_pg.sh
. "$here/_pg.sh"

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BACKUP_FILE TARGET_DATABASE_URL" >&2
  exit 2
fi
dump=$1
if [[ ! -r $dump ]]; then
  echo "error: cannot read backup file $dump" >&2
  exit 1
fi
pg_connection "$2"

clean=()
if [[ ${RESTORE_CLEAN:-0} == 1 ]]; then
  clean=(--clean --if-exists)
fi
restore=(pg_restore --no-owner --no-privileges --exit-on-error --single-transaction "${clean[@]}"
  --dbname="$PG_CONNINFO")

if [[ $dump == *.gpg ]]; then
  key=${BACKUP_PRIVATE_KEY_FILE:-}
  if [[ -z $key || ! -r $key ]]; then
    echo "error: BACKUP_PRIVATE_KEY_FILE must name the readable private key of the backups" >&2
    exit 1
  fi
  umask 077
  keyring=$(mktemp -d)
  trap 'gpgconf --homedir "$keyring" --kill gpg-agent 2>/dev/null || true; rm -rf "$keyring"' EXIT
  passphrase=()
  if [[ -n ${BACKUP_KEY_PASSPHRASE_FILE:-} ]]; then
    passphrase=(--pinentry-mode loopback --passphrase-file "$BACKUP_KEY_PASSPHRASE_FILE")
  fi
  # A throwaway keyring holds the private key for this restore only.
  gpg --batch --quiet --homedir "$keyring" "${passphrase[@]}" --import "$key"
  gpg --batch --quiet --homedir "$keyring" "${passphrase[@]}" --decrypt "$dump" | "${restore[@]}"
else
  "${restore[@]}" "$dump"
fi
echo "restored $dump"
