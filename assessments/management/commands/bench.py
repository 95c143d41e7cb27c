"""Page timings on the demo clinic: `make bench`.

Speed is measured here, never asserted in tests. Each page is fetched
through Django's test client as the role that uses it; the table shows the
median and worst time and the number of SQL queries.
"""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from clinic.staff.models import User
from patients.models import Appointment, Patient

PAGES = (
    ("desk@stride.example", "patients:today", {}),
    ("desk@stride.example", "patients:calendar", {}),
    ("desk@stride.example", "patients:calendar", {"view": "week"}),
    ("desk@stride.example", "patients:list", {}),
    ("desk@stride.example", "patients:list", {"q": "ash"}),
    ("desk@stride.example", "patients:book", {}),
    ("sam.okafor@stride.example", "patients:my_day", {}),
)


class Command(BaseCommand):
    help = "Time the main pages on the demo data."

    def add_arguments(self, parser: object) -> None:
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args: object, repeat: int, **options: object) -> None:
        if not User.objects.filter(email="desk@stride.example").exists():
            raise CommandError("Load the demo clinic first: manage.py demo_load")
        patient = Patient.objects.order_by("pk").first()
        appointment = Appointment.objects.order_by("pk").first()
        pages = [
            *PAGES,
            ("desk@stride.example", "patients:detail", {"pk": patient.pk}),
            ("desk@stride.example", "patients:appointment", {"pk": appointment.pk}),
        ]
        self.stdout.write(f"{'page':<42} {'median ms':>10} {'max ms':>8} {'queries':>8}")
        with override_settings(DEBUG=True, ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS]):
            for email, name, params in pages:
                client = Client()
                client.force_login(User.objects.get(email=email))
                kwargs = {"pk": params["pk"]} if "pk" in params else {}
                query = {k: v for k, v in params.items() if k != "pk"}
                url = reverse(name, kwargs=kwargs)
                timings = []
                for _ in range(repeat):
                    reset_queries()
                    started = time.perf_counter()
                    response = client.get(url, query)
                    timings.append((time.perf_counter() - started) * 1000)
                    if response.status_code != 200:
                        raise CommandError(f"{url} answered {response.status_code}")
                queries = len(connection.queries)
                label = f"{name} {query or ''}".strip()
                self.stdout.write(
                    f"{label:<42} {statistics.median(timings):>10.1f} {max(timings):>8.1f} {queries:>8}"
                )
