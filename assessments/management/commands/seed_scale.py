"""Grow the demo clinic into a clinic group for load measurements (`make bench` runs it)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from assessments.demo.scale import growth as scale


class Command(BaseCommand):
    help = (
        "Add scale patients (with visits, assessments, programmes, outbox rows and access events) "
        "until the database holds --patients of them. PostgreSQL only; run demo_load first. "
        "Deterministic, and idempotent: the same N again adds nothing, a larger N adds the difference."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--patients", type=int, default=100_000)

    def handle(self, *args: Any, patients: int, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_scale needs PostgreSQL (it uses COPY, the exclusion constraints and the audit "
                "triggers); set DATABASE_URL to a PostgreSQL database."
            )
        if patients < 0:
            raise CommandError("--patients cannot be negative.")
        try:
            made = scale.grow(patients=patients, out=self.stdout.write)
        except scale.ScaleNotReadyError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale data: +{made.patients} patients, +{made.appointments} appointments, "
                f"+{made.assessments} assessments, +{made.programmes} programmes, "
                f"+{made.messages} outbox messages, +{made.access_events} access events "
                f"in {made.seconds:.0f} s."
            )
        )
