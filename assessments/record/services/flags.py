"""The red flags a signed assessment raises (assessments.record.exam_flags), through patients.flags."""

from django.db import transaction

from assessments.models import Assessment, Impression, SpecialTest
from assessments.record.exam_flags import SpecialFinding, examination_flags
from clinic.messaging.services import About
from clinic.staff.models import User
from patients.flags.services import red_flag_raise
from patients.intake.choices import FlagSource
from patients.models import RedFlag


@transaction.atomic
def assessment_flags_raise(*, assessment: Assessment, by: User) -> list[RedFlag]:
    """Raise the examination's red flags (source examination, raised by the signer).

    Idempotent: a flag already raised by this assessment (open or cleared)
    is returned, never raised again. Side effects: RedFlag rows.
    """
    tests = [
        SpecialFinding(t.test, t.side, t.performed, t.result, t.pain_provoked, t.pain_nprs)
        for t in SpecialTest.objects.filter(assessment=assessment)
    ]
    codes = list(Impression.objects.filter(assessment=assessment).values_list("code", flat=True))
    return [
        red_flag_raise(
            patient=assessment.patient,
            code=flag.code,
            source=FlagSource.EXAMINATION,
            action_level=flag.action_level,
            note=flag.note,
            by=by,
            about=About.of(assessment),
            now=assessment.signed_at,
        )
        for flag in examination_flags(tests=tests, impression_codes=codes)
    ]
