"""Outcome measures at the re-assessments, and discharge (the therapist's and the patient's forms)."""

from django import forms

from assessments.models import Exercise, PrescribedExercise, Programme
from assessments.programmes.choices import DischargeReason, OutcomeTimepoint
from assessments.programmes.forms.plan import bootstrap
from patients.outcomes.questionnaires import HOOS_SECTIONS, LEFS_ANSWERS, LEFS_ITEMS


class OutcomeForm(forms.Form):
    """LEFS (20 items), PSFS re-rating of the baseline activities, worst pain and HOOS: the re-assessment's measures.

    HOOS is asked every time; any item may be skipped (domain.md §7.5 scores a
    subscale when enough items are answered).
    """

    nprs_worst = forms.IntegerField(
        label="Worst pain in the last 7 days (0–10)",
        min_value=0,
        max_value=10,
        error_messages={"min_value": "Pain is 0 to 10.", "max_value": "Pain is 0 to 10."},
    )

    def __init__(self, *args: object, activities: list[dict], staff: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["timepoint"] = forms.ChoiceField(
                label="Time point", choices=[(t.value, t.label) for t in OutcomeTimepoint if t != "baseline"]
            )
        answers = [("", "—"), *[(str(v), label) for v, label in LEFS_ANSWERS]]
        for index, item in enumerate(LEFS_ITEMS, start=1):
            self.fields[f"lefs_{index}"] = forms.TypedChoiceField(
                label=f"{index}. {item}",
                choices=answers,
                coerce=int,
                error_messages={"required": "Choose an answer."},
            )
        self.activities = activities
        for index, activity in enumerate(activities):
            self.fields[f"psfs_{index}"] = forms.IntegerField(
                label=f"{activity.get('activity', 'Activity')} (0 = unable, 10 = as before)",
                min_value=0,
                max_value=10,
                error_messages={"min_value": "Rate it 0 to 10.", "max_value": "Rate it 0 to 10."},
            )
        for name, (_heading, items) in HOOS_SECTIONS.items():
            for index, (item, labels) in enumerate(items, start=1):
                self.fields[f"hoos_{name}_{index}"] = forms.TypedChoiceField(
                    label=item,
                    choices=[("", "—"), *[(str(v), label) for v, label in enumerate(labels)]],
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
        bootstrap(self)

    @property
    def hoos_sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (heading, [self[f"hoos_{name}_{i}"] for i in range(1, len(items) + 1)])
            for name, (heading, items) in HOOS_SECTIONS.items()
        ]

    def hoos_items(self) -> dict[str, list[int | None]]:
        """HOOS answers by subscale, None for a skipped item."""
        return {
            name: [self.cleaned_data.get(f"hoos_{name}_{i}") for i in range(1, len(items) + 1)]
            for name, (_heading, items) in HOOS_SECTIONS.items()
        }

    @property
    def lefs_fields(self) -> list[forms.BoundField]:
        return [self[f"lefs_{i}"] for i in range(1, len(LEFS_ITEMS) + 1)]

    @property
    def psfs_fields(self) -> list[forms.BoundField]:
        return [self[f"psfs_{i}"] for i in range(len(self.activities))]

    def lefs_items(self) -> list[int]:
        return [self.cleaned_data[f"lefs_{i}"] for i in range(1, len(LEFS_ITEMS) + 1)]

    def psfs_ratings(self) -> list[int]:
        return [self.cleaned_data[f"psfs_{i}"] for i in range(len(self.activities))]


class DischargeForm(forms.Form):
    reason = forms.ChoiceField(label="Why the programme ends", choices=[("", "—"), *DischargeReason.choices])
    psfs_goals_met = forms.NullBooleanField(
        label="PSFS goals met?",
        required=False,
        widget=forms.Select(choices=[("unknown", "Not assessed"), ("true", "Yes"), ("false", "No")]),
    )
    maintenance = forms.ModelMultipleChoiceField(
        label="Maintenance plan (twice a week after discharge)",
        queryset=Exercise.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    home_plan = forms.CharField(
        label="Home plan", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label="Discharge summary", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: object, programme: Programme, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        ids = PrescribedExercise.objects.filter(phase__programme=programme).values_list(
            "exercise_id", flat=True
        )
        self.fields["maintenance"].queryset = Exercise.objects.filter(pk__in=ids).order_by("category", "name")
        self.fields["maintenance"].initial = list(
            Exercise.objects.filter(pk__in=ids, category="strength").values_list("pk", flat=True)[:5]
        )
        bootstrap(self)
