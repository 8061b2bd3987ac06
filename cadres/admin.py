"""The Django admin, for administrators: the organisation, work history, rotation plans and
the risk review. Talks are not here: they are seen only by the people in them, the
personnel section and the main leader (cadres.permissions)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Cadre,
    Deferral,
    Department,
    Placement,
    Post,
    PostHolding,
    PostRisk,
    RiskReview,
    RotationItem,
    RotationPlan,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "order", "overseen_by", "active"]
    list_editable = ["order"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]


class PostRiskInline(admin.TabularInline):
    model = PostRisk
    extra = 0
    autocomplete_fields = ["department_head", "responsible_leader"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "department", "is_key", "order"]
    list_filter = ["is_key", "department"]
    search_fields = ["title", "department__name"]
    inlines = [PostRiskInline]


class PostHoldingInline(admin.TabularInline):
    model = PostHolding
    extra = 0
    autocomplete_fields = ["post"]


@admin.register(Cadre)
class CadreAdmin(SimpleHistoryAdmin):
    inlines = [PostHoldingInline]
    list_display = ["name", "department", "post", "rank", "post_level", "is_leader", "is_middle_level", "active"]
    list_filter = ["department", "is_leader", "is_middle_level", "political_status", "active"]
    search_fields = ["name", "rank"]
    autocomplete_fields = ["user", "post"]
    list_select_related = ["department", "post"]


class RotationItemInline(admin.TabularInline):
    model = RotationItem
    extra = 0
    raw_id_fields = ["cadre", "from_post", "to_post"]


@admin.register(RotationPlan)
class RotationPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "decision_date", "document_number"]
    list_filter = ["status"]
    inlines = [RotationItemInline]


admin.site.register(Deferral, list_display=["cadre", "until", "reason"], raw_id_fields=["cadre"])
admin.site.register(Placement, list_display=["cadre", "kind", "place", "start", "end"], raw_id_fields=["cadre"])
admin.site.register(RiskReview, list_display=["title", "year", "due", "closed"])
