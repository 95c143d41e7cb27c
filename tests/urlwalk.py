"""Every URL pattern of the project, with sample arguments, for access tests."""

import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, converters, get_resolver, reverse

SAMPLE_VALUES = {
    converters.IntConverter: 1,
    converters.StringConverter: "sample",
    converters.SlugConverter: "sample",
    converters.UUIDConverter: uuid.UUID(int=1),
    converters.PathConverter: "sample",
}


@dataclass(frozen=True)
class Route:
    name: str
    url: str
    view: object

    def __str__(self) -> str:
        return self.name


def _walk(patterns: list, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(_walk(entry.url_patterns, inner))
        elif isinstance(entry, URLPattern):
            found.append((namespace, entry))
    return found


def project_routes(*, include_admin: bool = False) -> list[Route]:
    routes = []
    for namespace, pattern in _walk(get_resolver().url_patterns):
        if namespace.startswith("admin:") and not include_admin:
            continue
        if not pattern.name:
            raise AssertionError(f"URL pattern {pattern.pattern} has no name")
        kwargs = {key: SAMPLE_VALUES[type(conv)] for key, conv in pattern.pattern.converters.items()}
        name = f"{namespace}{pattern.name}"
        routes.append(Route(name=name, url=reverse(name, kwargs=kwargs), view=pattern.callback))
    return routes
