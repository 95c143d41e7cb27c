"""The import pages on the programme link: upload → preview → confirm, merges, refusals, scope, escaping."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assessments.models import Run
from assessments.training.imports.activity import MAX_FILE_BYTES, ParsedActivity
from assessments.training.imports.plan import Upload
from assessments.training.imports.services import runs_import
from clinic.audit.models import AccessEvent
from tests.assessments.training.imports.support import (
    CANCEL,
    NOW,
    PREVIEW,
    UPLOAD,
    runner_programme,
    sample,
    sign_in,
)
from tests.assessments.training.samples import make_samples as make
from tests.assessments.training.samples.make_samples import SAMPLES, Sample

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_cache")]


def _file(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, sample(name) if data is None else data, content_type="application/octet-stream"
    )


def _upload(client, *files: SimpleUploadedFile):
    return client.post(UPLOAD, {"uploads": list(files)})


def _preview_id(html: str) -> str:
    return re.search(r'name="preview" value="([^"]+)"', html).group(1)


def _keys(html: str) -> list[str]:
    return re.findall(r'name="add" value="([^"]+)"', html)


def _confirm(client, *, keys: list[str] | None = None):
    page = client.get(PREVIEW).content.decode()
    return client.post(PREVIEW, {"preview": _preview_id(page), "add": _keys(page) if keys is None else keys})


def test_a_gpx_file_is_previewed_then_saved_as_an_easy_road_run_with_its_readings(signed_in, programme):
    response = _upload(signed_in, _file("easy_run.gpx"))

    assert (response.status_code, response["Location"]) == (302, PREVIEW)
    page = signed_in.get(PREVIEW).content.decode()
    assert "New runs (1)" in page
    assert "Mon 5 Oct 2026, 07:30" in page  # 06:30 UTC, British Summer Time
    assert "8.01 km" in page
    assert Run.objects.count() == 0  # nothing saved before the confirmation

    response = _confirm(signed_in)

    assert (response.status_code, response["Location"]) == (302, UPLOAD)
    run = Run.objects.get()
    assert (run.patient, run.programme, run.day) == (
        programme.patient,
        programme,
        date(2026, 10, 5),
    )
    assert run.started_at == datetime(2026, 10, 5, 6, 30, tzinfo=UTC)
    assert (run.distance_m, run.duration_s, run.source) == (8009, 2880, "gpx")
    assert (run.session_type, run.surface, run.shoe) == ("easy", "road", None)
    assert (run.elevation_gain_m, run.avg_cadence_spm) == (40, 172)
    assert (run.pain_during, run.pain_evening, run.pain_next_morning, run.pain_onset) == (
        None,
        None,
        None,
        "",
    )
    done = signed_in.get(UPLOAD).content.decode()
    assert "Added 1 run to your log." in done


def test_every_format_in_one_upload_adds_each_run_once(signed_in):
    response = _upload(
        signed_in,
        _file("easy_run.gpx"),
        _file("tempo_run.tcx"),
        _file("long_run.fit"),
        _file("activities.csv"),
    )
    assert response.status_code == 302
    page = signed_in.get(PREVIEW).content.decode()
    # The GPX run and its Strava row (a minute apart) are one run; the ride and weight training are left out.
    assert "New runs (5)" in page
    assert "also in activities.csv (merged)" in page
    assert "2 activities that are not runs left out." in page

    _confirm(signed_in)

    runs = list(Run.objects.order_by("started_at").values_list("source", "distance_m", "surface"))
    assert runs == [
        ("gpx", 8009, "road"),
        ("tcx", 6000, "road"),
        ("strava_csv", 10500, "trail"),
        ("fit", 16000, "road"),
        ("strava_csv", 5000, "road"),
    ]


def test_an_upload_of_a_run_already_logged_fills_in_what_it_lacked_and_keeps_the_patients_answers(
    signed_in, programme
):
    typed = Run.objects.create(
        patient=programme.patient,
        programme=programme,
        day=date(2026, 10, 5),
        started_at=datetime(2026, 10, 5, 6, 31, 30, tzinfo=UTC),
        distance_m=8200,
        duration_s=2900,
        session_type="long",
        pain_during=3,
        pain_onset="distance",
        pain_onset_m=6000,
        pain_next_morning=2,
        note="Hip twinged after 6 km",
    )

    _upload(signed_in, _file("easy_run.gpx"))
    page = signed_in.get(PREVIEW).content.decode()
    assert "Already in your log (1)" in page
    assert "adds climb 40 m and cadence 172 steps/min" in page
    _confirm(signed_in)

    assert Run.objects.count() == 1
    typed.refresh_from_db()
    assert (typed.distance_m, typed.duration_s, typed.session_type) == (8200, 2900, "long")
    assert (typed.pain_during, typed.pain_onset_m, typed.pain_next_morning) == (3, 6000, 2)
    assert typed.note == "Hip twinged after 6 km"
    assert (typed.elevation_gain_m, typed.avg_cadence_spm, typed.version) == (40, 172, 2)
    assert (typed.source, typed.started_at) == ("manual", datetime(2026, 10, 5, 6, 31, 30, tzinfo=UTC))


def test_confirming_twice_or_importing_the_same_file_again_never_doubles_a_run(signed_in):
    _upload(signed_in, _file("long_run.fit"))
    page = signed_in.get(PREVIEW).content.decode()
    confirm = {"preview": _preview_id(page), "add": _keys(page)}
    signed_in.post(PREVIEW, confirm)

    again = signed_in.post(PREVIEW, confirm)  # a double tap: the preview is gone
    assert (again.status_code, again["Location"]) == (302, UPLOAD)
    _upload(signed_in, _file("long_run.fit"))  # the same file, another day
    assert "Already in your log (1)" in signed_in.get(PREVIEW).content.decode()
    _confirm(signed_in)

    assert Run.objects.count() == 1


def test_a_run_from_before_the_programme_is_history_not_the_programmes(signed_in, programme):
    earlier = make.fit(Sample(datetime(2026, 9, 20, 7, 0, tzinfo=UTC), 12_000, 4_000, 30, 85))

    _upload(signed_in, _file("september.fit", earlier), _file("long_run.fit"))
    _confirm(signed_in)

    assert list(Run.objects.order_by("day").values_list("day", "programme")) == [
        (date(2026, 9, 20), None),
        (date(2026, 10, 11), programme.pk),
    ]


def test_a_run_left_unticked_is_not_saved(signed_in):
    _upload(signed_in, _file("tempo_run.tcx"), _file("long_run.fit"))
    keys = _keys(signed_in.get(PREVIEW).content.decode())
    assert len(keys) == 2

    _confirm(signed_in, keys=keys[:1])

    assert list(Run.objects.values_list("source", flat=True)) == ["tcx"]


def test_a_preview_replaced_in_another_tab_is_shown_again_not_saved(signed_in):
    _upload(signed_in, _file("tempo_run.tcx"))
    old = signed_in.get(PREVIEW).content.decode()
    _upload(signed_in, _file("long_run.fit"))  # another tab

    response = signed_in.post(PREVIEW, {"preview": _preview_id(old), "add": _keys(old)})

    assert response.status_code == 409
    assert "This is the newer upload" in response.content.decode()
    assert Run.objects.count() == 0


def test_cancel_forgets_the_preview(signed_in):
    _upload(signed_in, _file("tempo_run.tcx"))

    signed_in.post(CANCEL)

    assert signed_in.get(PREVIEW)["Location"] == UPLOAD
    assert Run.objects.count() == 0


BAD_FILES = [
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "this is not a GPX, TCX or FIT file"),
    (
        "ultra.fit",
        make.fit(Sample(datetime(2026, 10, 10, 6, tzinfo=UTC), 400_000, 40 * 3600, 100, 80)),
        "over 300 km",
    ),
    (
        "tomorrow.tcx",
        make.tcx(Sample(NOW + timedelta(days=1), 5000, 1500, 10, 85)),
        "times are in the future",
    ),
    ("damaged.fit", sample("long_run.fit")[:-12], "could not be read as a FIT file"),
    ("zero.fit", make.fit(Sample(datetime(2026, 10, 10, 6, tzinfo=UTC), 0, 1500, 0, 85)), "has no distance"),
    ("huge.gpx", b"<" + b" " * MAX_FILE_BYTES, "larger than 20 MB"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_gets_its_message_and_nothing_is_saved(signed_in, name, data, message):
    _upload(signed_in, _file(name, data))
    page = signed_in.get(PREVIEW).content.decode()

    assert "Not imported" in page
    assert message in page
    assert "There is nothing in these files to add to your log." in page
    assert signed_in.post(PREVIEW, {"preview": "anything", "add": ["0-0"]}).status_code in (302, 409)
    assert Run.objects.count() == 0


def test_a_bad_file_beside_good_ones_is_refused_alone(signed_in):
    _upload(signed_in, _file("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64), _file("tempo_run.tcx"))
    page = signed_in.get(PREVIEW).content.decode()

    assert "photo.jpg" in page
    assert "New runs (1)" in page
    _confirm(signed_in)
    assert Run.objects.count() == 1


def test_a_10000_point_track_imports_within_the_request(signed_in):
    data = make.gpx(SAMPLES["easy_run.gpx"], points=10_000)

    _upload(signed_in, _file("big.gpx", data))
    _confirm(signed_in)

    run = Run.objects.get()
    assert (run.source, run.duration_s) == ("gpx", 2880)


def test_an_upload_is_never_written_to_disk(signed_in, settings, tmp_path):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # Django would spool anything bigger to a temporary file
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)

    _upload(signed_in, _file("easy_run.gpx"))

    assert "New runs (1)" in signed_in.get(PREVIEW).content.decode()
    assert list(tmp_path.iterdir()) == []


def test_no_file_chosen_is_an_error_next_to_the_field(signed_in):
    response = signed_in.post(UPLOAD, {})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "Choose one or more files from your watch or app." in page


def test_more_than_ten_files_are_refused(signed_in):
    response = _upload(signed_in, *[_file(f"run{i}.fit", sample("long_run.fit")) for i in range(11)])

    assert response.status_code == 400
    assert "Choose up to 10 files at a time." in response.content.decode()


def test_files_over_50_mb_together_are_refused_and_none_is_read(signed_in):
    chunk = b" " * (17 * 1024 * 1024)  # each under the 20 MB of one file

    response = _upload(signed_in, *[_file(f"part{i}.gpx", chunk) for i in range(3)])

    assert response.status_code == 400
    assert "These files are larger than 50 MB together: upload fewer at a time." in response.content.decode()
    assert signed_in.get(PREVIEW)["Location"] == UPLOAD


def test_the_upload_still_needs_the_csrf_token(signed_in):
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = signed_in.cookies

    response = strict.post(UPLOAD, {"uploads": [_file("long_run.fit")]})

    assert response.status_code == 403
    assert Run.objects.count() == 0


def test_without_the_links_session_the_pages_say_the_session_ended(client, october):
    for response in (
        client.get(UPLOAD),
        client.get(PREVIEW),
        client.post(UPLOAD, {"uploads": [_file("long_run.fit")]}),
    ):
        assert response.status_code == 403
    assert Run.objects.count() == 0


def test_another_patients_session_cannot_confirm_someones_preview(signed_in, programme, therapist):
    _upload(signed_in, _file("long_run.fit"))
    page = signed_in.get(PREVIEW).content.decode()
    confirm = {"preview": _preview_id(page), "add": _keys(page)}
    other = runner_programme(therapist, first_name="Sam", last_name="Pacer")
    other_browser = Client()
    sign_in(other_browser, other, therapist, last_name="pacer")

    # In another browser: the preview is not there, whatever is posted.
    response = other_browser.post(PREVIEW, confirm)
    assert (response.status_code, response["Location"]) == (302, UPLOAD)
    # In the same browser, once the other patient's link is opened there: the preview went with the session.
    sign_in(signed_in, other, therapist, last_name="pacer")
    response = signed_in.post(PREVIEW, confirm)
    assert (response.status_code, response["Location"]) == (302, UPLOAD)

    assert Run.objects.count() == 0


def test_each_import_page_is_an_access_of_the_patients_record(signed_in, programme):
    before = AccessEvent.objects.filter(patient_id=programme.patient_id).count()

    _upload(signed_in, _file("long_run.fit"))
    signed_in.get(PREVIEW)

    assert AccessEvent.objects.filter(patient_id=programme.patient_id).count() == before + 2


def test_the_pages_never_echo_a_files_content_unescaped(signed_in):
    hostile_name = '<svg onload="alert(1)">.gpx'
    # The track's <type> holds markup (escaped in the XML, so it reads as "<img …>").
    data = make.gpx(SAMPLES["easy_run.gpx"], kind="&lt;img src=x onerror=alert(1)&gt;")

    _upload(signed_in, _file(hostile_name, data))
    page = signed_in.get(PREVIEW).content.decode()

    assert "<svg" not in page
    assert "&lt;svg onload=&quot;alert(1)&quot;&gt;.gpx" in page
    assert "<img" not in page
    # The sport is reduced to letters, digits and spaces before it is shown.
    assert "is recorded as img srcx onerroralert1, not a run" in page


def test_a_failed_save_rolls_back_every_run_of_the_import(programme):
    good = ParsedActivity(datetime(2026, 10, 5, 6, 30, tzinfo=UTC), 8000, 2880, None, None, "gpx", "running")
    bad = ParsedActivity(
        datetime(2026, 10, 6, 6, 30, tzinfo=UTC), 400_000, 2880, None, None, "gpx", "running"
    )
    uploads = [Upload("0-0", "a.gpx", good), Upload("1-0", "b.gpx", bad)]

    with pytest.raises(ValidationError) as refused:
        runs_import(patient=programme.patient, programme=programme, uploads=uploads, keys={"0-0", "1-0"})

    assert list(refused.value.message_dict) == ["distance_m"]
    assert Run.objects.count() == 0


def test_a_new_run_on_the_day_of_a_typed_in_run_without_a_start_is_shown_with_it(signed_in, programme):
    Run.objects.create(
        patient=programme.patient,
        programme=programme,
        day=date(2026, 10, 11),
        distance_m=16000,
        duration_s=5800,
    )

    _upload(signed_in, _file("long_run.fit"))
    page = signed_in.get(PREVIEW).content.decode()

    assert 'aria-describedby="same-day-0-0"' in page
    assert "You typed in a run that day (Sun 11 Oct 2026: 16.00 km in 1:36:40)" in page
    _confirm(signed_in, keys=[])  # the patient unticks it: it is the same run
    assert Run.objects.count() == 1
