"""The preview between upload and confirmation, kept in the patient's session (never the file).

Only what the parsers read is kept (start, distance, time, climb, cadence,
format, surface, the file's display name) with the refusals to show, under
one session key, for STASH_MINUTES. It names the programme (and patient) the
session was bound to when it was made and a random preview id the
confirmation must post back: a session bound to another programme since, an
old tab after a newer upload, or a stale preview finds nothing to confirm.
The portal's `forget` drops the key with the rest of the session's data.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest

from assessments.training.imports.activity import ImportProblem, ParsedActivity
from assessments.training.imports.plan import Upload

STASH_KEY = "training_import"
DONE_KEY = "training_import_done"  # what the last confirmation saved, for the next page
STASH_MINUTES = 30


@dataclass(frozen=True)
class Stash:
    preview_id: str
    uploads: tuple[Upload, ...]
    problems: tuple[ImportProblem, ...]
    notes: tuple[str, ...]


def _upload_json(upload: Upload) -> dict[str, Any]:
    a = upload.activity
    return {
        "key": upload.key,
        "file": upload.file_name,
        "start": a.started_at.isoformat(),
        "distance_m": a.distance_m,
        "duration_s": a.duration_s,
        "elevation_gain_m": a.elevation_gain_m,
        "avg_cadence_spm": a.avg_cadence_spm,
        "source": str(a.source),
        "sport": a.sport,
        "surface": str(a.surface),
    }


def _upload(row: dict[str, Any]) -> Upload:
    return Upload(
        key=str(row["key"]),
        file_name=str(row["file"]),
        activity=ParsedActivity(
            started_at=datetime.fromisoformat(row["start"]),
            distance_m=int(row["distance_m"]),
            duration_s=int(row["duration_s"]),
            elevation_gain_m=row["elevation_gain_m"],
            avg_cadence_spm=row["avg_cadence_spm"],
            source=str(row["source"]),
            sport=str(row["sport"]),
            surface=str(row["surface"]),
        ),
    )


def stash_put(
    request: HttpRequest,
    *,
    programme_id: int,
    patient_id: int,
    uploads: list[Upload],
    problems: list[ImportProblem],
    notes: list[str],
) -> str:
    """Keep a new preview (replacing any earlier one); returns its id."""
    preview_id = secrets.token_urlsafe(12)
    request.session[STASH_KEY] = {
        "id": preview_id,
        "programme": programme_id,
        "patient": patient_id,
        "until": int(time.time()) + STASH_MINUTES * 60,
        "uploads": [_upload_json(u) for u in uploads],
        "problems": [[p.file_name, p.message] for p in problems],
        "notes": list(notes),
    }
    return preview_id


def stash_get(request: HttpRequest, *, programme_id: int, patient_id: int) -> Stash | None:
    """The session's preview for this programme and patient, or None (an expired or foreign one is dropped)."""
    data = request.session.get(STASH_KEY)
    if not isinstance(data, dict):
        return None
    if (
        data.get("programme") != programme_id
        or data.get("patient") != patient_id
        or int(data.get("until", 0)) < time.time()
    ):
        stash_drop(request)
        return None
    return Stash(
        preview_id=str(data["id"]),
        uploads=tuple(_upload(row) for row in data["uploads"]),
        problems=tuple(ImportProblem(file, message) for file, message in data["problems"]),
        notes=tuple(data["notes"]),
    )


def stash_drop(request: HttpRequest) -> None:
    request.session.pop(STASH_KEY, None)
