from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.demo import assessments as assessments_demo
from assessments.demo import documents as demo_documents
from assessments.demo import exercise_media as demo_exercise_media
from assessments.demo import fhir_clients as demo_fhir_clients
from assessments.demo import programmes as demo_programmes
from assessments.demo import training as demo_training
from clinic.staff import demo as staff_demo
from patients.demo import appointments as demo_appointments
from patients.demo import careteam as demo_careteam
from patients.demo import email_status as demo_email_status
from patients.demo import intake as demo_intake
from patients.demo import online_booking as demo_online_booking
from patients.demo import patients as patients_demo
from patients.demo import waitlist as demo_waitlist


class Command(BaseCommand):
    help = "Load the fictional demo clinic (idempotent: running it twice adds nothing)."

    def add_arguments(self, parser: object) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo data even with DEBUG=0 (for a demo server, never a real clinic).",
        )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Refusing to load demo data with DEBUG=0 (use --allow-production on a demo server)."
            )
        with transaction.atomic():
            staff = staff_demo.load()
            patients = patients_demo.load()
            demo_appointments.load(patients, booked_by=staff["desk@stride.example"])
            demo_intake.load()
            assessments_demo.load()
            demo_exercise_media.load(staff["admin@stride.example"])
            demo_programmes.load()
            demo_training.load()
            demo_email_status.load(patients)
            demo_careteam.load()
            demo_online_booking.load()
            demo_waitlist.load()
            demo_fhir_clients.load()
            demo_documents.load()
        self.stdout.write(self.style.SUCCESS(f"Demo clinic ready: {len(patients)} patients."))
        self.stdout.write(f"Demo logins (password {staff_demo.DEMO_PASSWORD}):")
        for email, _, role, _ in staff_demo.DEMO_STAFF:
            self.stdout.write(f"  {role.label:<13} {email}")
        self.stdout.write(
            "Every account also gives a two-factor code: add the key "
            f"{staff_demo.demo_admin_totp_secret()} to an authenticator app, "
            "or run `make demo-code` for the current code."
        )
        self.stdout.write(
            "FHIR API: the demo's API clients are on /fhir-clients/ (clinic admin); "
            "rotate one's token there to see a token for /fhir/ (none is printed)."
        )
