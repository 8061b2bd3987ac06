"""Admin pages of the reminder sweep (read-only: the sweep writes them), for support."""

from django.contrib import admin

from .models import ChatRobot, Digest, ReminderRecord, RobotMessage, SweepRun


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnly):
    list_display = ["day", "status", "trigger", "started_at", "finished_at", "items", "reminders", "digests"]
    list_filter = ["status", "trigger"]
    date_hierarchy = "day"


@admin.register(Digest)
class DigestAdmin(ReadOnly):
    list_display = ["recipient", "sweep", "items", "inbox_sent_at", "email_status", "email_attempts", "email_sent_at"]
    list_filter = ["email_status"]
    search_fields = ["recipient__username", "recipient__cadre__name", "email_error"]
    raw_id_fields = ["recipient", "sweep", "notice"]
    list_select_related = ["recipient", "sweep"]


@admin.register(ReminderRecord)
class ReminderRecordAdmin(ReadOnly):
    list_display = ["recipient", "kind", "item_key", "deadline", "period", "colour", "created_at"]
    list_filter = ["colour", "kind"]
    search_fields = ["recipient__username", "item_key", "text"]
    raw_id_fields = ["recipient", "sweep"]
    list_select_related = ["recipient"]


@admin.register(RobotMessage)
class RobotMessageAdmin(ReadOnly):
    list_display = ["sweep", "channel", "status", "attempts", "sent_at", "error"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["sweep", "robot"]


@admin.register(ChatRobot)
class ChatRobotAdmin(admin.ModelAdmin):
    list_display = ["department", "kind", "active"]
    list_filter = ["kind", "active"]
