"""The dashboard's party-building tile: this month's and this quarter's compliance, meetings
held this month, the attendance rate, branches missing an obligation, open make-up study,
each with the page that lists it. Read from partybuilding.selectors for the branches the
user may see (partybuilding.permissions: the office and leaders see every branch)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse

from partybuilding import permissions
from partybuilding.selectors import month_figures


def tile(user, on: dt.date) -> dict | None:
    """The tile's figures and links, or None when the user sees no branch."""
    branch_ids = permissions.visible_branch_ids(user)
    if branch_ids is not None and not branch_ids:
        return None
    figures = month_figures(branch_ids, on)
    compliance = reverse("partybuilding:compliance") + "?" + urlencode({"year": on.year})
    held = {"held": "1", "from": on.replace(day=1).isoformat(), "to": on.isoformat()}
    return {
        **figures,
        "compliance_url": compliance,
        "meetings_url": reverse("partybuilding:meeting_list") + "?" + urlencode(held),
        "home_url": reverse("partybuilding:home"),
    }
