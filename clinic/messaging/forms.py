from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from clinic.messaging.choices import MessageStatus


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


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "All statuses"), *MessageStatus.choices], required=False)
