import pytest
import time_machine

from tests.assessments.training.imports.support import NOW, runner_programme, sign_in


@pytest.fixture
def october():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def programme(therapist):
    return runner_programme(therapist)


@pytest.fixture
def signed_in(client, programme, therapist, october, clean_cache):
    sign_in(client, programme, therapist)
    return client
