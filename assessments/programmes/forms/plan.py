"""The therapist's programme forms: the plan, a phase's exercises and doses, booking, ladder, notes, discharge.

Forms only validate (the model's ranges plus cross-field rules, each error
next to its field); services in assessments.programmes.services.plan* save.
"""

from datetime import time, timedelta

from django import forms
from django.forms import formset_factory

from assessments.exercises.catalogue import MAX_DISTANCE_M, MAX_REPS, MAX_SETS
from assessments.models import Exercise, PrescribedExercise, Programme, ProgrammePhase
from assessments.models.programme import HOLD_MAX_S, HOLD_MIN_S
from assessments.programmes.choices import PLANNED_WEEKS_MAX, PLANNED_WEEKS_MIN, TREATMENT_PHASES, PhaseKind
from assessments.programmes.rules import (
    READINESS_CHECKLIST,
    RUN_LADDER,
    ZERO_IMPACT_WEEKS_DEFAULT,
    ZERO_IMPACT_WEEKS_MAX,
    ZERO_IMPACT_WEEKS_MIN,
)
from assessments.programmes.services.bone_stress import bone_stress_contraindicated
from assessments.programmes.services.plan import DOSE_FIELDS, PLAN_FIELDS
from clinic.staff.choices import Weekday
from clinic.staff.models import Location, TherapistProfile
from patients.booking.choices import VisitKind
from patients.models import Appointment, AppointmentType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
EARLIEST_REMINDER, LATEST_REMINDER = time(7, 0), time(21, 0)  # quiet hours outside


def bootstrap(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget, and is-invalid on fields with errors."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")
        if isinstance(field, forms.IntegerField | forms.DecimalField):
            widget.attrs.setdefault(
                "inputmode", "decimal" if isinstance(field, forms.DecimalField) else "numeric"
            )
        if form.is_bound and name in form.errors:
            widget.attrs["class"] += " is-invalid"
            widget.attrs["aria-invalid"] = "true"


def _weekday_field(label: str, help_text: str = "") -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=label,
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class ProgrammeForm(forms.ModelForm):
    """The plan: length (4–8 weeks), visits, goals and targets, reminders; re-assessment dates when editing."""

    exercise_days = _weekday_field(
        "Home-exercise days", "Reminders go out on these days (not on visit days)."
    )

    class Meta:
        model = Programme
        fields = PLAN_FIELDS
        widgets = {
            "start_date": DATE,
            "race_date": DATE,
            "reassess_mid_on": DATE,
            "reassess_end_on": DATE,
            "reminder_time": TIME,
            "checkin_time": TIME,
            "checkin_weekday": forms.Select(choices=Weekday.choices),
            "goals": forms.Textarea(attrs={"rows": 2}),
            "progression_rules": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "planned_weeks": f"{PLANNED_WEEKS_MIN} to {PLANNED_WEEKS_MAX} weeks.",
            "progression_rules": "In words, e.g. “Add a band when 3 × 15 is easy; hold the ladder if pain > 3/10”.",
        }
        error_messages = {
            "planned_weeks": {
                "min_value": f"A programme lasts {PLANNED_WEEKS_MIN} to {PLANNED_WEEKS_MAX} weeks.",
                "max_value": f"A programme lasts {PLANNED_WEEKS_MIN} to {PLANNED_WEEKS_MAX} weeks.",
            }
        }

    def __init__(self, *args: object, creating: bool = False, **kwargs: object) -> None:
        instance = kwargs.get("instance")
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {"exercise_days": instance.exercise_weekdays}
        super().__init__(*args, **kwargs)
        self.fields["planned_weeks"].widget.attrs.update(min=PLANNED_WEEKS_MIN, max=PLANNED_WEEKS_MAX)
        if creating:
            # Set from the dates on start (week 4 and the end); editable afterwards.
            del self.fields["reassess_mid_on"], self.fields["reassess_end_on"]
        bootstrap(self)

    def clean_exercise_days(self) -> str:
        days = sorted(set(self.cleaned_data["exercise_days"]))
        if not days:
            raise forms.ValidationError("Pick at least one exercise day.")
        return ",".join(str(d) for d in days)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        for name in ("reminder_time", "checkin_time"):
            at = cleaned.get(name)
            if at is not None and not EARLIEST_REMINDER <= at <= LATEST_REMINDER:
                self.add_error(name, "Choose a time between 07:00 and 21:00 (no messages at night).")
        start, weeks = cleaned.get("start_date"), cleaned.get("planned_weeks")
        race = cleaned.get("race_date")
        if start and race and race < start:
            self.add_error("race_date", "The race is before the programme starts.")
        if start and weeks:
            end = start + timedelta(days=7 * weeks + 27)
            for name in ("reassess_mid_on", "reassess_end_on"):
                day = cleaned.get(name)
                if day and not start <= day <= end:
                    self.add_error(
                        name, "Plan the re-assessment within the programme (or up to 4 weeks after)."
                    )
        return cleaned

    def values(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in PLAN_FIELDS if name in self.cleaned_data}


