"""The programme's change list: one ProgrammeRevision per change (what, when, by whom)."""

from django.utils import timezone

from assessments.models import Programme, ProgrammeRevision
from clinic.staff.models import User


def revision_add(
    *, programme: Programme, action: str, by: User | None, summary: str, changes: list[dict] | None = None
) -> ProgrammeRevision:
    """Append one revision; `changes` lists {"label", "old", "new"} in words."""
    return ProgrammeRevision.objects.create(
        programme=programme,
        action=action,
        by=by,
        at=timezone.now(),
        summary=summary[:300],
        changes=changes or [],
    )
