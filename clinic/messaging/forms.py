from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from clinic.messaging.choices import MessageStatus
from clinic.messaging.registry import KINDS


class TestEmailForm(forms.Form):
    to = forms.EmailField(
        label="Send a test email to",
        help_text="Proves the whole chain: outbox row → scheduler → worker → mail server.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = "messaging:test_email"
        self.helper.add_input(Submit("send", "Queue test email", css_class="btn-outline-primary"))


def _kind_choices() -> list[tuple[str, str]]:
    # Registered by each app when it starts, so read when the form is made.
    return [("", "All kinds"), *sorted(((k.name, k.label) for k in KINDS.values()), key=lambda c: c[1])]


class OutboxFilterForm(forms.Form):
    """The outbox's filters and its recipient search (sent by POST, so no address lands in a URL)."""

    recipient = forms.CharField(
        label="Recipient",
        required=False,
        max_length=254,
        help_text="An email address or its beginning.",
        widget=forms.TextInput(
            attrs={"class": "form-control", "type": "search", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    kind = forms.ChoiceField(
        label="Kind", choices=[], required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "All: due next first"), *MessageStatus.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = _kind_choices()

    def clean_recipient(self) -> str:
        return self.cleaned_data["recipient"].strip()
