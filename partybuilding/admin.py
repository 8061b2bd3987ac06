from django.contrib import admin

from .models import Branch


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name", "secretary", "commissioner", "order"]
    filter_horizontal = ["departments"]
    autocomplete_fields = ["secretary", "commissioner"]
