"""The dashboard's cadre-work card (干部工作): due / must / red flags, plans in progress, talk
coverage, the risk review's progress and young cadres at the front line, each linking to
its page. Figures from cadres.selectors.work_figures; links only where the user may go."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from cadres import permissions
from cadres.figures import work_figures


def cadre_card(user, on: dt.date) -> dict:
    f = work_figures(on)
    planner = permissions.sees_planner(user)
    planner_url = reverse("cadres:planner") if planner else ""
    figures = [
        ("must", _("must rotate"), f.rotation["must"], planner_url + "#list-must" if planner else ""),
        ("due", _("due to rotate"), f.rotation["due"], planner_url + "#list-due" if planner else ""),
        ("red_flags", _("red flags"), f.red_flags, planner_url + "#list-long_stay" if planner else ""),
        ("plans", _("plans in progress"), f.plans_in_progress, planner_url + "#plans" if planner else ""),
        (
            "talks",
            _("talk pairs done"),
            f"{f.talks_done}/{f.talks_required}",
            reverse("cadres:talk_coverage") + f"?year={on.year}",
        ),
        (
            "review",
            _("posts reviewed"),
            f"{f.review.reviewed}/{f.review.posts}" if f.review else "—",
            reverse("cadres:risk_review"),
        ),
        ("frontline", _("young cadres at the front line"), f.frontline_now, reverse("cadres:young") if planner else ""),
    ]
    return {"figures": [{"key": k, "label": label, "value": v, "url": url} for k, label, v, url in figures], "on": on}
