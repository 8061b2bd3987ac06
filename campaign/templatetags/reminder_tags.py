from django import template

register = template.Library()


@register.inclusion_tag("campaign/includes/sweep_status.html")
def sweep_status():
    """When the last reminder sweep ran and how many digests it sent (filled by the reminders feature)."""
    return {}
