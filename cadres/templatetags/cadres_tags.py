"""Small helpers for the cadres templates: ages and years in post on a given day."""

from django import template

from cadres import permissions

register = template.Library()


@register.filter
def age_on(cadre, day):
    return cadre.age_on(day)


@register.filter
def years_in_post(cadre, day):
    return cadre.years_in_post_on(day)


@register.filter
def sees_planner(user) -> bool:
    """For links only: the views check the same rule (cadres.permissions)."""
    return permissions.sees_planner(user)
