from django.contrib import admin

from .models import Campaign, GroupMember, Phase


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    max_num = 3


class GroupMemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    autocomplete_fields = ["cadre"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "start", "end", "office_department"]
    search_fields = ["name"]
    inlines = [PhaseInline, GroupMemberInline]


@admin.register(GroupMember)
class GroupMemberAdmin(admin.ModelAdmin):
    list_display = ["campaign", "role", "cadre", "duty"]
    list_filter = ["campaign", "role"]
    search_fields = ["cadre__name", "duty"]
    autocomplete_fields = ["cadre"]
