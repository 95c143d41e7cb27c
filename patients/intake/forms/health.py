"""Intake step forms, part 2: Health screen, Outcome measures, Consent.

Outcome scores are computed here from the item answers by patients.outcomes.scoring
(never typed); the consent step records the reminder choices per category.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from clinic import locality
from patients.intake.choices import (
    BONE_HEALTH_QUESTIONS,
    RANGES,
    SCREEN_QUESTIONS,
    BoneHealthAnswer,
    CancerTreated,
    PreviousInjury,
    ReminderCategory,
)
from patients.intake.forms.fields import (
    StepForm,
    choice_field,
    multi_field,
    number_field,
    scale_field,
    text_field,
    yes_no_field,
)
from patients.intake.forms.widgets import FIELD_TEMPLATE
from patients.intake.selectors import privacy_notice_in_force
from patients.outcomes import scoring as outcomes
from patients.outcomes.questionnaires import HOOS_SECTIONS, LEFS_ANSWERS, LEFS_ITEMS, LEFS_QUESTION

PSFS_MIN_ACTIVITIES = 3  # the clinic's minimum (domain.md §7.4 †)


def _helper(*layout: object) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    helper.field_template = FIELD_TEMPLATE
    return helper


# Stored UK units never exceed the plausibility bound (a count in drinks converts to more units).
ALCOHOL_UNITS_MAX = int(RANGES["alcohol_units_per_week"].high)


class HealthForm(StepForm):
    slug = "health"
    title = _("Health screen")
    model_fields = (
        "cancer_treated",
        "alcohol_units_per_week",
        "previous_injuries",
        "previous_injuries_detail",
        "surgery",
        "medications",
        "conditions",
        "sleep_hours",
        "life_stress",
    )

    cancer_treated = choice_field(
        CancerTreated.choices, _("If you have had cancer: when was your last treatment?")
    )
    # Asked in the clinic's country's measure (UK units, US drinks, Australian standard
    # drinks: clinic.locality) and stored as UK units, the scale the red-flag rules read.
    alcohol_units_per_week = number_field(
        "alcohol_units_per_week",
        lazy(locality.alcohol_question, str)(),
        required=True,
        help_text=lazy(locality.alcohol_help, str)(),
    )
    previous_injuries = multi_field(PreviousInjury, _("Have you had any of these before?"))
    previous_injuries_detail = text_field(_("Tell us more about earlier injuries"), max_length=500, long=True)
    surgery = text_field(_("Any operations on your hip or back? What and when?"), max_length=500, long=True)
    medications = text_field(
        _("Medicines you take"),
        max_length=2000,
        long=True,
        help_text=_("Including the pill, supplements and inhalers. Write 'none' if none."),
    )
    conditions = text_field(
        _("Other health conditions"),
        max_length=2000,
        long=True,
        help_text=_("For example asthma, diabetes, arthritis. Write 'none' if none."),
    )
    sleep_hours = number_field(
        "sleep_hours", _("About how many hours do you sleep a night?"), help_text=_("0 to 14.")
    )
    life_stress = scale_field(
        "life_stress",
        _("How stressful is life at the moment?"),
        required=False,
        help_text=_("0 = not at all, 10 = extremely."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for code, question in SCREEN_QUESTIONS.items():
            self.fields[f"rf_{code}"] = yes_no_field(question)
        for code, question in BONE_HEALTH_QUESTIONS.items():
            self.fields[f"bh_{code}"] = choice_field(BoneHealthAnswer.choices, question)
        self.helper = _helper(
            Fieldset(
                _("Important health questions"),
                HTML(
                    _(
                        '<p class="form-text">Please answer every question. If you answer yes to any, '
                        "we'll tell you what to do next.</p>"
                    )
                ),
                *self._screen_layout(),
            ),
            Fieldset(
                _("Bone health and energy (optional)"),
                HTML(
                    _(
                        '<p class="form-text">Training hard without eating enough can affect energy, hormones '
                        "and bones. These questions help us look after you; skip any you'd rather talk "
                        "about in person.</p>"
                    )
                ),
                *[f"bh_{code}" for code in BONE_HEALTH_QUESTIONS],
            ),
            Fieldset(
                _("Past injuries and health"),
                "previous_injuries",
                "previous_injuries_detail",
                "surgery",
                "medications",
                "conditions",
            ),
            Fieldset(_("Sleep and stress"), "sleep_hours", "life_stress"),
        )

    @staticmethod
    def _screen_layout() -> list[object]:
        """The yes/no questions, each follow-up right after the question it belongs to."""
        layout: list[object] = []
        for code in SCREEN_QUESTIONS:
            layout.append(f"rf_{code}")
            if code == "cancer_history":
                layout.append("cancer_treated")
            if code == "steroids":
                layout.append("alcohol_units_per_week")
        return layout

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("rf_cancer_history") is True:
            if not data.get("cancer_treated") and "cancer_treated" not in self.errors:
                self.add_error("cancer_treated", _("Choose when your last cancer treatment was."))
        elif "rf_cancer_history" in data:
            data["cancer_treated"] = ""  # only asked after a yes
        return data

    def answers(self) -> dict[str, object]:
        answers = super().answers()
        units = locality.current().to_uk_units(self.cleaned_data.get("alcohol_units_per_week"))
        answers["alcohol_units_per_week"] = None if units is None else min(units, ALCOHOL_UNITS_MAX)
        answers["screen"] = {code: self.cleaned_data[f"rf_{code}"] for code in SCREEN_QUESTIONS}
        answers["bone_health"] = {
            code: self.cleaned_data[f"bh_{code}"]
            for code in BONE_HEALTH_QUESTIONS
            if self.cleaned_data[f"bh_{code}"]
        }
        return answers

    @classmethod
    def initial_from(cls, response: object) -> dict[str, object]:
        initial = super().initial_from(response)
        initial["alcohol_units_per_week"] = locality.current().from_uk_units(response.alcohol_units_per_week)
        for code, value in (response.screen or {}).items():
            initial[f"rf_{code}"] = "yes" if value else "no"
        for code, value in (response.bone_health or {}).items():
            initial[f"bh_{code}"] = value
        return initial


def _item_field(label: str, answers: list[tuple[int, str]], *, required: bool) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[(str(value), text) for value, text in answers],
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose an answer."),
            "invalid_choice": _("Choose one of the answers."),
        },
    )


def hoos_enabled() -> bool:
    return bool(getattr(settings, "INTAKE_HOOS_ENABLED", False))


class OutcomesForm(StepForm):
    slug = "outcomes"
    title = _("How your hip affects you")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for n, item in enumerate(LEFS_ITEMS, start=1):
            self.fields[f"lefs_{n}"] = _item_field(f"{n}. {item}", LEFS_ANSWERS, required=True)
        for n in range(1, outcomes.PSFS_MAX_ACTIVITIES + 1):
            self.fields[f"psfs_activity_{n}"] = text_field(
                format_lazy(_("Activity {n}"), n=n), max_length=120
            )
            self.fields[f"psfs_rating_{n}"] = scale_field(
                "nprs_now", format_lazy(_("How able are you to do activity {n} now?"), n=n), required=False
            )
        layout = [
            Fieldset(
                _("Everyday activities (LEFS)"),
                HTML(format_html('<p class="form-text">{}</p>', LEFS_QUESTION)),
                *[f"lefs_{n}" for n in range(1, len(LEFS_ITEMS) + 1)],
                css_class="questionnaire",
            ),
            Fieldset(
                _("Activities that matter to you (PSFS)"),
                HTML(
                    format_html(
                        '<p class="form-text">Name {} to {} activities you find hard or can\'t do because of '
                        "your hip, for example running 10 km or climbing stairs. Then rate each one: "
                        "0 = unable to do it, 10 = as well as before the problem.</p>",
                        PSFS_MIN_ACTIVITIES,
                        outcomes.PSFS_MAX_ACTIVITIES,
                    )
                ),
                *[
                    Div(f"psfs_activity_{n}", f"psfs_rating_{n}", css_class="psfs-activity")
                    for n in range(1, outcomes.PSFS_MAX_ACTIVITIES + 1)
                ],
            ),
        ]
        if hoos_enabled():
            for name, (heading, items) in HOOS_SECTIONS.items():
                for n, (item, labels) in enumerate(items, start=1):
                    self.fields[f"hoos_{name}_{n}"] = _item_field(
                        item, list(enumerate(labels)), required=False
                    )
                layout.append(
                    Fieldset(
                        format_lazy(_("Hip questionnaire (HOOS): {heading}"), heading=heading),
                        *[f"hoos_{name}_{n}" for n in range(1, len(items) + 1)],
                        css_class="questionnaire",
                    )
                )
        self.helper = _helper(*layout)

    def clean(self) -> dict[str, object]:
        data = super().clean()
        named = 0
        for n in range(1, outcomes.PSFS_MAX_ACTIVITIES + 1):
            activity, rating = data.get(f"psfs_activity_{n}"), data.get(f"psfs_rating_{n}")
            if activity and rating is None and f"psfs_rating_{n}" not in self.errors:
                self.add_error(f"psfs_rating_{n}", _("Rate this activity from 0 to 10."))
            if rating is not None and not activity:
                self.add_error(f"psfs_activity_{n}", _("Name the activity you rated."))
            named += bool(activity)
        if named < PSFS_MIN_ACTIVITIES:
            self.add_error(
                "psfs_activity_1",
                format_lazy(_("Name at least {count} activities."), count=PSFS_MIN_ACTIVITIES),
            )
        return data

    def answers(self) -> dict[str, object]:
        data = self.cleaned_data
        lefs_items = [data[f"lefs_{n}"] for n in range(1, len(LEFS_ITEMS) + 1)]
        activities = [
            {"id": n, "activity": data[f"psfs_activity_{n}"], "rating": data[f"psfs_rating_{n}"]}
            for n in range(1, outcomes.PSFS_MAX_ACTIVITIES + 1)
            if data.get(f"psfs_activity_{n}")
        ]
        answers: dict[str, object] = {
            "lefs_items": lefs_items,
            "lefs_score": outcomes.score_lefs(lefs_items),
            "psfs_activities": activities,
            "psfs_score": outcomes.score_psfs([a["rating"] for a in activities]),
        }
        if hoos_enabled():
            items = {
                name: [data.get(f"hoos_{name}_{n}") for n in range(1, len(section[1]) + 1)]
                for name, section in HOOS_SECTIONS.items()
            }
            answers["hoos_items"] = items
            for name, score in outcomes.score_hoos(items).items():
                answers[f"hoos_{name}"] = score
        return answers

    @classmethod
    def initial_from(cls, response: object) -> dict[str, object]:
        initial: dict[str, object] = {}
        for n, value in enumerate(response.lefs_items or [], start=1):
            initial[f"lefs_{n}"] = value
        for activity in response.psfs_activities or []:
            initial[f"psfs_activity_{activity['id']}"] = activity["activity"]
            initial[f"psfs_rating_{activity['id']}"] = activity["rating"]
        for name, values in (response.hoos_items or {}).items():
            for n, value in enumerate(values, start=1):
                initial[f"hoos_{name}_{n}"] = value
        return initial


class ConsentForm(StepForm):
    slug = "consent"
    title = _("Consent")
    model_fields = ("consent_treatment", "consent_privacy", "signature_name", "privacy_notice_version")

    consent_treatment = forms.BooleanField(
        label=_(
            "I agree to be assessed and treated by a physiotherapist at the clinic. I know I can ask "
            "questions, and stop or refuse any part of it at any time."
        ),
        error_messages={"required": _("Tick this box to agree to assessment and treatment.")},
    )
    consent_privacy = forms.BooleanField(
        label=_("I have read the privacy notice above."),
        error_messages={"required": _("Tick this box to confirm you have read the privacy notice.")},
    )
    # The version shown above the box (step.html posts the one in force); kept with the consent.
    privacy_notice_version = forms.CharField(
        label=_("Privacy notice agreed to (version)"), required=False, max_length=40, widget=forms.HiddenInput
    )
    signature_name = text_field(
        _("Type your full name to sign"),
        required=True,
        autocomplete="name",
        help_text=_("This is your signature. We record the date and time."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signature_name"].error_messages["required"] = _("Type your full name to sign.")
        for category in ReminderCategory:
            self.fields[f"reminder_{category.value}"] = forms.BooleanField(
                label=category.label, required=False
            )
        self.helper = _helper(
            Fieldset(_("Your consent"), "consent_treatment", "consent_privacy"),
            Fieldset(
                _("Email reminders"),
                HTML(
                    _(
                        '<p class="form-text">Which reminders would you like by email? You can change this '
                        "at any time. We'll always email you about changes to your appointments.</p>"
                    )
                ),
                *[f"reminder_{category.value}" for category in ReminderCategory],
            ),
            Fieldset(_("Signature"), "signature_name"),
        )

    def clean(self) -> dict[str, object]:
        data = super().clean()
        in_force = privacy_notice_in_force().version
        shown = data.get("privacy_notice_version")  # posted by the page; absent from an older page
        if data.get("consent_privacy") and shown and shown != in_force:
            self.add_error(
                "consent_privacy",
                _(
                    "The privacy notice has changed since this page was opened. Please read it again, "
                    "then tick this box."
                ),
            )
        data["privacy_notice_version"] = in_force if data.get("consent_privacy") else ""
        return data

    def clean_signature_name(self) -> str:
        name = " ".join(self.cleaned_data["signature_name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Type your full name to sign."))
        return name

    def answers(self) -> dict[str, object]:
        answers = super().answers()
        answers["reminder_opt_ins"] = {
            category.value: bool(self.cleaned_data.get(f"reminder_{category.value}"))
            for category in ReminderCategory
        }
        return answers

    @classmethod
    def initial_from(cls, response: object) -> dict[str, object]:
        initial = {
            "consent_treatment": response.consent_treatment,
            "consent_privacy": response.consent_privacy,
            "signature_name": response.signature_name,
            "privacy_notice_version": response.privacy_notice_version,
        }
        for category, value in (response.reminder_opt_ins or {}).items():
            initial[f"reminder_{category}"] = value
        return initial
