"""The import page's form: one or several files from the watch or app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assessments.training.imports.activity import MAX_FILE_MB
from assessments.training.imports.uploads import MAX_FILES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            if not data:
                return [single(None, initial)]
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    uploads = MultipleFileField(
        label=_("Files from your watch or app"),
        help_text=format_lazy(
            _(
                "GPX, TCX or FIT files, or the activities.csv from a Strava export. Up to {files} files of {mb} MB each."
            ),
            files=MAX_FILES,
            mb=MAX_FILE_MB,
        ),
        # An empty file gets the import's own message ("it is empty"), named by the file.
        allow_empty_file=True,
        error_messages={"required": _("Choose one or more files from your watch or app.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["uploads"].widget.attrs.update({"accept": ".gpx,.tcx,.fit,.csv,.gz"})

    def clean_uploads(self) -> list[Any]:
        files = self.cleaned_data["uploads"]
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                format_lazy(_("Choose up to {files} files at a time."), files=MAX_FILES)
            )
        return files
