import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
# Every CELERY_* setting, the beat schedule (CELERY_BEAT_SCHEDULE) included.
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Tasks that live in a slice rather than at the top of an app.
app.autodiscover_tasks(["assessments.programmes", "patients.booking", "patients.booking.waitlist"])
