import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from clinic.dbroles import RoleError, grant_runtime_role

PASSWORD_ENV = "DB_RUNTIME_PASSWORD"  # noqa: S105 -- the variable's name, not a password


def _password() -> str | None:
    """The runtime role's password: DB_RUNTIME_PASSWORD, or the file named by DB_RUNTIME_PASSWORD_FILE."""
    path = os.environ.get(f"{PASSWORD_ENV}_FILE")
    if path:
        return Path(path).read_text().strip() or None
    return os.environ.get(PASSWORD_ENV) or None


class Command(BaseCommand):
    help = (
        "Create the runtime database role if it is missing and grant it exactly what the app "
        "needs (clinic/dbroles.py). Run as the owner of the tables, after every migrate. "
        f"Password from {PASSWORD_ENV} or {PASSWORD_ENV}_FILE; without one a new role is NOLOGIN "
        "and an existing role keeps its password. PostgreSQL only."
    )

    def add_arguments(self, parser: object) -> None:
        parser.add_argument("--role", required=True, help="The runtime role (the user in DATABASE_URL).")

    def handle(self, *args: object, **options: object) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write(
                f"db_grant: the database is {connection.vendor}, which has no roles; nothing to do "
                "(PostgreSQL only)."
            )
            return
        try:
            report = grant_runtime_role(role=str(options["role"]), password=_password())
        except RoleError as exc:
            raise CommandError(str(exc)) from exc
        login = "can sign in" if report.login else "NOLOGIN (set DB_RUNTIME_PASSWORD to give it a password)"
        self.stdout.write(
            self.style.SUCCESS(
                f"db_grant: role {report.role} {'created' if report.created else 'exists'}, {login}; "
                f"read/write on {report.crud_tables} tables, read/append only on "
                f"{len(report.append_only_tables)} audit and history tables."
            )
        )
