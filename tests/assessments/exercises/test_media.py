"""An exercise's image or video: checked by content, re-encoded, private, and served only to who may see it."""

import io
import struct
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from assessments.documents.presenters import exercise_sheet
from assessments.exercises.choices import MediaType
from assessments.exercises.media import NOT_MEDIA, check_upload
from assessments.exercises.services import exercise_save
from assessments.models import Exercise, PrescribedExercise
from assessments.programmes.selectors import patient_phase
from assessments.programmes.services.links import link_issue
from clinic.audit.models import AccessActor, AccessEvent
from tests.assessments.programmes.support import START, at, start_programme
from tests.assessments.programmes.test_checkins import sign_in
from tests.factories import PatientFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_cache")]

DESCRIPTION = "Lying on your back, knees bent, hips lifted in a straight line from shoulders to knees."


@pytest.fixture(autouse=True)
def media_dir(tmp_path, monkeypatch):
    """The private storage in a fresh directory (the field's storage is built once, at import)."""
    storage = Exercise._meta.get_field("media").storage
    monkeypatch.setattr(storage, "_location", str(tmp_path))
    for cached in ("base_location", "location"):
        monkeypatch.delitem(storage.__dict__, cached, raising=False)
    yield tmp_path
    for cached in ("base_location", "location"):
        storage.__dict__.pop(cached, None)


