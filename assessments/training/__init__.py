"""The runner's training log: runs, sessions, daily body check-ins, shoes and the load computed from them.

Models live in `assessments.models.training`; the patient logs through the
programme link (`assessments.training.portal`).
"""
