from django.core.management.base import BaseCommand, CommandError

from assessments.programmes.services.status import programme_status_drift
from clinic.audit.tracking import history_context


class Command(BaseCommand):
    help = (
        "Recompute every programme's check-in summary (the dashboard's stored status columns) "
        "and report those that differ from their check-ins; --repair stores the recomputed values."
    )

    def add_arguments(self, parser: object) -> None:
        parser.add_argument("--repair", action="store_true", help="Store the recomputed summary.")

    def handle(self, *args: object, **options: object) -> None:
        repair = bool(options["repair"])
        with history_context(command="programme_status_check"):
            drifted = programme_status_drift(repair=repair)
        if not drifted:
            self.stdout.write(self.style.SUCCESS("Every programme's check-in summary matches its check-ins."))
            return
        listed = ", ".join(str(pk) for pk in drifted[:20]) + (" …" if len(drifted) > 20 else "")
        if repair:
            self.stdout.write(self.style.WARNING(f"Repaired {len(drifted)} programme(s): {listed}."))
            return
        raise CommandError(f"{len(drifted)} programme(s) differ from their check-ins: {listed}.")
