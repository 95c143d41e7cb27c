"""Runs imported from the runner's watch or Strava export: parsed in memory, previewed, then saved.

Pure part (no ORM, no Django): `activity` (what one parsed activity is, the
limits every activity must pass), `records` (the world-record speeds behind the
"too fast to be a run" limit), one parser per format (`gpx`, `tcx`, `fit`,
`strava`), `upload` (`parse_upload`: the format told by the content, never the
name) and `plan` (duplicates merged within the upload and with saved runs).
The rest sits on top: `stash` (the preview kept in the session, never the
file), `services` (the one transaction that saves the confirmed runs),
`uploads` (the request's upload handler that keeps files in memory), `forms`,
`views` and `urls` (the portal pages on the programme link).

An uploaded file is read from bytes in memory and then dropped: it is never
written to disk or the database, and nothing in it is ever executed. XML
(GPX, TCX) is first read by defusedxml with DTDs, entities and external
references refused, so neither XML reader ever sees an entity.
"""
