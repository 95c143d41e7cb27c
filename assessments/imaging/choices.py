"""Imaging orders: modality, region, indication, urgency, route and lifecycle (domain.md §5)."""

from django.db import models

from assessments.record.bone_stress import IMAGING_RULE_OUT_MODALITIES, IMAGING_STRESS_FINDINGS


class ImagingModality(models.TextChoices):
    XR = "XR", "X-ray"
    MRI = "MRI", "MRI"
    US = "US", "Ultrasound"
    BONE_SCAN = "bone_scan", "Bone scan"


class ImagingRegion(models.TextChoices):
    HIP = "hip", "Hip"
    PELVIS_HIP = "pelvis_hip", "Pelvis and hip"
    FEMUR = "femur", "Femur"


class ImagingIndication(models.TextChoices):
    SUSPECTED_BSI = "suspected_bsi", "Suspected bone stress injury / stress fracture"
    LABRAL_TEAR = "labral_tear", "Suspected labral tear"
    FAI_MORPHOLOGY = "fai_morphology", "FAI morphology"
    OSTEOARTHRITIS = "osteoarthritis", "Osteoarthritis"
    TENDINOPATHY = "tendinopathy", "Grade tendinopathy"
    MUSCLE_INJURY = "muscle_injury", "Grade muscle injury"
    OTHER = "other", "Other"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent"
    SAME_DAY = "same_day", "Same day"


class ImagingRoute(models.TextChoices):
    ORDERED_BY_CLINIC = "ordered_by_clinic", "Ordered by the clinic"
    RECOMMENDED_TO_GP = "recommended_to_gp", "Recommended to the GP"
    REFERRED_TO_SPORTS_PHYSICIAN = "referred_to_sports_physician", "Referred to a sports physician"


class ImagingStatus(models.TextChoices):
    ORDERED = "ordered", "Ordered"
    BOOKED = "booked", "Booked"
    REPORTED = "reported", "Reported"
    REVIEWED = "reviewed", "Reviewed"
    CANCELLED = "cancelled", "Cancelled"


class ReportFinding(models.TextChoices):
    """What the report found, coded when the order is reported (bone stress: assessments.record.bone_stress)."""

    NORMAL = "normal", "Normal"
    STRESS_REACTION = "stress_reaction", "Stress reaction (bone stress injury)"
    STRESS_FRACTURE = "stress_fracture", "Stress fracture"
    OTHER = "other", "Other finding"


# Waiting for a scan, a report or the therapist's review of it.
OUTSTANDING_IMAGING = (ImagingStatus.ORDERED, ImagingStatus.BOOKED, ImagingStatus.REPORTED)


IMAGING_TRANSITIONS = (
    (ImagingStatus.ORDERED, ImagingStatus.BOOKED),
    (ImagingStatus.ORDERED, ImagingStatus.REPORTED),
    (ImagingStatus.BOOKED, ImagingStatus.REPORTED),
    (ImagingStatus.REPORTED, ImagingStatus.REVIEWED),
    (ImagingStatus.ORDERED, ImagingStatus.CANCELLED),
    (ImagingStatus.BOOKED, ImagingStatus.CANCELLED),
)


# A reported order that may hold a coded finding (reviewed keeps the report's).
REPORTED_IMAGING = (ImagingStatus.REPORTED, ImagingStatus.REVIEWED)

# The bone-stress rule's findings and modalities are coded values of these choices.
STRESS_FINDINGS = tuple(ReportFinding(value) for value in IMAGING_STRESS_FINDINGS)
RULE_OUT_MODALITIES = tuple(ImagingModality(value) for value in IMAGING_RULE_OUT_MODALITIES)
