"""The assessment form's cells as HTML, built in Python.

The page has hundreds of inputs: rendering each widget through its template
(and each cell through an include) was most of the edit page's time. Here a
widget is rendered from Django's own widget context (the same attributes:
`aria-invalid`, `aria-describedby`, the value as Django formats it), and a
cell is a few `format_html` calls.
"""

import html
from collections.abc import Iterable

from django import forms
from django.forms.boundfield import BoundField
from django.forms.widgets import Input
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from assessments.record.forms.base import UNITS

WIDE = {"notes", "not_tested", "pain_site", "stride_notes", "bone_stress_reason"}
XWIDE = {"code"}


def _e(value: object) -> str:
    """Escaped text (plain str: format_html's lazy-aware escape costs more than the page's markup)."""
    return value if isinstance(value, SafeString) else html.escape(str(value))


def _attrs(attrs: dict[str, object]) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        parts.append(f" {_e(name)}" if value is True else f' {_e(name)}="{_e(value)}"')
    return "".join(parts)


def joined(parts: Iterable[SafeString]) -> SafeString:
    """Markup pieces (each already safe) as one."""
    return mark_safe("".join(parts))  # noqa: S308 -- joins only SafeStrings  # nosec B308, B703


def renamed(markup: SafeString, replacements: Iterable[tuple[str, str]]) -> SafeString:
    """A row's markup with its field names and label swapped for another item's.

    Each replacement swaps a name this module wrote for another item's name, or
    the blank label for an escaped one, so the result is as safe as its input.
    """
    text = str(markup)
    for old, new in replacements:
        text = text.replace(old, new)
    return mark_safe(text)  # noqa: S308 -- names and escaped labels only  # nosec B308, B703


def widget_html(field: BoundField) -> SafeString:
    """The field's widget, as `str(field)` renders it for the widgets the form uses."""
    widget = field.field.widget
    if not isinstance(widget, Input | forms.Select | forms.Textarea | forms.CheckboxInput) or isinstance(
        widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.FileInput
    ):
        return mark_safe(str(field))  # noqa: S308 -- Django's own rendering  # nosec B308, B703
    attrs = field.build_widget_attrs({})
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    name, value, widget_attrs = context["name"], context["value"], context["attrs"]
    if isinstance(widget, forms.Select):
        options = []
        for group, choices, _index in context["optgroups"]:
            inner = "".join(
                f'<option value="{_e(o["value"])}"{_attrs(o["attrs"])}>{_e(o["label"])}</option>'
                for o in choices
            )
            options.append(f'<optgroup label="{_e(group)}">{inner}</optgroup>' if group else inner)
        markup = f'<select name="{_e(name)}"{_attrs(widget_attrs)}>{"".join(options)}</select>'
    elif isinstance(widget, forms.Textarea):
        markup = (
            f'<textarea name="{_e(name)}"{_attrs(widget_attrs)}>\n{_e(value) if value else ""}</textarea>'
        )
    else:
        value_attr = f' value="{_e(value)}"' if value is not None else ""
        markup = f'<input type="{_e(context["type"])}" name="{_e(name)}"{value_attr}{_attrs(widget_attrs)}>'
    return mark_safe(markup)  # noqa: S308 -- every name, value and label is escaped above  # nosec B308, B703


def errors_html(field: BoundField) -> SafeString:
    """The field's messages, with the id its input's aria-describedby names."""
    if not field.errors:
        return mark_safe("")  # nosec B308, B703
    return format_html(
        '<div class="invalid-feedback d-block" id="{}_error">{}</div>',
        field.auto_id,
        " ".join(str(e) for e in field.errors),
    )


def field_html(field: BoundField, *, unit: str | None = None, unit_attrs: str = "") -> SafeString:
    """One input with its unit as text beside it and its message under it."""
    widget = widget_html(field)
    unit = unit if unit is not None else UNITS.get(field.name, "")
    if unit:
        widget = format_html(
            '<div class="input-group input-group-sm">{}<span class="input-group-text"{}>{}</span></div>',
            widget,
            mark_safe(unit_attrs),  # noqa: S308 -- a fixed attribute from this module's callers  # nosec B308, B703
            unit,
        )
    return format_html("{}{}", widget, errors_html(field))


def cell_html(
    form: forms.BaseForm,
    *,
    derived_key: str = "",
    derived: dict[str, str] | None = None,
    flagged: Iterable[str] = (),
    force_unit: str = "",
) -> SafeString:
    """One finding cell (a test on one side): compact labelled fields, errors, the derived value."""
    parts = []
    for error in form.non_field_errors():
        parts.append(format_html('<div class="invalid-feedback d-block" role="alert">{}</div>', error))
    fields = []
    for field in form:
        if field.widget_type == "checkbox":
            fields.append(
                format_html(
                    '<div class="form-check form-check-inline">{}<label class="form-check-label" for="{}">{}</label>{}</div>',
                    widget_html(field),
                    field.id_for_label,
                    field.label,
                    errors_html(field),
                )
            )
            continue
        size = " xwide" if field.name in XWIDE else " wide" if field.name in WIDE else ""
        force = force_unit and field.name.startswith("trial_") and field.name.endswith("_n")
        fields.append(
            format_html(
                '<div class="cell-field{}"><label class="cell-label" for="{}">{}</label>{}</div>',
                size,
                field.id_for_label,
                field.label,
                field_html(field, unit=force_unit, unit_attrs=" data-force-unit")
                if force
                else field_html(field),
            )
        )
    parts.append(format_html('<div class="cell-fields">{}</div>', joined(fields)))
    if derived_key:
        parts.append(
            format_html(
                '<div class="derived{}" data-derived="{}" aria-live="polite">{}</div>',
                " flagged" if derived_key in flagged else "",
                derived_key,
                (derived or {}).get(derived_key, ""),
            )
        )
    return format_html('<div class="cell">{}</div>', joined(parts))
