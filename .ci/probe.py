"""Is PostgreSQL / Redis reachable at the URL given? Exit 0 if yes, 1 if not."""

import socket
import sys
from urllib.parse import urlsplit


def postgres_ok(url: str) -> bool:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "stride"
    try:
        # The maintenance database: the project's database may not exist yet.
        with psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=3,
            autocommit=True,
        ) as conn:
            # Create it so `makemigrations --check` can read the migration history.
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
                conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    except psycopg.Error:
        return False
    return True


def redis_ok(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=3) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG") or s.recv(16).startswith(b"-NOAUTH")
    except OSError:
        return False


if __name__ == "__main__":
    kind, url = sys.argv[1], sys.argv[2]
    sys.exit(0 if {"postgres": postgres_ok, "redis": redis_ok}[kind](url) else 1)
