from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from clinic.staff.models import Location, OpeningHours, TherapistProfile, TimeOff, User, WorkingHours
from clinic.staff.services import signin_unlock, twofactor_reset


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "groups"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name",)}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2", "groups")}),
    )
    filter_horizontal = ["groups"]
    actions = ["unlock_signin", "reset_twofactor"]

    @admin.action(description="Unlock sign-in (clear failed attempts)", permissions=["change"])
    def unlock_signin(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        cleared = sum(signin_unlock(user=user) for user in queryset)
        self.message_user(
            request, f"Sign-in unlocked for {len(queryset)} account(s); {cleared} lockout record(s) cleared."
        )

    @admin.action(description="Reset two-factor authentication (lost phone)", permissions=["change"])
    def reset_twofactor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        removed = sum(twofactor_reset(user=user) for user in queryset)
        self.message_user(
            request, f"Removed {removed} authenticator app(s); set-up is asked at next sign-in."
        )


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "phone", "is_active"]
    inlines = [OpeningHoursInline]


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class TimeOffInline(admin.TabularInline):
    model = TimeOff
    extra = 0


@admin.register(TherapistProfile)
class TherapistProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "is_active", "online_bookable"]
    list_filter = ["is_active", "online_bookable"]
    filter_horizontal = ["locations"]
    inlines = [WorkingHoursInline, TimeOffInline]
