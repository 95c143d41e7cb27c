from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from clinic.audit.admin_access import PatientAccessAdminMixin
from patients.models import Appointment, AppointmentEvent, AppointmentType, Patient, PrivacyNotice


@admin.register(Patient)
class PatientAdmin(PatientAccessAdminMixin, admin.ModelAdmin):
    """Read-only, and audited: patients are registered, edited and archived on the patient pages.

    The list names no patient and has no search (a search would put names in the
    URL and the logs); opening one record writes an access event, as the
    patient pages do.
    """

    list_display = ["record", "created_at", "archived_at"]
    list_filter = [("archived_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["archived_at", "archived_by", "created_at", "updated_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Patient]:
        # Archived patients too: the admin site is where they stay reachable in bulk.
        return Patient.all_objects.get_queryset()

    @admin.display(description="Record", ordering="pk")
    def record(self, obj: Patient) -> str:
        return f"Patient record {obj.pk}"

    def access_patient_id(self, obj: Patient) -> int:
        return obj.pk

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Patient | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Patient | None = None) -> bool:
        # Health records are archived (patients:archive), never deleted.
        return False


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin):
    """Clinic admins configure the kinds of visit (name, length, colour, intake, online booking)."""

    list_display = [
        "name",
        "kind",
        "duration_minutes",
        "colour",
        "requires_intake",
        "online_bookable",
        "needs_approval",
        "is_active",
    ]
    list_filter = ["kind", "requires_intake", "online_bookable", "needs_approval", "is_active"]

    def has_delete_permission(self, request: HttpRequest, obj: AppointmentType | None = None) -> bool:
        # Past visits point at their type: retire a type (is_active) instead.
        return False


class AppointmentEventInline(admin.TabularInline):
    model = AppointmentEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "by", "at", "previous_starts_at", "previous_therapist", "detail"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Appointment)
class AppointmentAdmin(PatientAccessAdminMixin, admin.ModelAdmin):
    """Read-only: bookings change through the calendar, which keeps reminders and history right.

    The list names no patient; opening one appointment writes an access event.
    """

    list_display = ["starts_at", "therapist", "appointment_type", "status"]
    list_filter = ["status", "appointment_type", "therapist", "location"]
    date_hierarchy = "starts_at"
    inlines = [AppointmentEventInline]

    def access_patient_id(self, obj: Appointment) -> int:
        return obj.patient_id

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Appointment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Appointment | None = None) -> bool:
        return False


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    """The clinic's privacy notice: the newest published version is the one patients read and agree to.

    A published version is never changed or deleted (patients' consents name it):
    write a new version to change the wording.
    """

    list_display = ["version", "published_at", "created_at"]
    ordering = ["-published_at", "-pk"]

    def get_readonly_fields(self, request: HttpRequest, obj: PrivacyNotice | None = None) -> list[str]:
        if obj is not None and obj.published_at is not None:
            return ["version", "text", "published_at", "created_at"]
        return ["created_at"]

    def has_delete_permission(self, request: HttpRequest, obj: PrivacyNotice | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or obj.published_at is None)
