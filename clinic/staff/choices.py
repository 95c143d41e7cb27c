from django.db import models


class Role(models.TextChoices):
    """Staff roles; each is a Django group of the same label."""

    CLINIC_ADMIN = "clinic_admin", "Clinic admin"
    THERAPIST = "therapist", "Therapist"
    FRONT_DESK = "front_desk", "Front desk"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"
