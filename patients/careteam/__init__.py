"""Care-team access: therapists read the records of the patients they treat.

Rules (README § Security, docs/clinical-rules.md is silent; settled here):
- a therapist's care team is every patient they have a visit with (any
  status but cancelled), an assessment or a programme, plus the patients a
  clinic admin assigned to them (or they registered themselves);
- clinic admins read every record (they review the others' access), front
  desk never reaches the clinical pages (their role), so the rule applies
  to therapists;
- outside the care team a therapist may "break the glass": a reason gives an
  AccessGrant for CARE_TEAM_GRANT_HOURS (4 h), written to the security log
  and listed for a clinic admin's review.
"""
