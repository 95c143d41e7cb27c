"""What ties a therapist to a patient in the programmes: a programme they run."""

from assessments.models import Programme
from patients.careteam.selectors import CareRelation

RELATIONS = (CareRelation(label="programmes", rows=lambda: Programme.objects.all(), user_field="therapist"),)
