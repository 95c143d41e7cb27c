"""Choices and bounds of the training log (stored in metres and seconds; pace is derived)."""

from django.db import models

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


class DistanceUnit(models.TextChoices):
    KM = "km", "Kilometres"
    MI = "mi", "Miles"


class SessionType(models.TextChoices):
    EASY = "easy", "Easy"
    LONG = "long", "Long"
    TEMPO = "tempo", "Tempo"
    INTERVALS = "intervals", "Intervals"
    HILLS = "hills", "Hills"
    RACE = "race", "Race"
    WALK_RUN = "walk_run", "Walk–run"


# Session types that count as intensity (speed or hill work) in the load.
INTENSITY_TYPES = frozenset({SessionType.TEMPO, SessionType.INTERVALS, SessionType.HILLS, SessionType.RACE})


class RunSurface(models.TextChoices):
    ROAD = "road", "Road"
    CAMBERED_ROAD = "cambered_road", "Cambered road"
    TRAIL = "trail", "Trail"
    TRACK = "track", "Track"
    TREADMILL = "treadmill", "Treadmill"
    HILLS = "hills", "Hills"


class PainOnset(models.TextChoices):
    """When pain during a run started: not at all, a distance into it, a time into it ("" unknown)."""

    NONE = "none", "No pain"
    DISTANCE = "distance", "After a distance"
    TIME = "time", "After some minutes"


class PainQuality(models.TextChoices):
    SHARP = "sharp", "Sharp"
    DULL = "dull", "Dull / aching"


class RunSource(models.TextChoices):
    MANUAL = "manual", "Typed in"
    GPX = "gpx", "GPX file"
    TCX = "tcx", "TCX file"
    FIT = "fit", "FIT file"
    STRAVA_CSV = "strava_csv", "Strava export"


class SessionKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    CYCLING = "cycling", "Cycling"
    SWIMMING = "swimming", "Swimming"
    ELLIPTICAL = "elliptical", "Elliptical"
    POOL_RUNNING = "pool_running", "Pool running"
    YOGA_PILATES = "yoga_pilates", "Yoga or Pilates"
    OTHER = "other", "Other"


class SleepQuality(models.IntegerChoices):
    VERY_POOR = 1, "Very poor"
    POOR = 2, "Poor"
    OK = 3, "OK"
    GOOD = 4, "Good"
    VERY_GOOD = 5, "Very good"
