"""Walk the audit log's hash chains and report every row where one breaks (exit status 1)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from clinic.audit.chain import chain_verify

CHAINED_TABLES = ("audit_accessevent", "audit_securityevent")


class Command(BaseCommand):
    help = (
        "Check the hash chains of the access and security logs. Lists each edited, "
        "deleted-before or inserted row by id; exits with status 1 when any chain breaks."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("The audit hash chain is kept on PostgreSQL only; nothing to check here.")
            return
        broken = 0
        for table in CHAINED_TABLES:
            report = chain_verify(table)
            for item in report.breaks:
                self.stdout.write(f"BREAK {item}")
            broken += len(report.breaks)
            head = f"head seq {report.head_seq}, hash {report.head_hash}" if report.rows else "empty"
            state = "OK" if not report.breaks else f"{len(report.breaks)} break(s)"
            self.stdout.write(f"{table}: {report.rows} chained row(s), {state}; {head}")
        if broken:
            raise CommandError(f"Audit chain broken at {broken} row(s).", returncode=1)
