from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from patients.models import Patient


@admin.register(Patient)
class PatientAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "date_of_birth", "email", "phone", "archived_at"]
    search_fields = ["last_name", "first_name", "email", "phone"]
    list_filter = ["sex", "referral_source", ("archived_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["archived_at", "archived_by", "created_at", "updated_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Patient]:
        # Archived patients too: the admin site is where they stay reachable in bulk.
        return Patient.all_objects.get_queryset()

    def has_delete_permission(self, request: HttpRequest, obj: Patient | None = None) -> bool:
        # Health records are archived (patients:archive), never deleted.
        return False
