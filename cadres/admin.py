from django.contrib import admin

from .models import Cadre, Department, Post, PostRisk


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


@admin.register(Cadre)
class CadreAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "post", "rank", "post_level", "is_leader", "is_middle_level", "active"]
    list_filter = ["department", "is_leader", "is_middle_level", "political_status", "active"]
    search_fields = ["name", "rank"]
    autocomplete_fields = ["user", "post"]
    list_select_related = ["department", "post"]
