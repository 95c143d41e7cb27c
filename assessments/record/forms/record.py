"""Forms for the assessment itself: header and plan, subjective, impressions, start, addendum."""

from django import forms

from assessments.models import Addendum, Assessment, Impression, Subjective
from assessments.record.choices import AssessmentKind, ContributingFactor
from assessments.record.forms.base import EMPTY_LABEL, model_fields, style
from assessments.record.services.assessment import HEADER_FIELDS, IMPRESSION_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
IMPRESSION_SLOTS = 3


def _textareas(fields: dict[str, forms.Field], rows: int = 3) -> None:
    for field in fields.values():
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs["rows"] = rows


class HeaderForm(forms.Form):
    """The assessment's own fields (spread over the page's sections) and contributing factors."""

    factors = forms.MultipleChoiceField(
        label="Contributing factors",
        choices=ContributingFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, assessment: Assessment, **kwargs: object) -> None:
        if "initial" not in kwargs:
            initial = forms.model_to_dict(assessment, fields=HEADER_FIELDS)
            initial["factors"] = [f.factor for f in assessment.factors.all()]
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        fields = model_fields(Assessment, HEADER_FIELDS)
        _textareas(fields)
        self.fields.update(fields)
        self.order_fields(list(HEADER_FIELDS))
        style(self, small=False)

    def header(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in HEADER_FIELDS if name in self.cleaned_data}


class SubjectiveForm(forms.Form):
    def __init__(self, *args: object, subjective: Subjective | None, **kwargs: object) -> None:
        if "initial" not in kwargs and subjective is not None:
            kwargs["initial"] = forms.model_to_dict(subjective, fields=Subjective.CLINICAL_FIELDS)
        super().__init__(*args, **kwargs)
        fields = model_fields(Subjective, Subjective.CLINICAL_FIELDS, widgets={"onset_date": DATE})
        _textareas(fields, rows=2)
        self.fields.update(fields)
        style(self, small=False)

    def values(self) -> dict[str, object]:
        return {
            name: self.cleaned_data[name] for name in Subjective.CLINICAL_FIELDS if name in self.cleaned_data
        }


class ImpressionForm(forms.Form):
    """One impression slot; the first filled slot is the primary impression."""

    def __init__(self, *args: object, impression: Impression | None = None, **kwargs: object) -> None:
        if "initial" not in kwargs and impression is not None:
            kwargs["initial"] = forms.model_to_dict(impression, fields=IMPRESSION_FIELDS)
        super().__init__(*args, **kwargs)
        self.fields.update(model_fields(Impression, IMPRESSION_FIELDS, widgets={"onset_date": DATE}))
        code = self.fields["code"]
        code.required = False
        code.choices = [("", EMPTY_LABEL), *[c for c in code.choices if c[0] != ""]]
        style(self)

    def item(self) -> dict[str, object] | None:
        if not self.cleaned_data.get("code"):
            return None
        return {name: self.cleaned_data.get(name) for name in IMPRESSION_FIELDS}


class StartForm(forms.Form):
    kind = forms.ChoiceField(label="Type of assessment", choices=AssessmentKind.choices)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        style(self, small=False)


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum",
        max_length=Addendum._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Corrections and later notes; the record itself stays as signed.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        style(self, small=False)
