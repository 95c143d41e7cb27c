"""Choices and bounds of the training log (stored in metres and seconds; pace is derived)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Bounds the database enforces (and the forms check first, with the same numbers).
RUN_DISTANCE_MAX_M = 300_000  # 300 km: longer than any ultra a patient of the clinic logs as one run
RUN_DURATION_MAX_S = 48 * 3600
SESSION_MINUTES_MAX = 600
SHOE_STARTING_MAX_M = 5_000_000
ELEVATION_GAIN_MAX_M = 20_000
CADENCE_MIN_SPM = 30
CADENCE_MAX_SPM = 260
SLEEP_HOURS_MAX = 16
CYCLE_DAY_MAX = 60
NOTE_MAX = 500

# The clinic's shoe replacement distance may be set between these (480 km ≈ 300 mi, 800 km ≈ 500 mi).
SHOE_REPLACEMENT_KM_MIN = 480
SHOE_REPLACEMENT_KM_MAX = 800


# The labels are the patient's words on the training log, so they are translated; the short ones
# carry a context, as their Spanish agrees with a different noun (carrera, sesión, calidad).
class DistanceUnit(models.TextChoices):
    KM = "km", _("Kilometres")
    MI = "mi", _("Miles")


class SessionType(models.TextChoices):
    EASY = "easy", pgettext_lazy("run type", "Easy")
    LONG = "long", pgettext_lazy("run type", "Long")
    TEMPO = "tempo", pgettext_lazy("run type", "Tempo")
    INTERVALS = "intervals", pgettext_lazy("run type", "Intervals")
    HILLS = "hills", pgettext_lazy("run type", "Hills")
    RACE = "race", pgettext_lazy("run type", "Race")
    WALK_RUN = "walk_run", pgettext_lazy("run type", "Walk–run")


# Session types that count as intensity (speed or hill work) in the load.
INTENSITY_TYPES = frozenset({SessionType.TEMPO, SessionType.INTERVALS, SessionType.HILLS, SessionType.RACE})


class RunSurface(models.TextChoices):
    ROAD = "road", _("Road")
    CAMBERED_ROAD = "cambered_road", _("Cambered road")
    TRAIL = "trail", _("Trail")
    TRACK = "track", _("Track")
    TREADMILL = "treadmill", _("Treadmill")
    HILLS = "hills", _("Hills")


class PainOnset(models.TextChoices):
    """When pain during a run started: not at all, a distance into it, a time into it ("" unknown)."""

    NONE = "none", _("No pain")
    DISTANCE = "distance", _("After a distance")
    TIME = "time", _("After some minutes")


class PainQuality(models.TextChoices):
    SHARP = "sharp", _("Sharp")
    DULL = "dull", _("Dull / aching")


class RunSource(models.TextChoices):
    MANUAL = "manual", _("Typed in")
    GPX = "gpx", _("GPX file")
    TCX = "tcx", _("TCX file")
    FIT = "fit", _("FIT file")
    STRAVA_CSV = "strava_csv", _("Strava export")


class SessionKind(models.TextChoices):
    STRENGTH = "strength", pgettext_lazy("other training", "Strength")
    CYCLING = "cycling", pgettext_lazy("other training", "Cycling")
    SWIMMING = "swimming", pgettext_lazy("other training", "Swimming")
    ELLIPTICAL = "elliptical", pgettext_lazy("other training", "Elliptical")
    POOL_RUNNING = "pool_running", pgettext_lazy("other training", "Pool running")
    YOGA_PILATES = "yoga_pilates", pgettext_lazy("other training", "Yoga or Pilates")
    OTHER = "other", pgettext_lazy("other training", "Other")


class SleepQuality(models.IntegerChoices):
    VERY_POOR = 1, pgettext_lazy("sleep quality", "Very poor")
    POOR = 2, pgettext_lazy("sleep quality", "Poor")
    OK = 3, pgettext_lazy("sleep quality", "OK")
    GOOD = 4, pgettext_lazy("sleep quality", "Good")
    VERY_GOOD = 5, pgettext_lazy("sleep quality", "Very good")
