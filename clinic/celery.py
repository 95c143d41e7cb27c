import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Tasks that live in a slice rather than at the top of an app.
app.autodiscover_tasks(["assessments.programmes"])

app.conf.beat_schedule = {
    # Claim due outbox rows and hand them to workers. Every minute
    # (crontab.guru "* * * * *"); integration tests shorten it.
    "messaging-dispatch-due": {
        "task": "messaging.dispatch_due",
        "schedule": float(os.environ.get("MESSAGE_DISPATCH_INTERVAL", "60")),
    },
    # Extend each active programme's home-exercise reminders to the 14-day
    # horizon. Daily at 02:30 UTC (crontab.guru "30 2 * * *").
    "assessments-programme-reminders-top-up": {
        "task": "assessments.programme_reminders_top_up",
        "schedule": crontab(minute=30, hour=2),
    },
}
