"""One uploaded file to a list of runs, or the reasons it cannot be imported.

The format is told by the content, never by the name or the browser's type:
FIT by its header (".FIT" at byte 8), GPX and TCX by the XML root element
(after defusedxml accepted the document: no DTD, no entities, no external
references), a Strava export by its header row. A gzip file (as Strava's
export holds its activity files) is unpacked in memory, bounded by the same
size limit, and read once more. A zip archive is refused with what to do.
Every activity then passes `activity_problem` (distance, duration, world
record, dates); runs older than `since` are left out and counted.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING

import defusedxml
import defusedxml.ElementTree as SafeET

from assessments.training.imports import gpx, strava, tcx
from assessments.training.imports.activity import (
    ENGLISH,
    MAX_FILE_BYTES,
    MAX_FILE_MB,
    RUNNING,
    FileRefused,
    ImportProblem,
    ImportResult,
    ParsedActivity,
    Wording,
    _,
    activity_problem,
    describe_start,
)
from assessments.training.imports.fit import parse_fit

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element  # nosec B405

WRONG_TYPE = _("this is not a GPX, TCX or FIT file, nor a Strava activities.csv, so it cannot be imported.")
TOO_BIG = _(
    "it is larger than {mb} MB. Upload one activity at a time, or the activities.csv of a Strava export."
)
ZIP = _("it is a zip archive: unzip it first, then upload activities.csv or the activity files inside it.")
EMPTY = _("it is empty.")
UNSAFE_XML = _(
    "it could not be read: it contains XML declarations (a DTD or entities) that no watch file has."
)
CORRUPT_XML = _("it could not be read: the XML in it is damaged or incomplete. Export it again.")
NOT_UTF8 = _("it could not be read: it is not text in UTF-8.")
NAME_LENGTH = 80
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")
_SPORT_TEXT = re.compile(r"[^a-z0-9 _-]")


def display_name(name: str) -> str:
    """The file's own name (no folders, no control characters, at most 80 characters) for messages."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _UNSAFE_NAME.sub("", base).strip() or "file"
    return base if len(base) <= NAME_LENGTH else base[: NAME_LENGTH - 1] + "…"


def _gunzip(data: bytes) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            unpacked = stream.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise FileRefused(_("it could not be unpacked: the gzip file is damaged.")) from exc
    if len(unpacked) > MAX_FILE_BYTES:
        raise FileRefused(_("unpacked, it is larger than {mb} MB."), mb=MAX_FILE_MB)
    return unpacked


def safe_xml(data: bytes) -> Element:
    """The document's root, read by defusedxml: a DTD, entity or external reference refuses the file."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise FileRefused(UNSAFE_XML) from exc
    except SafeET.ParseError as exc:
        raise FileRefused(CORRUPT_XML) from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_activities(data: bytes) -> tuple[list[ParsedActivity], list[tuple[int, str]], int]:
    """The activities in a file, the rows refused inside it (line, reason) and the non-runs left out.

    Raises FileRefused when the file as a whole cannot be read.
    """
    if not data.strip():
        raise FileRefused(EMPTY)
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
        if data[:2] == b"\x1f\x8b":
            raise FileRefused(WRONG_TYPE)
    if data[:4] == b"PK\x03\x04":
        raise FileRefused(ZIP)
    if len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT":
        return parse_fit(data), [], 0
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        root = safe_xml(data)
        kind = _local(root.tag)
        if kind == "gpx":
            return gpx.parse_gpx(_text(data)), [], 0
        if kind == "TrainingCenterDatabase":
            return tcx.parse_tcx(data), [], 0
        raise FileRefused(WRONG_TYPE)
    try:
        text = _text(data)
    except FileRefused:
        raise FileRefused(WRONG_TYPE) from None  # binary: an image, a document, an archive
    if strava.looks_like_strava(text.split("\n", 1)[0]):
        rows = strava.parse_strava(text)
        return rows.activities, [(p.line, p.reason) for p in rows.problems], rows.skipped
    raise FileRefused(WRONG_TYPE)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(NOT_UTF8) from exc


def _sport_name(sport: str, wording: Wording) -> str:
    text = _SPORT_TEXT.sub("", sport.lower().replace("_", " "))[:30].strip()
    return text or wording.say(_("another sport"))


def parse_upload(
    name: str,
    data: bytes,
    *,
    now: datetime | None = None,
    tz: tzinfo = UTC,
    since: date | None = None,
    size: int | None = None,
    wording: Wording = ENGLISH,
) -> ImportResult:
    """Every run in one uploaded file that can be imported, and why anything else cannot.

    `now` (aware; the current time by default) dates "the future"; `tz` words
    the messages' times and sets the days `since` compares with: runs that
    started on a day before `since` are left out and counted in `notes`.
    `size` is the upload's size when `data` holds less of it (the upload
    handler keeps nothing of a file past the limit). `wording` writes the
    sentences (the patient's language; English by default).
    """
    say = wording.say
    now = now or datetime.now(UTC)
    label = display_name(name)
    if max(size or 0, len(data)) > MAX_FILE_BYTES:
        return ImportResult(errors=(ImportProblem(label, say(TOO_BIG, mb=MAX_FILE_MB)),))
    try:
        activities, row_problems, skipped = read_activities(data)
    except FileRefused as refused:
        return ImportResult(errors=(ImportProblem(label, say(refused.reason, **refused.values)),))
    errors = [
        ImportProblem(label, say(_("row {line}: {reason}"), line=line, reason=say(reason)))
        for line, reason in row_problems
    ]
    kept: list[ParsedActivity] = []
    older = 0
    for activity in activities:
        when = describe_start(activity.started_at, tz, wording)
        if activity.sport != RUNNING:
            errors.append(
                ImportProblem(
                    label,
                    say(
                        _(
                            "the activity of {when} is recorded as {sport}, not a run: only runs are imported."
                        ),
                        when=when,
                        sport=_sport_name(activity.sport, wording),
                    ),
                )
            )
            continue
        problem = activity_problem(activity, now=now, wording=wording)
        if problem is not None:
            errors.append(
                ImportProblem(label, say(_("the run of {when}: {problem}"), when=when, problem=problem))
            )
            continue
        if since is not None and activity.started_at.astimezone(tz).date() < since:
            older += 1
            continue
        kept.append(activity)
    notes = []
    if skipped:
        notes.append(
            wording.say_count(
                _("{file}: {count} activity that is not a run left out."),
                _("{file}: {count} activities that are not runs left out."),
                skipped,
                file=label,
            )
        )
    if older and since is not None:
        notes.append(
            wording.say_count(
                _("{file}: {count} run from before {day} left out."),
                _("{file}: {count} runs from before {day} left out."),
                older,
                file=label,
                day=wording.day(since),
            )
        )
    return ImportResult(activities=tuple(kept), errors=tuple(errors), skipped=skipped, notes=tuple(notes))
