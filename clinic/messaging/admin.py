from django.contrib import admin
from django.http import HttpRequest

from clinic.audit.admin_access import PatientAccessAdminMixin
from clinic.messaging.models import ScheduledMessage


@admin.register(ScheduledMessage)
class ScheduledMessageAdmin(PatientAccessAdminMixin, admin.ModelAdmin):
    """Read-only: rows change through the outbox's services (the Outbox page retries and cancels).

    The list shows no recipient and has no search by address; opening a row
    about a patient writes an access event.
    """

    list_display = ["kind", "due_at", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]

    def access_patient_id(self, obj: ScheduledMessage) -> int | None:
        return obj.patient_id

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ScheduledMessage | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ScheduledMessage | None = None) -> bool:
        return False
