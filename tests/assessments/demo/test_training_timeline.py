"""The demo runners on the therapist's training timeline: the pattern sentence, the bone-stress warning, worn shoes."""

import pytest
from django.urls import reverse

from assessments.demo import assessments as demo
from assessments.demo import programmes as demo_programmes
from assessments.demo import training as demo_training
from assessments.models import Programme, ProgrammeAlert
from patients.intake.choices import FlagSource, RedFlagCode
from patients.models import RedFlag

pytestmark = pytest.mark.django_db


@pytest.fixture
def runners(demo_diary, physio):
    demo_diary(patients=7, weeks_ago=8)
    demo.load()
    demo_programmes.load()
    demo_training.load()
    return list(Programme.objects.filter(patient__runs__isnull=False).distinct().select_related("therapist"))


def _page(client, programme) -> str:
    client.force_login(programme.therapist)
    response = client.get(reverse("assessments:training_timeline", args=[programme.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_demo_runner_shows_what_their_log_is_about(client, runners):
    pages = {p.pk: _page(client, p) for p in runners}
    alerts = {
        p.pk: set(ProgrammeAlert.objects.filter(programme=p).values_list("kind", flat=True)) for p in runners
    }

    (mileage,) = [pk for pk, html in pages.items() if 'data-pattern="distance"' in html]
    assert "Next-morning pain ≥ 3 followed 4 of 5 weeks above" in pages[mileage]
    (onset,) = [pk for pk, kinds in alerts.items() if "training_onset_earlier" in kinds]
    assert 'data-training-alert="training_onset_earlier"' in pages[onset]
    assert RedFlag.objects.filter(
        patient__programmes__pk=onset, flag_code=RedFlagCode.BONE_STRESS, source=FlagSource.TRAINING_LOG
    ).exists()
    (worn,) = [pk for pk, kinds in alerts.items() if "training_shoes" in kinds]
    assert 'data-event="new_shoes"' in pages[worn]
    assert '<span class="text-danger fw-semibold">Due</span>' in pages[worn]
    assert len({mileage, onset, worn}) == 3
