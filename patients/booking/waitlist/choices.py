"""The waitlist's states and the parts of a day a patient can ask for.

Weekdays and parts of the day are stored as small bit sets (Monday = bit 0;
morning = 1, afternoon = 2, evening = 4), so every database the project runs
on can hold and check them.
"""

from django.db import models


class WaitlistStatus(models.TextChoices):
    ACTIVE = "active", "Waiting"
    BOOKED = "booked", "Booked from the waitlist"
    LEFT = "left", "Left the waitlist"
    EXPIRED = "expired", "Past its end date"


class OfferStatus(models.TextChoices):
    OFFERED = "offered", "Offered"
    CLAIMED = "claimed", "Claimed"
    # Another patient (or the front desk) took the time first; the entry waits on.
    TAKEN = "taken", "Taken by someone else"
    EXPIRED = "expired", "Expired"


class PartOfDay(models.IntegerChoices):
    MORNING = 1, "Morning (before 12:00)"
    AFTERNOON = 2, "Afternoon (12:00–17:00)"
    EVENING = 4, "Evening (from 17:00)"


ALL_WEEKDAYS = 0b1111111
ALL_PARTS = 0b111
