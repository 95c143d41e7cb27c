"""The exercise catalogue's form (clinic admins)."""

import re

from django import forms

from assessments.exercises.catalogue import CONTRAINDICATION_CODES
from assessments.exercises.choices import IMAGE_TYPES, MediaType
from assessments.exercises.media import CheckedMedia, check_upload
from assessments.exercises.services import EDITABLE
from assessments.models import Exercise
from assessments.programmes.forms.plan import bootstrap
from assessments.record.choices import ImpressionCode


class ExerciseForm(forms.ModelForm):
    """A catalogue exercise (clinic admins): the same rules as the database, each next to its field."""

    contraindicated_for = forms.MultipleChoiceField(
        label="Contraindicated for",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(c, ImpressionCode(c).label) for c in sorted(CONTRAINDICATION_CODES)],
        help_text="A warning when prescribed to a patient with this impression; never a block.",
    )

    media_upload = forms.FileField(
        label="Image or video",
        required=False,
        widget=forms.FileInput(attrs={"accept": ",".join(MediaType.values)}),
        help_text=(
            "A JPEG, PNG or WebP image (re-saved without its metadata, at most 1600 px) or a short MP4, "
            "MOV or WebM video (stored as it is). Shown to patients with the instructions."
        ),
    )
    remove_media = forms.BooleanField(label="Remove the image or video", required=False)

    class Meta:
        model = Exercise
        fields = EDITABLE
        widgets = {
            "instructions": forms.Textarea(attrs={"rows": 4}),
            "instructions_es": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = "Codes never change: programmes refer to them."
        if not self.instance.media:
            del self.fields["remove_media"]
        self.checked_media: CheckedMedia | None = None
        bootstrap(self)

    def clean_media_upload(self) -> object:
        upload = self.cleaned_data.get("media_upload")
        if upload:
            # By content: the file's name and the browser's type are not looked at.
            self.checked_media = check_upload(upload)
        return upload

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip().upper()
        if not re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", code):
            raise forms.ValidationError("Use upper case letters, digits and underscores, e.g. SL_BRIDGE.")
        return code

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        amounts = [
            n for n in ("default_reps", "default_hold_s", "default_distance_m") if cleaned.get(n) is not None
        ]
        if len(amounts) > 1:
            self.add_error(amounts[1], "Give reps, a hold or a distance: only one of them.")
        if cleaned.get("default_sets") is not None and not amounts:
            self.add_error("default_sets", "Sets need reps, a hold or a distance.")
        if self.checked_media is not None:
            image = self.checked_media.is_image
        elif cleaned.get("remove_media"):
            image = False
        else:
            image = self.instance.media_type in IMAGE_TYPES
        if image and not (cleaned.get("media_description") or "").strip():
            self.add_error(
                "media_description", "Describe the image: patients who cannot see it hear the description."
            )
        return cleaned

    def values(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}
