"""What a signed-in request knows of its user's access, kept in the session between requests.

Every staff request needs the user's roles, whether the user has a confirmed
authenticator, and which device (if any) verified this session. Read from the
database each time, that is three queries on every page. They are read once
instead and kept in the session beside the user's `access_stamp`. The user
row is loaded on every request anyway; while its stamp matches, the snapshot
stands in for the three queries.

Granting or removing a role, renaming or deleting a role group, and adding,
confirming, using or removing an authenticator all bump the stamp (signals.py),
so the next request of every session of that user reads afresh. Deactivating
an account needs no stamp: an inactive user is never signed in.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import F

from clinic.staff.models import User

SNAPSHOT_KEY = "stride_access"


@dataclass(frozen=True)
class AccessSnapshot:
    roles: frozenset[str]
    has_device: bool
    # The persistent id of the device this session was verified with ("" when unverified).
    verified_with: str


def snapshot_read(session: SessionBase, user: User) -> AccessSnapshot | None:
    """The stored snapshot, if it was taken for this user at the user's current stamp."""
    stored = session.get(SNAPSHOT_KEY)
    if not isinstance(stored, dict):
        return None
    if stored.get("user") != user.pk or stored.get("stamp") != user.access_stamp:
        return None
    return AccessSnapshot(
        roles=frozenset(stored.get("roles", ())),
        has_device=bool(stored.get("has_device")),
        verified_with=str(stored.get("verified_with", "")),
    )


def snapshot_store(session: SessionBase, user: User, snapshot: AccessSnapshot) -> None:
    """Keep `snapshot` for the following requests (written with the session, only when it changed)."""
    value = {
        "user": user.pk,
        "stamp": user.access_stamp,
        "roles": sorted(snapshot.roles),
        "has_device": snapshot.has_device,
        "verified_with": snapshot.verified_with,
    }
    if session.get(SNAPSHOT_KEY) != value:
        session[SNAPSHOT_KEY] = value


def access_changed(user_ids: Iterable[int]) -> None:
    """Invalidate every session's snapshot of these users (their roles or devices changed)."""
    ids = set(user_ids)
    if ids:
        User.objects.filter(pk__in=ids).update(access_stamp=F("access_stamp") + 1)
