"""What an API client's scopes let it read (pure: plain values in, plain values out).

Scopes follow SMART on FHIR's v1 form for reads of patient data:
`patient/*.read` (every type the API serves) or `patient/<Type>.read` (one
type). The API is read-only, so no other scope exists.
"""

import re
from collections.abc import Iterable

SCOPE_ALL = "patient/*.read"
_SCOPE = re.compile(r"^patient/(?P<type>\*|[A-Z][A-Za-z]+)\.read$")


def scope_for(resource_type: str) -> str:
    return f"patient/{resource_type}.read"


def scopes_for(resource_types: Iterable[str] | None) -> list[str]:
    """The scopes of a client limited to `resource_types` (None: every type)."""
    if resource_types is None:
        return [SCOPE_ALL]
    return sorted({scope_for(t) for t in resource_types})


def scope_problems(scopes: Iterable[str], known_types: Iterable[str]) -> list[str]:
    """Why `scopes` cannot be stored (unknown form or type, or none at all); empty when they can."""
    known = set(known_types)
    problems = []
    scopes = list(scopes)
    if not scopes:
        problems.append("A client needs at least one scope.")
    for scope in scopes:
        match = _SCOPE.match(scope)
        if match is None:
            problems.append(f"{scope!r} is not a read scope of the form patient/<Type>.read.")
        elif match["type"] != "*" and match["type"] not in known:
            problems.append(f"{match['type']} is not a resource type the API serves.")
    return problems


def readable_types(scopes: Iterable[str], known_types: Iterable[str]) -> frozenset[str]:
    """The resource types of patient data `scopes` let a client read (unknown scopes grant nothing)."""
    known = frozenset(known_types)
    readable: set[str] = set()
    for scope in scopes:
        match = _SCOPE.match(scope)
        if match is None:
            continue
        if match["type"] == "*":
            return known
        if match["type"] in known:
            readable.add(match["type"])
    return frozenset(readable)


def reads_everything(scopes: Iterable[str], known_types: Iterable[str]) -> bool:
    """Whether the client may read every type (what Patient/{id}/$everything needs)."""
    known = frozenset(known_types)
    return readable_types(scopes, known) == known