class PhaseForm(forms.ModelForm):
    class Meta:
        model = ProgrammePhase
        fields = ("start_week", "end_week", "notes")
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: object, planned_weeks: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.planned_weeks = planned_weeks
        maintenance = self.instance.kind == PhaseKind.MAINTENANCE
        for name in ("start_week", "end_week"):
            if maintenance:
                del self.fields[name]
            else:
                self.fields[name].required = True
                self.fields[name].min_value = 1
                self.fields[name].widget.attrs.update(min=1, max=planned_weeks)
        bootstrap(self)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        start, end = cleaned.get("start_week"), cleaned.get("end_week")
        if end is not None and not 1 <= end <= self.planned_weeks:
            self.add_error("end_week", f"Weeks are 1 to {self.planned_weeks}.")
        if start is not None and not 1 <= start <= self.planned_weeks:
            self.add_error("start_week", f"Weeks are 1 to {self.planned_weeks}.")
        elif start is not None and end is not None and start > end:
            self.add_error("end_week", "The phase cannot end before it starts.")
        return cleaned

    def values(self) -> dict[str, object]:
        return {
            name: self.cleaned_data[name]
            for name in ("start_week", "end_week", "notes")
            if name in self.fields
        }


BONE_STRESS_SUFFIX = " — not while bone stress is suspected"
REASON_NEEDED = (
    "Bone stress is suspected: give the reason for prescribing this impact exercise, or choose another."
)


