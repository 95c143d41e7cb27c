"""Raising an imaging order and moving it through its lifecycle."""

from django import forms

from assessments.imaging.choices import IMAGING_TRANSITIONS, ImagingStatus, ReportFinding
from assessments.imaging.services import ORDER_FIELDS
from assessments.models import ImagingOrder
from assessments.record.forms.base import model_fields, style

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ImagingOrderForm(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        fields = model_fields(ImagingOrder, ORDER_FIELDS)
        fields["indication_detail"].widget.attrs["rows"] = 3
        fields["indication_detail"].help_text = "Required: why imaging is needed now."
        self.fields.update(fields)
        style(self, small=False)

    def values(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in ORDER_FIELDS}


STEP_LABELS = {
    ImagingStatus.BOOKED: "Mark booked",
    ImagingStatus.REPORTED: "Enter the report",
    ImagingStatus.REVIEWED: "Mark reviewed",
    ImagingStatus.CANCELLED: "Cancel the order",
}


class ImagingStepForm(forms.Form):
    """The next step of one order; the fields needed depend on the step."""

    status = forms.ChoiceField(widget=forms.HiddenInput)
    # The order's version when the page was loaded (the optimistic lock).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    booked_for = forms.DateField(label="Scan date", required=False, widget=DATE)
    reported_on = forms.DateField(label="Report date", required=False, widget=DATE)
    report_summary = forms.CharField(
        label="Report summary", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    report_finding = forms.ChoiceField(
        label="What the report found",
        choices=[("", "—"), *ReportFinding.choices],
        required=False,
        help_text="A stress reaction or stress fracture puts the patient's programme in bone-stress mode.",
    )
    cancel_reason = forms.CharField(label="Reason for cancelling", required=False, max_length=200)

    FIELDS_FOR = {
        ImagingStatus.BOOKED: ("booked_for",),
        ImagingStatus.REPORTED: ("reported_on", "report_summary", "report_finding"),
        ImagingStatus.REVIEWED: (),
        ImagingStatus.CANCELLED: ("cancel_reason",),
    }

    def __init__(self, *args: object, order: ImagingOrder, step: str, **kwargs: object) -> None:
        kwargs.setdefault("initial", {"status": step, "version": order.version})
        kwargs.setdefault("prefix", f"step-{step}")
        super().__init__(*args, **kwargs)
        self.step = step
        self.label = STEP_LABELS[ImagingStatus(step)]
        self.fields["status"].choices = [(b, b) for a, b in IMAGING_TRANSITIONS if a == order.status]
        for name in ("booked_for", "reported_on", "report_summary", "report_finding", "cancel_reason"):
            if name not in self.FIELDS_FOR[ImagingStatus(step)]:
                del self.fields[name]
        if "report_finding" in self.fields:
            self.fields["report_finding"].required = True
            self.fields["report_finding"].error_messages["required"] = "Say what the report found."
        style(self, small=False)


def next_steps(order: ImagingOrder) -> list[str]:
    return [b for a, b in IMAGING_TRANSITIONS if a == order.status]
