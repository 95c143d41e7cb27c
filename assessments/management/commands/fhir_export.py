from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from assessments.fhir.ndjson import MANIFEST, export_request, write_ndjson
from clinic.audit.services import access_record_offline
from clinic.staff.models import User
from patients.models import Patient

VIEW_NAME = "manage.py fhir_export"


class Command(BaseCommand):
    help = (
        "Write patients' records as FHIR R4 Bulk Data NDJSON (one file per resource type) and a "
        "manifest.json into --out; each exported patient gets one access event in the audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--patient", type=int, action="append", help="A patient's id (repeat for more).")
        which.add_argument("--all", action="store_true", help="Every patient, archived records included.")
        parser.add_argument(
            "--out", required=True, type=Path, help="The folder to write (created if missing)."
        )
        parser.add_argument(
            "--by", metavar="EMAIL", help="The member of staff the export is for (named in the audit trail)."
        )

    def handle(self, *args: object, **options: object) -> None:
        out: Path = options["out"]  # type: ignore[assignment]
        ids: list[int] | None = options["patient"]  # type: ignore[assignment]
        by = None
        if options["by"]:
            by = User.objects.filter(email__iexact=str(options["by"]), is_active=True).first()
            if by is None:
                raise CommandError(f"No active member of staff has the email {options['by']}.")
        patients = Patient.all_objects.order_by("pk")
        if ids:
            patients = patients.filter(pk__in=ids)
            missing = sorted(set(ids) - set(patients.values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"No patient with id {', '.join(map(str, missing))}.")
        if out.exists() and not out.is_dir():
            raise CommandError(f"{out} exists and is not a folder.")

        def audited(patient: Patient) -> None:
            with transaction.atomic():
                access_record_offline(patient_id=patient.pk, view_name=VIEW_NAME, user=by)

        manifest = write_ndjson(
            patients=patients.iterator(chunk_size=100),
            out_dir=out,
            request=export_request(ids),
            now=timezone.now(),
            on_patient=audited,
        )
        written = ", ".join(f"{item['type']} {item['count']}" for item in manifest["output"])  # type: ignore[attr-defined]
        self.stdout.write(self.style.SUCCESS(f"Wrote {out / MANIFEST}: {written}."))
