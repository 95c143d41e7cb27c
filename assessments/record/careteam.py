"""What ties a therapist to a patient in the clinical record: an assessment they wrote."""

from assessments.models import Assessment
from patients.careteam.selectors import CareRelation

RELATIONS = (
    CareRelation(label="assessments", rows=lambda: Assessment.objects.all(), user_field="therapist"),
)
