"""The programme's check-in summary, kept on its row so the dashboard can order and count in SQL.

programme_status reads the sent check-ins (the last one's day, worst pain
and adherence by week), the patient's red flags and imaging, the open
alerts, and today. Only the check-in part is stored: red flags are written
by patients.flags (below this app, so it cannot tell us), and "10 days
without a check-in" changes with the date alone. Those are applied in SQL
(selectors.with_dashboard_status) over the stored columns.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from assessments.models import CheckIn, Programme
from assessments.programmes.choices import CheckInStatus
from assessments.programmes.rules import adherence_percent, programme_status

BATCH = 500


@dataclass(frozen=True)
class CheckInSummary:
    last_checkin_at: datetime | None
    last_checkin_on: date | None
    last_checkin_week: int | None
    checkin_status: str

    @classmethod
    def of(cls, programme: Programme) -> "CheckInSummary":
        return cls(
            programme.last_checkin_at,
            programme.last_checkin_on,
            programme.last_checkin_week,
            programme.checkin_status,
        )


def checkin_summary(programme: Programme, sent: Sequence[CheckIn]) -> CheckInSummary:
    """What the sent check-ins say for programme_status, the day of the week aside."""
    by_week = sorted(sent, key=lambda c: c.week)
    # Today = the start and no last check-in: the "days without a check-in" rule cannot fire here.
    content = programme_status(
        today=programme.start_date,
        last_checkin=None,
        start_date=programme.start_date,
        worst_pain_by_week=[c.pain_worst for c in by_week],
        adherence_by_week=[adherence_percent(c.sessions_done or 0, c.sessions_prescribed) for c in by_week],
    )
    last = max(sent, key=lambda c: (c.submitted_at, c.week), default=None)
    if last is None or last.submitted_at is None:
        return CheckInSummary(None, None, None, content.status)
    local = last.submitted_at.astimezone(ZoneInfo(programme.time_zone)).date()
    return CheckInSummary(last.submitted_at, local, last.week, content.status)


def _sent(programme_ids: Iterable[int]) -> dict[int, list[CheckIn]]:
    sent: dict[int, list[CheckIn]] = {}
    rows = CheckIn.objects.filter(programme_id__in=programme_ids, status=CheckInStatus.SUBMITTED).only(
        "programme_id", "week", "submitted_at", "pain_worst", "sessions_done", "sessions_prescribed"
    )
    for checkin in rows:
        sent.setdefault(checkin.programme_id, []).append(checkin)
    return sent


def _store(programme: Programme, summary: CheckInSummary) -> None:
    programme.last_checkin_at = summary.last_checkin_at
    programme.last_checkin_on = summary.last_checkin_on
    programme.last_checkin_week = summary.last_checkin_week
    programme.checkin_status = summary.checkin_status
    # update() rather than save(): the plan's version and updated_at are not the summary's.
    Programme.objects.filter(pk=programme.pk).update(
        last_checkin_at=summary.last_checkin_at,
        last_checkin_on=summary.last_checkin_on,
        last_checkin_week=summary.last_checkin_week,
        checkin_status=summary.checkin_status,
    )


@transaction.atomic
def programme_status_refresh(*, programme: Programme) -> CheckInSummary:
    """Recompute and store the programme's check-in summary (call after any check-in is sent or changed).

    Side effects: the four summary columns of the programme row (and of the
    instance given); nothing else, no audit event (they are derived).
    """
    summary = checkin_summary(programme, _sent([programme.pk]).get(programme.pk, []))
    _store(programme, summary)
    return summary


def programme_status_drift(*, repair: bool = False) -> list[int]:
    """The programmes whose stored summary differs from their check-ins (repaired with `repair`).

    Reads in batches of BATCH programmes, two queries each, so it runs on
    the whole clinic.
    """
    drifted: list[int] = []
    last_pk = 0
    while True:
        batch = list(Programme.objects.filter(pk__gt=last_pk).order_by("pk")[:BATCH])
        if not batch:
            return drifted
        sent = _sent([p.pk for p in batch])
        for programme in batch:
            summary = checkin_summary(programme, sent.get(programme.pk, []))
            if summary != CheckInSummary.of(programme):
                drifted.append(programme.pk)
                if repair:
                    _store(programme, summary)
        last_pk = batch[-1].pk