class ExercisePicker(forms.ModelChoiceField):
    """The catalogue's exercises; with suspected bone stress the impact ones say so before they are chosen."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.bone_stress = False
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Exercise) -> str:
        label = super().label_from_instance(obj)
        if self.bone_stress and bone_stress_contraindicated(obj):
            return label + BONE_STRESS_SUFFIX
        return label


class PrescriptionForm(forms.ModelForm):
    """One exercise of a phase with the patient's dose. A row left without an exercise is ignored.

    With suspected bone stress (`bone_stress`), an impact exercise needs a
    typed reason (kept on the prescription and shown on the programme page).
    """

    exercise = ExercisePicker(queryset=Exercise.objects.none(), required=False, empty_label="—")

    class Meta:
        model = PrescribedExercise
        fields = ("exercise", *DOSE_FIELDS, "contraindication_reason")
        labels = {"frequency_per_week": "Times a week"}
        error_messages = {
            "sets": {"min_value": f"Sets are 1–{MAX_SETS}.", "max_value": f"Sets are 1–{MAX_SETS}."},
            "reps": {"min_value": f"Reps are 1–{MAX_REPS}.", "max_value": f"Reps are 1–{MAX_REPS}."},
            "hold_s": {
                "min_value": f"Holds are {HOLD_MIN_S}–{HOLD_MAX_S} s.",
                "max_value": f"Holds are {HOLD_MIN_S}–{HOLD_MAX_S} s.",
            },
            "distance_m": {
                "min_value": f"Distances are 1–{MAX_DISTANCE_M} m.",
                "max_value": f"Distances are 1–{MAX_DISTANCE_M} m.",
            },
            "frequency_per_week": {"min_value": "1–7 times a week.", "max_value": "1–7 times a week."},
        }

    def __init__(self, *args: object, exercises: object, bone_stress: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.bone_stress = bone_stress
        self.fields["exercise"].queryset = exercises
        self.fields["exercise"].bone_stress = bone_stress
        self.fields["contraindication_reason"].widget.attrs["placeholder"] = (
            "Reason for prescribing it with bone stress"
        )
        self.fields["frequency_per_week"].required = False
        for name in ("load_note", "notes"):
            self.fields[name].widget.attrs["placeholder"] = self.fields[name].label
        bootstrap(self)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("aria-label", str(field.label or name))

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if not cleaned.get("exercise"):
            return cleaned
        if cleaned.get("frequency_per_week") is None:
            cleaned["frequency_per_week"] = cleaned["exercise"].frequency_per_week
        amounts = [n for n in ("reps", "hold_s", "distance_m") if cleaned.get(n) is not None]
        if len(amounts) > 1:
            self.add_error(amounts[1], "Give reps, a hold or a distance: only one of them.")
        if cleaned.get("sets") is not None and not amounts:
            self.add_error("sets", "Sets need reps, a hold or a distance.")
        if cleaned.get("sets") is None and not amounts and not (cleaned.get("load_note") or "").strip():
            self.add_error("load_note", "Give a dose: sets and reps, a hold, a distance or a load note.")
        reason = (cleaned.get("contraindication_reason") or "").strip()
        cleaned["contraindication_reason"] = reason
        if self.bone_stress and bone_stress_contraindicated(cleaned["exercise"]) and not reason:
            self.add_error("contraindication_reason", REASON_NEEDED)
        return cleaned

    @property
    def needs_reason(self) -> bool:
        """The row's exercise (chosen or posted) is one to avoid with the patient's suspected bone stress."""
        exercise = (
            (self.cleaned_data or {}).get("exercise") if self.is_bound else self.initial.get("exercise")
        )
        return bool(self.bone_stress and exercise and bone_stress_contraindicated(exercise))

    def dose(self) -> dict[str, object]:
        return {name: self.cleaned_data.get(name) for name in DOSE_FIELDS}


class BasePrescriptionFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            exercise = form.cleaned_data.get("exercise")
            if exercise is None or form.cleaned_data.get("DELETE"):
                continue
            if exercise.pk in seen:
                form.add_error("exercise", "This exercise is already in the phase.")
            seen.add(exercise.pk)


PrescriptionFormSet = formset_factory(
    PrescriptionForm, formset=BasePrescriptionFormSet, extra=2, can_delete=True, max_num=20, validate_max=True
)


def prescription_formset(
    phase: ProgrammePhase, data: object = None, *, bone_stress: bool = False
) -> forms.BaseFormSet:  # the phase page's exercise rows
    current = list(phase.exercises.all())
    ids = {item.exercise_id for item in current}
    exercises = Exercise.objects.filter(is_active=True) | Exercise.objects.filter(pk__in=ids)
    initial = [
        {
            "exercise": item.exercise,
            **{name: getattr(item, name) for name in DOSE_FIELDS},
            "contraindication_reason": item.contraindication_reason,
        }
        for item in current
    ]
    return PrescriptionFormSet(
        data,
        initial=initial,
        prefix="ex",
        form_kwargs={"exercises": exercises.order_by("category", "name"), "bone_stress": bone_stress},
    )


class PhaseMoveForm(forms.Form):
    kind = forms.ChoiceField(label="Move the patient to")
    note = forms.CharField(label="Why (optional)", required=False, max_length=200)

    def __init__(self, *args: object, programme: Programme, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        present = {p.kind for p in programme.phases.all()}
        self.fields["kind"].choices = [(k.value, k.label) for k in TREATMENT_PHASES if k in present]
        self.fields["kind"].initial = programme.current_phase
        bootstrap(self)


class ReadinessForm(forms.Form):
    """The §8.4 checklist: each test done?, and its pain (0–10)."""

    notes = forms.CharField(required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for item in READINESS_CHECKLIST:
            self.fields[f"done_{item.code}"] = forms.BooleanField(label=f"{item.label}: done", required=False)
            self.fields[f"pain_{item.code}"] = forms.IntegerField(
                label=f"{item.label}: pain (0–10)",
                min_value=0,
                max_value=10,
                required=False,
                error_messages={"min_value": "Pain is 0 to 10.", "max_value": "Pain is 0 to 10."},
            )
        self.order_fields([*self.fields, "notes"])
        bootstrap(self)

    @property
    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (item.label, self[f"done_{item.code}"], self[f"pain_{item.code}"]) for item in READINESS_CHECKLIST
        ]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        for item in READINESS_CHECKLIST:
            if cleaned.get(f"done_{item.code}") and cleaned.get(f"pain_{item.code}") is None:
                self.add_error(f"pain_{item.code}", "Give the pain during this test (0 if none).")
        return cleaned

    def results(self) -> dict[str, tuple[bool, int]]:
        return {
            item.code: (
                bool(self.cleaned_data[f"done_{item.code}"]),
                self.cleaned_data[f"pain_{item.code}"] or 0,
            )
            for item in READINESS_CHECKLIST
        }


STAGE_CHOICES = [
    (0, "0 · Not running"),
    *[(i, f"{i} · {s.label}") for i, s in enumerate(RUN_LADDER, start=1)],
]


class LadderOverrideForm(forms.Form):
    to_stage = forms.TypedChoiceField(label="Put the patient on", choices=STAGE_CHOICES, coerce=int)
    reason = forms.CharField(
        label="Reason for overriding the rules",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give the reason for overriding the ladder."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ImpactStopForm(forms.Form):
    """Bone stress: since when impact has been stopped, and the weeks without impact (6–8)."""

    on = forms.DateField(label="Impact stopped on", widget=DATE, error_messages={"required": "Give the day."})
    weeks = forms.TypedChoiceField(
        label="Weeks without impact",
        choices=[(w, f"{w} weeks") for w in range(ZERO_IMPACT_WEEKS_MIN, ZERO_IMPACT_WEEKS_MAX + 1)],
        coerce=int,
        initial=ZERO_IMPACT_WEEKS_DEFAULT,
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=300)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, prefix="stop", **kwargs)
        bootstrap(self)


class ImpactClearForm(forms.Form):
    """Bone stress: a clinician's clearance of a return to impact (who is the signed-in clinician)."""

    on = forms.DateField(label="Cleared on", widget=DATE, error_messages={"required": "Give the day."})
    walking_pain_free = forms.BooleanField(
        label="Walking is pain-free",
        error_messages={"required": "Clear a return to impact only once walking is pain-free."},
    )
    note = forms.CharField(
        label="Who cleared it and on what basis (e.g. sports physician, repeat MRI, no pain)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say who cleared the return to impact and on what basis."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, prefix="clear", **kwargs)
        bootstrap(self)


