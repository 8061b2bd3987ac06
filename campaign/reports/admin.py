"""The report archive in the admin: read-only (reports are built and retried on /reports/)."""

from django.contrib import admin

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = [
        "period_start",
        "period_end",
        "kind",
        "round",
        "status",
        "progress",
        "requested_by",
        "created_at",
        "pdf_size",
        "xlsx_size",
        "attempts",
    ]
    list_filter = ["status", "kind", "scheduled"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