def png(size=(40, 20), *, exif_orientation: int | None = None, text: str | None = None) -> bytes:
    """A PNG with a left half red and a right half blue; optionally EXIF (with GPS-ish tags) and a text chunk."""
    image = Image.new("RGB", size, (220, 30, 30))
    image.paste((30, 30, 220), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    options: dict[str, object] = {}
    if exif_orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation  # Orientation
        exif[0x010F] = "Camera maker"  # Make
        exif[0x0131] = "Secret editor 1.0"  # Software
        options["exif"] = exif.tobytes()
    if text is not None:
        info = PngInfo()
        info.add_text("Comment", text)
        options["pnginfo"] = info
    image.save(out, "PNG", **options)
    return out.getvalue()


def mp4(payload: bytes = b"\x00" * 64, brand: bytes = b"isom", compatible: bytes = b"mp41") -> bytes:
    ftyp = struct.pack(">I4s4sI4s4s", 24, b"ftyp", brand, 0x200, brand, compatible)
    moov = struct.pack(">I4s", 8, b"moov")
    mdat = struct.pack(">I4s", 8 + len(payload), b"mdat") + payload
    return ftyp + moov + mdat


def form_data(exercise: Exercise, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": exercise.name,
        "category": exercise.category,
        "target_area": exercise.target_area,
        "default_sets": exercise.default_sets or "",
        "default_reps": exercise.default_reps or "",
        "default_hold_s": exercise.default_hold_s or "",
        "default_distance_m": exercise.default_distance_m or "",
        "load_note": exercise.load_note,
        "frequency_per_week": exercise.frequency_per_week,
        "instructions": exercise.instructions,
        "contraindicated_for": exercise.contraindicated_for,
        "source": exercise.source,
        "is_active": "on" if exercise.is_active else "",
        "media_description": exercise.media_description,
        "version": exercise.version,
    }
    if exercise.per_side:
        data["per_side"] = "on"
    data.update(extra)
    return data


def upload(client, exercise: Exercise, name: str, content: bytes, content_type: str = "image/jpeg", **extra):
    file = SimpleUploadedFile(name, content, content_type=content_type)
    url = reverse("assessments:exercise_edit", args=[exercise.pk])
    return client.post(url, form_data(exercise, media_upload=file, **extra))


@pytest.fixture
def bridge():
    return Exercise.objects.get(code="SL_BRIDGE")


def with_image(exercise: Exercise, admin, content: bytes | None = None) -> Exercise:
    media = check_upload(ContentFile(content or png(), name="x.png"))
    values = {"media_description": DESCRIPTION}
    return exercise_save(
        exercise=exercise, values=values, by=admin, expected_version=exercise.version, media=media
    )


# --- Checked by content -------------------------------------------------------------------------------


def test_a_file_that_is_no_image_named_jpg_is_refused_next_to_the_field(
    clinic_admin_client, bridge, media_dir
):
    response = upload(clinic_admin_client, bridge, "bridge.jpg", b"%PDF-1.7\n" + b"x" * 500, "image/jpeg")

    assert response.status_code == 400
    assert response.context["form"].errors["media_upload"] == [NOT_MEDIA]
    assert NOT_MEDIA in response.content.decode()
    bridge.refresh_from_db()
    assert (bridge.media.name, bridge.media_type) == ("", "")
    assert list(media_dir.rglob("*.*")) == []


def test_a_truncated_png_is_refused(clinic_admin_client, bridge):
    response = upload(clinic_admin_client, bridge, "bridge.png", png()[:60], "image/png")

    assert response.context["form"].errors["media_upload"] == [NOT_MEDIA]


def test_an_image_needs_a_description(clinic_admin_client, bridge):
    response = upload(clinic_admin_client, bridge, "b.png", png(), "image/png", media_description=" ")

    assert response.status_code == 400
    assert response.context["form"].errors["media_description"] == [
        "Describe the image: patients who cannot see it hear the description."
    ]


def test_a_png_with_exif_and_text_is_stored_upright_without_any_metadata(
    clinic_admin_client, bridge, media_dir
):
    content = png((40, 20), exif_orientation=6, text="Taken at 12 Home Street")
    assert Image.open(io.BytesIO(content)).getexif()  # the upload does carry EXIF

    response = upload(
        clinic_admin_client,
        bridge,
        "IMG_2041 Robin.PNG",
        content,
        "application/octet-stream",
        media_description=DESCRIPTION,
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    bridge.refresh_from_db()
    assert bridge.media_type == MediaType.PNG
    assert bridge.media_description == DESCRIPTION
    # A random name: nothing of the upload's own name (or a patient's) is kept.
    assert "Robin" not in bridge.media.name and "IMG" not in bridge.media.name
    assert bridge.media.name.endswith(".png") and len(Path(bridge.media.name).stem) == 32
    stored = Path(bridge.media.path).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "PNG"
    assert dict(image.getexif()) == {}
    assert set(image.info) <= {"transparency"}
    assert b"eXIf" not in stored and b"tEXt" not in stored and b"Home Street" not in stored
    # Orientation 6 turned the 40 × 20 picture upright: 20 × 40, red now on top.
    assert image.size == (20, 40)
    assert image.convert("RGB").getpixel((10, 2))[0] > 150


def test_a_large_image_is_scaled_to_the_edge(settings, bridge, clinic_admin):
    settings.EXERCISE_MEDIA_IMAGE_MAX_EDGE = 100

    checked = check_upload(ContentFile(png((400, 200)), name="x.png"))

    assert (checked.width, checked.height) == (100, 50)


def test_an_image_over_the_byte_limit_is_refused(settings, clinic_admin_client, bridge):
    settings.EXERCISE_MEDIA_MAX_IMAGE_BYTES = 200

    response = upload(clinic_admin_client, bridge, "b.png", png((64, 64)) + b"\0" * 300, "image/png")

    assert response.status_code == 400
    [message] = response.context["form"].errors["media_upload"]
    assert message.startswith("Images are at most 0.0 MB")


def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(settings, clinic_admin_client, bridge):
    settings.EXERCISE_MEDIA_MAX_IMAGE_PIXELS = 1000

    response = upload(clinic_admin_client, bridge, "b.png", png((50, 50)), "image/png")

    assert response.context["form"].errors["media_upload"] == [
        "Images are at most 1,000 pixels; this one is 50 × 50."
    ]


def test_a_request_beyond_the_largest_video_is_refused_before_it_is_read(
    settings, clinic_admin_client, bridge
):
    settings.EXERCISE_MEDIA_MAX_REQUEST_BYTES = 1000

    response = upload(clinic_admin_client, bridge, "b.png", png() + b"\0" * 2000, "image/png")

    assert response.status_code == 413
    bridge.refresh_from_db()
    assert bridge.media.name == ""


def test_a_video_is_recognised_by_its_container_and_kept_as_uploaded(clinic_admin_client, bridge):
    content = mp4()

    response = upload(clinic_admin_client, bridge, "bridge.jpg", content, "image/jpeg")

    assert response.status_code == 302, response.content.decode()[:2000]
    bridge.refresh_from_db()
    assert bridge.media_type == MediaType.MP4 and bridge.media.name.endswith(".mp4")
    assert Path(bridge.media.path).read_bytes() == content


@pytest.mark.parametrize(
    "content",
    [
        mp4(brand=b"zzzz", compatible=b"abcd"),  # unknown brands
        mp4()[:-10],  # the last box runs past the end of the file
        struct.pack(">I4s4sI", 16, b"ftyp", b"isom", 0) + b"\0" * 40,  # no moov box
        b"\x1a\x45\xdf\xa3" + b"\0" * 60,  # EBML but not a WebM
    ],
)
def test_a_broken_or_unknown_container_is_refused(content):
    with pytest.raises(Exception, match="not a JPEG, PNG or WebP image"):
        check_upload(ContentFile(content, name="v.mp4"))


def test_a_webm_header_is_recognised():
    header = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\0" * 40

    assert check_upload(ContentFile(header, name="v")).media_type == MediaType.WEBM


def test_a_video_over_its_limit_is_refused(settings):
    settings.EXERCISE_MEDIA_MAX_VIDEO_BYTES = 50

    with pytest.raises(Exception, match="Videos are at most"):
        check_upload(ContentFile(mp4(), name="v.mp4"))


def test_removing_the_media_deletes_its_file(
    clinic_admin_client, bridge, clinic_admin, django_capture_on_commit_callbacks
):
    bridge = with_image(bridge, clinic_admin)
    path = Path(bridge.media.path)
    assert path.exists()

    url = reverse("assessments:exercise_edit", args=[bridge.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = clinic_admin_client.post(url, form_data(bridge, remove_media="on"))

    assert response.status_code == 302
    bridge.refresh_from_db()
    assert (bridge.media.name, bridge.media_type) == ("", "")
    assert not path.exists()


# --- Private: only the authorised views serve it ------------------------------------------------


def test_staff_read_the_file_inline_with_its_stored_type(therapist_client, bridge, clinic_admin):
    bridge = with_image(bridge, clinic_admin)

    response = therapist_client.get(reverse("assessments:exercise_media", args=[bridge.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == "inline"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content) == Path(bridge.media.path).read_bytes()


def test_a_video_answers_a_byte_range(therapist_client, bridge, clinic_admin):
    content = mp4(payload=bytes(range(200)))
    media = check_upload(ContentFile(content, name="v.mp4"))
    exercise_save(exercise=bridge, values={}, by=clinic_admin, expected_version=bridge.version, media=media)
    url = reverse("assessments:exercise_media", args=[bridge.pk])

    part = therapist_client.get(url, HTTP_RANGE="bytes=10-29")
    tail = therapist_client.get(url, HTTP_RANGE="bytes=-5")
    beyond = therapist_client.get(url, HTTP_RANGE=f"bytes={len(content)}-")

    assert part.status_code == 206 and part["Content-Type"] == "video/mp4"
    assert part["Content-Range"] == f"bytes 10-29/{len(content)}"
    assert b"".join(part.streaming_content) == content[10:30]
    assert b"".join(tail.streaming_content) == content[-5:]
    assert beyond.status_code == 416


def test_the_front_desk_cannot_read_exercise_media(front_desk_client, bridge, clinic_admin):
    """The desk sees neither the catalogue nor programmes, so not their pictures either."""
    bridge = with_image(bridge, clinic_admin)

    assert front_desk_client.get(reverse("assessments:exercise_media", args=[bridge.pk])).status_code == 403


def test_media_has_no_public_url(client, bridge, clinic_admin):
    bridge = with_image(bridge, clinic_admin)
    path = Path(bridge.media.path).resolve()

    anonymous = client.get(reverse("assessments:exercise_media", args=[bridge.pk]))
    portal = client.get(reverse("assessments:checkin_exercise_media", args=[bridge.pk]))

    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert portal.status_code == 404
    with pytest.raises(ValueError, match="not accessible via a URL"):
        _ = bridge.media.url
    served = [Path(settings.STATIC_ROOT), *(Path(d) for d in settings.STATICFILES_DIRS)]
    assert not any(path.is_relative_to(root.resolve()) for root in served)
    # Nothing under /static/ or a media URL reaches it by its name either.
    assert client.get(f"/{settings.STATIC_URL.strip('/')}/{bridge.media.name}").status_code == 404
    assert client.get(f"/media/{bridge.media.name}").status_code == 404


# --- The patient's programme pages ----------------------------------------------------------------


@pytest.fixture
def sunday():
    with time_machine.travel(at(START + timedelta(days=6), 19), tick=False) as traveller:
        yield traveller


@pytest.fixture
def two_programmes(therapist, clinic_admin, sunday):
    """Programme A prescribes the bridge (with an image); programme B, another patient's, does not."""
    mine = start_programme(
        therapist,
        patient=PatientFactory(
            first_name="Robin", last_name="Strider", date_of_birth=START.replace(year=1990)
        ),
    )
    theirs = start_programme(
        therapist,
        patient=PatientFactory(first_name="Kim", last_name="Other", date_of_birth=START.replace(year=1985)),
    )
    picture = with_image(
        Exercise.objects.create(
            code="WALL_SIT_PIC",
            name="Wall sit (pictured)",
            category="strength",
            target_area="Quadriceps",
            default_sets=3,
            default_hold_s=30,
            load_note="Hold",
            instructions="Back to the wall, knees at 90°.",
        ),
        clinic_admin,
    )
    PrescribedExercise.objects.create(phase=patient_phase(mine), exercise=picture, sets=3, hold_s=30)
    return mine, theirs, picture


def test_the_patients_page_shows_the_image_and_their_link_serves_it(client, therapist, two_programmes):
    mine, _, picture = two_programmes
    sign_in(
        client,
        link_issue(programme=mine, by=therapist, emailed=False),
        last_name="strider",
        dob=mine.patient.date_of_birth,
    )

    html = client.get(reverse("assessments:checkin_home")).content.decode()
    response = client.get(reverse("assessments:checkin_exercise_media", args=[picture.pk]))
    body = b"".join(response.streaming_content)

    src = reverse("assessments:checkin_exercise_media", args=[picture.pk])
    assert f'src="{src}" alt="{DESCRIPTION}"' in html
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body == Path(picture.media.path).read_bytes()
    events = AccessEvent.objects.filter(view_name="assessments:checkin_exercise_media")
    assert [(e.patient_id, e.actor) for e in events] == [(mine.patient_id, AccessActor.PATIENT)]


def test_another_programmes_link_cannot_fetch_this_programmes_media(client, therapist, two_programmes):
    _, theirs, picture = two_programmes
    sign_in(
        client,
        link_issue(programme=theirs, by=therapist, emailed=False),
        last_name="other",
        dob=theirs.patient.date_of_birth,
    )

    assert client.get(reverse("assessments:checkin_home")).status_code == 200
    assert client.get(reverse("assessments:checkin_exercise_media", args=[picture.pk])).status_code == 404


def test_the_home_exercise_sheet_embeds_the_image(two_programmes):
    mine, _, picture = two_programmes

    pictures = {item.exercise_id: uri for item, uri in exercise_sheet(mine, today=START)["exercises"]}

    assert pictures[picture.pk].startswith("data:image/png;base64,")
    assert {uri for pk, uri in pictures.items() if pk != picture.pk} <= {None}
