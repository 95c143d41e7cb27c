from django.contrib import admin
from django.http import HttpRequest

from clinic.audit.models import AccessEvent, SecurityEvent


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """Read-only: the table is append-only in the database as well."""

    list_display = ["occurred_at", "user", "patient_id", "view_name", "ip", "request_id"]
    list_filter = ["view_name"]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Read-only, like the table itself; the filtered log is at /audit/security/."""

    list_display = ["occurred_at", "kind", "user", "actor", "username", "detail", "ip"]
    list_filter = ["kind"]
    list_select_related = ["user", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
