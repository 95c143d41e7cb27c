"""The intake's steps in order: slug → form. The review step follows the last."""

from patients.intake.forms.fields import StepForm
from patients.intake.forms.health import ConsentForm, HealthForm, OutcomesForm
from patients.intake.forms.history import AboutForm, PainForm, RunningForm

STEP_FORMS: list[type[StepForm]] = [AboutForm, RunningForm, PainForm, HealthForm, OutcomesForm, ConsentForm]
STEPS: dict[str, type[StepForm]] = {form.slug: form for form in STEP_FORMS}
REVIEW = "review"
# Progress bar: the form steps and the review.
STEP_COUNT = len(STEP_FORMS) + 1


def step_number(slug: str) -> int:
    """1-based position of a step (the review is last)."""
    return STEP_COUNT if slug == REVIEW else list(STEPS).index(slug) + 1


def next_step(slug: str) -> str:
    slugs = list(STEPS)
    index = slugs.index(slug)
    return slugs[index + 1] if index + 1 < len(slugs) else REVIEW


def previous_step(slug: str) -> str | None:
    slugs = list(STEPS)
    if slug == REVIEW:
        return slugs[-1]
    index = slugs.index(slug)
    return slugs[index - 1] if index > 0 else None


def first_unfinished(steps_done: list[str]) -> str:
    return next((slug for slug in STEPS if slug not in steps_done), REVIEW)
