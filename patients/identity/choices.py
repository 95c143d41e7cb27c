"""Who the patient is: sex, how they like to be contacted, how they found the clinic."""

from django.db import models


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other_undisclosed", "Other / prefer not to say"


class ContactMethod(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    SMS = "sms", "Text message"


class ReferralSource(models.TextChoices):
    SELF = "self", "Self-referred"
    GP = "gp", "GP"
    CONSULTANT = "consultant", "Consultant / sports physician"
    COACH = "coach", "Coach or running club"
    FRIEND = "friend", "Friend or family"
    ONLINE = "online", "Online search"
    INSURER = "insurer", "Insurer"
    OTHER = "other", "Other"
