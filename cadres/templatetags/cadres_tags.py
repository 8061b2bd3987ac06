"""Small helpers for the cadres templates: ages and years in post on a given day."""

from django import template

register = template.Library()


@register.filter
def age_on(cadre, day):
    return cadre.age_on(day)


@register.filter
def years_in_post(cadre, day):
    return cadre.years_in_post_on(day)
