"""The clinical record's message kinds: the programme's reminders, links and therapist notices.

Values are the kinds stored on outbox rows (never change one: queued rows
and their idempotency keys carry it); names give the email templates.
"""

from clinic.messaging.registry import KindChoices


class AssessmentMessageKind(KindChoices):
    HOME_EXERCISE = "home_exercise", "Home exercise reminder"
    WEEKLY_CHECKIN = "weekly_checkin", "Weekly check-in request"
    OUTCOME_DUE = "outcome_due", "Progress questionnaire due"
    REASSESSMENT_DUE = "reassessment_due", "Re-assessment due (to the therapist)"
    PROGRAMME_ALERT = "programme_alert", "Check-in needs review (to the therapist)"
    PROGRAMME_LINK = "programme_link", "Programme link"
    PROGRAMME_MAINTENANCE = "programme_maintenance", "Maintenance plan after discharge"
    DISCHARGE_REPORT = "discharge_report", "Discharge report (PDF attached)"
