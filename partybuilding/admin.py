"""Party building in the Django admin, for administrators' repairs and setting up
branches. Secretaries and commissioners keep their branch's committee, groups, members
and exemptions on the app's own pages (views/branches.py); should anyone else be given
admin access, the querysets, object permissions and branch choices stay scoped to the
branches they run, so another branch answers "not found" and cannot be chosen."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cadres.scoping import sees_everything

from .models import Attendance, Branch, Exemption, Meeting, Membership, PartyGroup
from .permissions import managed_branch_ids


class BranchScoped:
    """Mixin: rows whose branch (through `branch_path`) the user manages, unless they see all."""

    branch_path = "branch"

    def _all(self, request) -> bool:
        return sees_everything(request.user, "partybuilding")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self._all(request):
            return qs
        return qs.filter(**{f"{self.branch_path}__in": managed_branch_ids(request.user)})

    def _mine(self, request, obj) -> bool:
        if obj is None or self._all(request):
            return True
        branch_id = obj.pk if self.branch_path == "pk" else obj.branch_id
        return branch_id in managed_branch_ids(request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._mine(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._mine(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._mine(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "branch" and not self._all(request):
            kwargs["queryset"] = Branch.objects.filter(pk__in=managed_branch_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PartyGroupInline(admin.TabularInline):
    model = PartyGroup
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["cadre", "group", "status", "committee_role", "not_counted", "not_counted_from", "not_counted_until"]


@admin.register(Branch)
class BranchAdmin(BranchScoped, SimpleHistoryAdmin):
    branch_path = "pk"
    list_display = ["name", "kind", "secretary", "commissioner", "order"]
    filter_horizontal = ["departments"]
    autocomplete_fields = ["secretary", "commissioner"]
    inlines = [PartyGroupInline, MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # Who runs the branch is set by administrators, not by the branch itself.
        return [] if self._all(request) else ["name", "kind", "secretary", "commissioner", "departments", "order"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self._all(request)


@admin.register(PartyGroup)
class PartyGroupAdmin(BranchScoped, SimpleHistoryAdmin):
    list_display = ["name", "branch", "leader", "dissolved_on"]
    list_filter = ["branch"]


@admin.register(Membership)
class MembershipAdmin(BranchScoped, SimpleHistoryAdmin):
    list_display = ["cadre", "branch", "group", "status", "committee_role", "not_counted", "active"]
    list_filter = ["branch", "status", "committee_role", "not_counted"]
    search_fields = ["cadre__name"]


@admin.register(Exemption)
class ExemptionAdmin(BranchScoped, SimpleHistoryAdmin):
    list_display = ["branch", "obligation", "first_month", "last_month", "reason"]
    list_filter = ["branch", "obligation"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["cadre", "status", "reason", "formal", "counted", "has_vote", "committee", "signed_in_how", "makeup_on"]
    raw_id_fields = ["cadre"]


@admin.register(Meeting)
class MeetingAdmin(BranchScoped, SimpleHistoryAdmin):
    """For administrators' repairs; secretaries record meetings on the app's own pages."""

    list_display = ["topic", "branch", "kind", "planned_at", "held_on"]
    list_filter = ["branch", "kind"]
    search_fields = ["topic"]
    raw_id_fields = ["host", "recorder", "lecturer"]
    inlines = [AttendanceInline]
