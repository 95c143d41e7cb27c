#!/usr/bin/env bash
# Restore a dump made by scripts/backup.sh into a database.
#
#   scripts/restore.sh DUMP_FILE TARGET_DATABASE_URL
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
  echo "usage: $0 DUMP_FILE TARGET_DATABASE_URL" >&2
  exit 2
fi
dump=$1
if [[ ! -r $dump ]]; then
  echo "error: cannot read dump file $dump" >&2
  exit 1
fi
pg_connection "$2"

clean=()
if [[ ${RESTORE_CLEAN:-0} == 1 ]]; then
  clean=(--clean --if-exists)
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction "${clean[@]}" \
  --dbname="$PG_CONNINFO" "$dump"
echo "restored $dump"
