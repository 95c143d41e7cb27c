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


class MediaType(models.TextChoices):
    """The content types an exercise's image or video may have (checked by content, never by name)."""

    JPEG = "image/jpeg", "JPEG image"
    PNG = "image/png", "PNG image"
    WEBP = "image/webp", "WebP image"
    MP4 = "video/mp4", "MP4 video"
    QUICKTIME = "video/quicktime", "QuickTime video"
    WEBM = "video/webm", "WebM video"


IMAGE_TYPES = frozenset({MediaType.JPEG, MediaType.PNG, MediaType.WEBP})
VIDEO_TYPES = frozenset({MediaType.MP4, MediaType.QUICKTIME, MediaType.WEBM})
