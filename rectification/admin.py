"""The ledger in the Django admin (for the system administrator; status moves only through the workflow)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Evidence, Extension, InspectionRound, Measure, Problem, Progress, SignoffStep


@admin.register(InspectionRound)
class InspectionRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "feedback_date", "document_number", "report_due"]
    list_filter = ["source"]
    search_fields = ["title", "document_number"]


@admin.register(Problem)
class ProblemAdmin(SimpleHistoryAdmin):
    list_display = ["round", "number", "category", "description"]
    list_filter = ["round"]
    search_fields = ["description", "category"]


class ProgressInline(admin.TabularInline):
    model = Progress
    extra = 0
    fields = ["date", "text", "percent", "author"]
    readonly_fields = ["author"]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "lead_department", "responsible_leader", "term", "deadline", "status"]
    list_filter = ["status", "term", "lead_department", "problem__round"]
    search_fields = ["description", "goal", "problem__description"]
    autocomplete_fields = []
    raw_id_fields = ["problem"]
    readonly_fields = ["status", "completed_on", "version"]
    filter_horizontal = ["partner_departments"]
    inlines = [ProgressInline]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "measure", "size", "content_type", "uploaded_by", "uploaded_at"]
    readonly_fields = [f.name for f in Evidence._meta.fields]

    def has_add_permission(self, request):
        return False  # evidence comes in through the checked upload, never the admin


@admin.register(SignoffStep)
class SignoffStepAdmin(admin.ModelAdmin):
    list_display = ["measure", "action", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["action"]
    readonly_fields = [f.name for f in SignoffStep._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    """Deadline extensions are decided on the measure's page (extensions.py), never here."""

    list_display = ["measure", "status", "old_deadline", "new_deadline", "days", "direct", "requested_by", "decided_on"]
    list_filter = ["status", "direct"]
    readonly_fields = [f.name for f in Extension._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
