"""The pages `make bench` measures, chosen in the bench database (run with Django, as its owner).

    python -m bench.targets OUT.json

Writes the sign-ins (the demo staff and the first scale therapist, who sign
in like the demo staff) and, per page, the role, method, path and form.
Patient-link pages get a fresh link (a programme link for the check-in, an
intake invitation for the intake step), issued through the app's own
services as the clinic would email them.
"""

# The Django imports follow django.setup(), inside main.
# ruff: noqa: PLC0415

import json
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo


def main(out: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django

    django.setup()
    from django.urls import reverse
    from django.utils import timezone

    from assessments.demo.scale.people import therapist_email
    from assessments.models import Assessment, ImagingOrder, Programme
    from assessments.programmes.selectors import open_weeks
    from assessments.programmes.services.links import link_issue
    from assessments.record.choices import AssessmentKind, AssessmentStatus
    from assessments.record.services.assessment import assessment_start
    from clinic.staff import demo as staff_demo
    from clinic.staff.models import User
    from patients.booking.choices import AppointmentStatus, VisitKind
    from patients.intake.services.invitations import intake_invite, intake_issue_token
    from patients.models import Appointment

    therapist = User.objects.get(email=therapist_email(1))
    mine = Assessment.objects.filter(therapist=therapist)
    detail = (
        mine.filter(kind=AssessmentKind.REASSESSMENT, status=AssessmentStatus.SIGNED)
        .order_by("-created_at")
        .first()
        or mine.filter(status=AssessmentStatus.SIGNED).order_by("-created_at").first()
    )
    draft = mine.filter(status=AssessmentStatus.DRAFT).order_by("-updated_at").first()
    if draft is None:
        # A small group may leave this therapist no open draft: start one at their last
        # attended follow-up, as "Start assessment" on that visit would.
        visit = (
            Appointment.objects.filter(
                therapist__user=therapist,
                status=AppointmentStatus.COMPLETED,
                appointment_type__kind=VisitKind.FOLLOW_UP,
                assessments__isnull=True,
            )
            .order_by("-starts_at")
            .first()
        )
        if visit is not None:
            draft = assessment_start(
                patient=visit.patient,
                therapist=therapist,
                appointment=visit,
                kind=AssessmentKind.REASSESSMENT,
            )
    draft = draft or detail
    programme = (
        Programme.objects.filter(therapist=therapist, status="active").order_by("-start_date").first()
        or Programme.objects.filter(therapist=therapist).order_by("-start_date").first()
    )
    if detail is None or programme is None:
        raise SystemExit("bench.targets: the scale therapist has no assessment or programme; run seed_scale.")
    patient = detail.patient
    today = timezone.localdate()
    pages = [
        ("desk", "today", "GET", "/patients/today/", None),
        ("desk", "calendar day", "GET", f"/patients/calendar/?view=day&date={today}", None),
        ("desk", "calendar week", "GET", f"/patients/calendar/?view=week&date={today}", None),
        ("desk", "patient list", "GET", "/patients/", None),
        ("desk", "search name", "POST", "/patients/", {"q": patient.last_name}),
        ("desk", "search DOB", "POST", "/patients/", {"q": patient.date_of_birth.strftime("%d/%m/%Y")}),
        ("desk", "search phone", "POST", "/patients/", {"q": patient.phone}),
        ("desk", "search email", "POST", "/patients/", {"q": patient.email}),
        ("therapist", "patient hub", "GET", f"/patients/{patient.pk}/", None),
        ("therapist", "assessment edit", "GET", f"/clinical/assessments/{draft.pk}/edit/", None),
        ("therapist", "assessment detail", "GET", f"/clinical/assessments/{detail.pk}/", None),
        ("therapist", "imaging outstanding", "GET", "/clinical/imaging/", None),
        ("therapist", "programme detail", "GET", f"/clinical/programmes/{programme.pk}/", None),
        ("therapist", "progress", "GET", f"/clinical/programmes/{programme.pk}/progress/", None),
        ("therapist", "dashboard", "GET", "/clinical/programmes/", None),
        ("admin", "outbox", "GET", "/outbox/", None),
        ("admin", "audit log", "GET", "/audit/", None),
    ]
    links = {}
    weeks = open_weeks(programme, timezone.now().astimezone(ZoneInfo(programme.time_zone)).date())
    try:
        links["checkin"] = {
            "start": f"/clinical/p/{link_issue(programme=programme, by=therapist, emailed=False)}/",
            "check": "/clinical/p/check/",
            # A week the patient may check in for now, else the programme's home page (a week
            # not open redirects there).
            "page": f"/clinical/p/week/{weeks[0]}/" if weeks else "/clinical/p/",
            # The training log's import page on the same session (a GPX upload is measured).
            "import": reverse("assessments:training_import"),
            "last_name": programme.patient.last_name,
            "dob": programme.patient.date_of_birth.isoformat(),
        }
    except Exception as exc:  # noqa: BLE001 -- any refusal is reported, and the page skipped
        links["checkin"] = {"skip": f"no programme link could be issued ({exc})"}
    visit = Appointment.objects.filter(patient__email=patient.email, starts_at__gt=timezone.now()).first()
    try:
        invitation = intake_invite(patient=patient, appointment=visit, by=None)
        links["intake"] = {
            "start": f"/patients/intake/{intake_issue_token(invitation=invitation, sent=True)}/",
            "check": "/patients/intake/check/",
            "page": "/patients/intake/form/",
            "last_name": patient.last_name,
            "dob": patient.date_of_birth.isoformat(),
        }
    except Exception as exc:  # noqa: BLE001 -- as above
        links["intake"] = {"skip": f"no intake invitation could be issued ({exc})"}
    out.write_text(
        json.dumps(
            {
                "password": staff_demo.DEMO_PASSWORD,
                "totp_key": staff_demo.DEMO_ADMIN_TOTP_KEY,
                "logins": {
                    "desk": "desk@stride.example",
                    "therapist": therapist.email,
                    "admin": "admin@stride.example",
                },
                "pages": [
                    {"role": r, "name": n, "method": m, "path": p, "form": f} for r, n, m, p, f in pages
                ],
                "links": links,
                "outstanding_imaging": ImagingOrder.objects.count(),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
