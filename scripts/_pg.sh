# Sourced by backup.sh and restore.sh: turn a DATABASE_URL into what libpq takes.
#
# pg_connection URL sets PG_CONNINFO (the URL without its password, scheme
# normalised to postgresql://) and exports PGPASSWORD, so the password never
# appears on a command line (visible to every local user in `ps`).

pg_urldecode() {
  local encoded=${1//%/\\x}
  printf '%b' "$encoded"
}

pg_connection() {
  local url=$1
  local pattern='^(postgres|postgresql|pgsql|postgis)://(([^:@/]*)(:([^@/]*))?@)?(.*)$'
  if [[ ! $url =~ $pattern ]]; then
    echo "error: not a PostgreSQL URL (postgres://user:password@host:5432/dbname)" >&2
    return 1
  fi
  local user=${BASH_REMATCH[3]} password=${BASH_REMATCH[5]} rest=${BASH_REMATCH[6]}
  if [[ -n $password ]]; then
    PGPASSWORD=$(pg_urldecode "$password")
    export PGPASSWORD
  fi
  PG_CONNINFO="postgresql://${user:+$user@}$rest"
}
