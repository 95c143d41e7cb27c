"""Demo care team: Priya assigned to one of Sam's patients, and one record she opened outside her team.

Loaded after the visits, assessments and programmes, which make most of each
therapist's care team. The grant waits on the clinic admin's review list
(/patients/access-grants/). Idempotent: a second load finds both.
"""

from clinic.staff.models import User
from patients.careteam.selectors import care_team_q
from patients.careteam.services import access_grant_open, care_assign
from patients.models import AccessGrant, CareAssignment, Patient

ASSIGN_REASON = "Covering Sam's runners while he is at the conference"
GRANT_REASON = "Patient phoned the clinic about new groin pain on running; Sam was with a patient."


def load() -> None:
    admin = User.objects.get(email="admin@stride.example")
    priya = User.objects.get(email="priya.raman@stride.example")
    outside = Patient.objects.exclude(care_team_q(priya, field="pk")).order_by("pk")
    if not CareAssignment.objects.filter(therapist=priya, reason=ASSIGN_REASON).exists():
        patient = outside.first()
        if patient is not None:
            care_assign(patient=patient, therapist=priya, by=admin, reason=ASSIGN_REASON)
    if not AccessGrant.objects.filter(user=priya, reason=GRANT_REASON).exists():
        patient = outside.first()
        if patient is not None:
            access_grant_open(user=priya, patient=patient, reason=GRANT_REASON)
