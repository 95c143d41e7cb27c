"""Online booking at Riverside (open 08:00–19:00, Europe/London), Sam Physio there 09:00–17:00 daily."""

import pytest


@pytest.fixture
def online_evaluation(evaluation):
    """The 60-minute initial evaluation, offered online (it sends the intake)."""
    evaluation.online_bookable = True
    evaluation.online_description = "Your first visit: we look at what hurts and make a plan."
    evaluation.save()
    return evaluation


@pytest.fixture
def online_follow_up(follow_up):
    """The 30-minute follow-up, offered online."""
    follow_up.online_bookable = True
    follow_up.save()
    return follow_up
