from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from clinic import bench, views

admin.site.site_header = "Stride administration"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/outbox", views.healthz_outbox, name="healthz_outbox"),
    path("", include("clinic.staff.urls")),
    path("patients/", include("patients.urls")),
    path("clinical/", include("assessments.urls")),
    path("", include("clinic.messaging.urls")),
    path("audit/", include("clinic.audit.urls")),
    # Patients' own booking links (no account): manage a visit, claim a waitlist offer, join the waitlist.
    path("book/", include("patients.booking.manage.urls")),
    path("book/", include("patients.booking.waitlist.urls")),
    # Online booking by patients: location, visit type, a free time, an emailed code, confirmation.
    path("book/", include("patients.booking.online.urls")),
    # The read-only FHIR API for trusted systems (token views) and the clinic admin's pages of its clients.
    path("fhir/", include("assessments.fhir.api.urls")),
    path("fhir-clients/", include("assessments.fhir.clients.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_PAGES:
    # The floor pages of `make bench` (clinic/bench.py); absent unless BENCH_PAGES=1.
    urlpatterns += [
        path("bench/baseline", bench.baseline, name="bench_baseline"),
        path("bench/one-query", bench.one_query, name="bench_one_query"),
    ]
