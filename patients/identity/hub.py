"""The patient hub's sections: each app registers its own in AppConfig.ready().

    from patients.identity.hub import HubSection, register_hub_section

    register_hub_section(HubSection(
        name="clinical", title="Assessments", order=30,
        template="assessments/record/hub_section.html",
        context=clinical_context, roles=(Role.THERAPIST,),
    ))

The hub shows the sections in `order`. A section with `roles` is shown only
to staff holding one of them (clinic admins hold every role); its context
builder is not even called for anyone else, so hidden sections cost no
query. The builder takes (request, patient) and returns the variables its
template adds to the page's context. The section's heading has the id
"<name>-heading".
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone

from patients.booking.selectors import patient_visits
from patients.models import Patient

ContextBuilder = Callable[[HttpRequest, Patient], dict[str, object]]


@dataclass(frozen=True)
class HubSection:
    name: str
    title: str
    order: int
    template: str
    context: ContextBuilder
    # Empty: every member of staff who may open the hub.
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShownSection:
    """A section as one request shows it: its template and the variables for it."""

    name: str
    title: str
    template: str
    context: dict[str, object]


_SECTIONS: dict[str, HubSection] = {}


def register_hub_section(section: HubSection) -> None:
    existing = _SECTIONS.get(section.name)
    if existing is not None and existing != section:
        raise ValueError(f"Hub section {section.name!r} is already registered.")
    _SECTIONS[section.name] = section


def register_hub_sections(sections: Iterable[HubSection]) -> None:
    for section in sections:
        register_hub_section(section)


def hub_sections() -> tuple[HubSection, ...]:
    return tuple(sorted(_SECTIONS.values(), key=lambda s: (s.order, s.name)))


def hub_sections_shown(*, request: HttpRequest, patient: Patient) -> list[ShownSection]:
    """The sections the requesting user may see, in order, with their context built."""
    user = request.user
    return [
        ShownSection(section.name, section.title, section.template, section.context(request, patient))
        for section in hub_sections()
        if not section.roles or user.has_role(*section.roles)
    ]


def _appointments_context(request: HttpRequest, patient: Patient) -> dict[str, object]:
    return {"visits": patient_visits(patient=patient, now=timezone.now())}


def _intake_context(request: HttpRequest, patient: Patient) -> dict[str, object]:
    return {}


# The patients app's own sections; apps above add theirs after these.
SECTIONS = (
    HubSection(
        name="appointments",
        title="Appointments",
        order=10,
        template="patients/booking/hub_section.html",
        context=_appointments_context,
    ),
    HubSection(
        name="intake",
        title="Intake",
        order=20,
        template="patients/intake/hub_section.html",
        context=_intake_context,
    ),
)
