"""Template helpers of the clinical record."""

from django import template

register = template.Library()


@register.filter
def get(mapping: dict | None, key: object) -> object:
    """`{{ derived|get:key }}`: a dict value by a computed key ("" when missing)."""
    if not mapping:
        return ""
    return mapping.get(key, "")


@register.filter
def has(collection: object, key: object) -> bool:
    try:
        return key in collection
    except TypeError:
        return False
