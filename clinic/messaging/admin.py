from django.contrib import admin

from clinic.messaging.models import ScheduledMessage


@admin.register(ScheduledMessage)
class ScheduledMessageAdmin(admin.ModelAdmin):
    list_display = ["kind", "to_email", "due_at", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "key"]
    readonly_fields = ["created_at", "updated_at", "claimed_at", "sent_at", "subject", "last_error"]
