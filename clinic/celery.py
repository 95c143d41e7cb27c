import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Claim due outbox rows and hand them to workers. Every minute
    # (crontab.guru "* * * * *"); integration tests shorten it.
    "messaging-dispatch-due": {
        "task": "messaging.dispatch_due",
        "schedule": float(os.environ.get("MESSAGE_DISPATCH_INTERVAL", "60")),
    },
}
