"""Widgets of the patient's forms (intake, weekly check-in) and the attributes every input carries.

Every field of a patient form is drawn by templates/patients/widgets/field.html
(the crispy helper's `field_template`, or `{% include %}` with `field=`):
its message sits next to the question, visible, and each input points at
its hint and its message (aria-describedby) and says when it is invalid
(aria-invalid), so a radio group never hides its error.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from patients.intake.numbers import pace_parts

FIELD_TEMPLATE = "patients/widgets/field.html"


class TapScale(forms.RadioSelect):
    """A 0–10 rating as one row of numbered buttons to tap (fits a 360 px phone)."""

    scale = True


class InlineRadios(forms.RadioSelect):
    """A short choice (yes / no) with its answers side by side."""

    inline = True


class InlineCheckboxes(forms.CheckboxSelectMultiple):
    """A short set of ticks (left / right) side by side."""

    inline = True


class PaceWidget(forms.MultiWidget):
    """A running pace as two number boxes, minutes and seconds (a phone's number pad has no colon).

    Posted as `<name>_min` and `<name>_sec`; a plain `<name>` ("5:45", from a
    script or an older page) is read too. The value handed to the field is a
    list: [minutes, seconds], or [text] for the plain name.
    """

    part_labels = (_("Minutes"), _("Seconds"))

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        box = {"inputmode": "numeric", "pattern": "[0-9]*", "maxlength": "2", "size": "2"}
        super().__init__(
            widgets={
                "min": forms.TextInput(attrs={**box, "autocomplete": "off"}),
                "sec": forms.TextInput(attrs={**box, "autocomplete": "off"}),
            },
            attrs=attrs,
        )

    def decompress(self, value: object) -> list[str]:
        if isinstance(value, str) and ":" in value:
            minutes, _sep, seconds = value.partition(":")
            return [minutes.strip(), seconds.strip()]
        try:
            return list(pace_parts(value))  # type: ignore[arg-type]
        except (ArithmeticError, ValueError):
            return [str(value), ""]

    def render(
        self, name: str, value: object, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        if not isinstance(value, list | tuple):
            value = self.decompress(value)
        elif len(value) == 1:
            value = self.decompress(value[0])
        final = self.build_attrs(self.attrs, attrs)
        boxes = []
        for (suffix, widget), part, label in zip(
            zip(self.widgets_names, self.widgets, strict=True), value, self.part_labels, strict=True
        ):
            box_attrs = {**final, "id": f"{final['id']}{suffix}"} if final.get("id") else dict(final)
            boxes.append(
                format_html(
                    '<div class="pace-part"><label class="form-label small mb-1" for="{}">{}</label>{}</div>',
                    box_attrs.get("id", ""),
                    label,
                    widget.render(f"{name}{suffix}", part, box_attrs, renderer),
                )
            )
        return format_html(
            '<div class="pace-inputs">{}<span class="pace-colon" aria-hidden="true">:</span>{}'
            '<span class="pace-unit">{}</span></div>',
            boxes[0],
            boxes[1],
            _("per km"),
        )

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> list[str]:
        if name in data and f"{name}_min" not in data:
            return [str(data.get(name) or "")]
        return [str(data.get(f"{name}{suffix}") or "") for suffix in self.widgets_names]

    def value_omitted_from_data(self, data: Mapping[str, Any], files: Any, name: str) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_min" if id_ else ""


def field_kind(field: forms.Field) -> str:
    """How field.html draws a field: scale, radios, inline, checkboxes, checkbox, pace, select or input."""
    widget = field.widget
    if isinstance(widget, PaceWidget):
        return "pace"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        if getattr(widget, "scale", False):
            return "scale"
        return "inline" if getattr(widget, "inline", False) else "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


_CLASSES = {
    "scale": "scale-input",
    "radios": "form-check-input",
    "inline": "form-check-input",
    "checkboxes": "form-check-input",
    "checkbox": "form-check-input",
    "pace": "form-control pace-box",
    "select": "form-select",
    "input": "form-control",
}


def describe(form: forms.BaseForm) -> None:
    """Bootstrap classes, the hint and the message (aria-describedby) and is-invalid on every widget.

    Call it once the form's errors are known (it runs again safely).
    """
    errors = form.errors if form.is_bound else {}
    for name, field in form.fields.items():
        bound = form[name]
        kind = field_kind(field)
        widget = field.widget
        dropped = {"is-invalid", "form-check-input"} if kind == "scale" else {"is-invalid"}
        classes = [c for c in widget.attrs.get("class", "").split() if c not in dropped]
        for css in _CLASSES[kind].split():
            if css not in classes:
                classes.append(css)
        described = []
        if field.help_text:
            described.append(f"{bound.auto_id}_helptext")
        if name in errors:
            classes.append("is-invalid")
            described.append(f"{bound.auto_id}_error")
        widget.attrs["class"] = " ".join(classes)
        if described:
            widget.attrs["aria-describedby"] = " ".join(described)
        else:
            widget.attrs.pop("aria-describedby", None)


def first_error(form: forms.BaseForm) -> tuple[forms.BoundField, str] | None:
    """The first field with a message, in the order the page shows them, and the id to link to."""
    if not form.is_bound or not form.errors:
        return None
    helper = getattr(form, "helper", None)
    order = [pointer.name for pointer in helper.layout.get_field_names()] if helper is not None else []
    order += [name for name in form.fields if name not in order]
    for name in order:
        if name in form.errors and name in form.fields:
            bound = form[name]
            kind = field_kind(form.fields[name])
            if kind in ("scale", "radios", "inline", "checkboxes"):
                target = f"{bound.auto_id}_0"
            elif kind == "pace":
                target = f"{bound.auto_id}_min"
            else:
                target = bound.auto_id
            return bound, target
    return None
