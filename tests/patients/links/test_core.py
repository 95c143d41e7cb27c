"""The shared patient-link security pieces (patients.links.core), used by the intake and the weekly check-in."""

import hashlib
from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.test import RequestFactory

from patients.links import core as links


def test_token_is_random_and_only_its_hash_is_kept():
    token, digest = links.token_make()
    other, _ = links.token_make()
    assert token != other and len(token) == 43
    assert digest == hashlib.sha256(token.encode()).hexdigest() == links.token_hash(token)
    assert links.token_plausible(token)


@pytest.mark.parametrize(
    "token", ["", "short", "x" * 101, "has spaces in it, quite a few of them", "a/b" * 10]
)
def test_implausible_tokens_are_refused_before_any_lookup(token):
    assert not links.token_plausible(token)


@pytest.mark.parametrize(
    ("typed", "dob", "ok"),
    [
        ("O'Neil-Smith", date(1990, 3, 1), True),
        ("o neil smith", date(1990, 3, 1), True),
        ("ONEILSMITH", date(1990, 3, 1), True),
        ("Neil", date(1990, 3, 1), False),
        ("O'Neil-Smith", date(1990, 1, 3), False),
    ],
)
def test_identity_ignores_case_spaces_and_punctuation(typed, dob, ok):
    assert (
        links.identity_matches(
            last_name_on_record="O'Neil-Smith",
            date_of_birth_on_record=date(1990, 3, 1),
            last_name=typed,
            date_of_birth=dob,
        )
        is ok
    )


def test_ip_limit_counts_per_address(settings):
    settings.INTAKE_CHECKS_PER_IP_PER_HOUR = 2
    cache.clear()
    limit = links.IpLimit("test-check")
    one = RequestFactory().get("/", REMOTE_ADDR="198.51.100.1")
    two = RequestFactory().get("/", REMOTE_ADDR="198.51.100.2")
    limit.count(one)
    assert not limit.exceeded(one)
    limit.count(one)
    assert limit.exceeded(one) and not limit.exceeded(two)
    cache.clear()


def test_session_binding_expires_and_slides():
    request = RequestFactory().get("/")
    request.session = {}
    with time_machine.travel(0, tick=False) as traveller:
        links.session_bind(request, "bound", 7, seconds=60)
        traveller.shift(50)
        assert links.session_bound(request, "bound", slide_seconds=60) == 7
        traveller.shift(50)  # 100 s after binding, 50 s after the slide
        assert links.session_bound(request, "bound") == 7
        traveller.shift(61)
        assert links.session_bound(request, "bound") is None
    links.session_forget(request, "bound")
    assert request.session == {}