class AlertResolveForm(forms.Form):
    resolution = forms.CharField(
        label="What was done",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what was done (e.g. called the patient, running stopped)."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class VisitNoteForm(forms.Form):
    appointment = forms.ModelChoiceField(
        label="Visit",
        queryset=Appointment.objects.none(),
        required=False,
        empty_label="— (not a booked visit)",
    )
    visit_date = forms.DateField(widget=DATE)
    done = forms.CharField(label="What was done", max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))
    response = forms.CharField(
        label="Patient's response", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    plan_changes = forms.CharField(
        label="Plan changes", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, programme: Programme, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["appointment"].queryset = (
            Appointment.objects.filter(
                patient_id=programme.patient_id, starts_at__date__gte=programme.start_date
            )
            .select_related("appointment_type")
            .order_by("starts_at")
        )
        bootstrap(self)


class BookVisitsForm(forms.Form):
    therapist = forms.ModelChoiceField(queryset=TherapistProfile.objects.filter(is_active=True))
    location = forms.ModelChoiceField(queryset=Location.objects.filter(is_active=True))
    appointment_type = forms.ModelChoiceField(label="Visit type", queryset=AppointmentType.objects.none())
    weekdays = _weekday_field("Weekdays")
    at = forms.TimeField(label="Time", widget=TIME)
    reassessment_type = forms.ModelChoiceField(
        label="Also book the planned re-assessments as",
        queryset=AppointmentType.objects.none(),
        required=False,
        empty_label="— (don't book them)",
    )

    def __init__(self, *args: object, programme: Programme, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        active = AppointmentType.objects.filter(is_active=True)
        self.fields["appointment_type"].queryset = active.filter(kind=VisitKind.FOLLOW_UP)
        self.fields["reassessment_type"].queryset = active.filter(kind=VisitKind.REASSESSMENT)
        self.fields["weekdays"].help_text = f"{programme.visits_per_week} a week, as planned."
        bootstrap(self)

    def clean_weekdays(self) -> list[int]:
        days = sorted(set(self.cleaned_data["weekdays"]))
        wanted = self.programme.visits_per_week
        if len(days) != wanted:
            raise forms.ValidationError(
                f"Choose {wanted} weekday{'s' if wanted > 1 else ''} (visits per week)."
            )
        return days
