"""Date sanity checks on a person's record, shown as warnings (never blocking: the record
may be old and the paper file may say otherwise): joined the Party at 18 or older, dates
in order, no overlapping rows in the work history."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Cadre, PostHolding, full_years

PARTY_MIN_AGE = 18


def record_warnings(cadre: Cadre, holdings: list[PostHolding]) -> list[str]:
    warnings = []
    birth = cadre.birth_date
    if birth and cadre.joined_party_on:
        age = full_years(birth, cadre.joined_party_on)
        if age < PARTY_MIN_AGE:
            warnings.append(
                _("Joined the Party at %(age)s: members join at %(min)s or older.") % {"age": age, "min": PARTY_MIN_AGE}
            )
    if birth and cadre.joined_bureau_on and full_years(birth, cadre.joined_bureau_on) < 16:
        warnings.append(_("Joined the bureau before the age of 16: check the birth date and the joining date."))
    if cadre.joined_bureau_on and holdings and holdings[0].start < cadre.joined_bureau_on:
        warnings.append(
            _("The work history begins on %(start)s, before joining the bureau on %(joined)s.")
            % {"start": holdings[0].start, "joined": cadre.joined_bureau_on}
        )
    for holding in holdings:
        if holding.end is not None and holding.end < holding.start:
            warnings.append(
                _("A row of the work history ends before it begins (%(start)s).") % {"start": holding.start}
            )
        if birth and holding.start < birth:
            warnings.append(
                _("A row of the work history begins before the birth date (%(start)s).") % {"start": holding.start}
            )
    for earlier, later in zip(holdings, holdings[1:], strict=False):
        if earlier.end is None or earlier.end >= later.start:
            warnings.append(
                _("Rows of the work history overlap: %(a)s (from %(a_start)s) and %(b)s (from %(b_start)s).")
                % {
                    "a": earlier.department.name,
                    "a_start": earlier.start,
                    "b": later.department.name,
                    "b_start": later.start,
                }
            )
    return warnings
