"""The exercise catalogue's categories and the surfaces a run or drill is done on (domain.md §8.5)."""

from django.db import models


class ExerciseCategory(models.TextChoices):
    """Exercise categories of the catalogue (the catalogue maps domain.md's other kinds onto them)."""

    STRENGTH = "strength", "Strength"
    MOBILITY = "mobility", "Mobility"
    MOTOR_CONTROL = "motor_control", "Motor control"
    PLYOMETRIC = "plyometric", "Plyometric"
    CARDIO_CROSS_TRAINING = "cardio_cross_training", "Cardio cross-training"


class Surface(models.TextChoices):
    """Running surfaces (domain.md §1)."""

    ROAD = "road", "Road"
    PAVEMENT = "pavement", "Pavement / concrete"
    TRAIL = "trail", "Trail"
    TRACK = "track", "Track"
    TREADMILL = "treadmill", "Treadmill"
    CAMBERED = "cambered", "Cambered or sloped road"
    HILLS = "hills", "Hills"
