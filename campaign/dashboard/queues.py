"""Work queues: what waits for each person, one click from the work.

- staff: their measures, overdue first (red), then due soon, then the rest
  (rectification.selectors.my_measures), on the home page;
- department head: measures without a responsible person, returned ones (退回), those
  ready to request sign-off, extension requests and overdue ones, on the home page;
- bureau leader: sign-off requests and extension requests waiting for them;
- campaign office: sign-offs and extensions to confirm, rounds waiting for their import.
Leaders and the office see the dashboard as their home page: their queues are a card at
its top (templates/campaign/dashboard/_queues.html).

Each queue links to the ledger (or the rounds) filtered to exactly its measures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from cadres.roles import HEAD, LEADER, has_role, is_office
from cadres.selectors import cadre_for
from rectification import selectors

from .scope import ledger_link


@dataclass
class Queue:
    key: str
    title: str
    count: int
    url: str  # everything in the queue
    items: list = field(default_factory=list)  # the first measures (or rounds)
    tone: str = ""  # "danger" for what is late
    rounds: bool = False  # the items are inspection rounds, not measures


def head_queues(user) -> list[Queue]:
    """A department head's five queues over the measures the department leads."""
    found = selectors.department_queue(user) if has_role(user, HEAD) else None
    if found is None:
        return []
    dept = cadre_for(user).department_id
    titles = {
        "unassigned": (_("Without a responsible person"), {"queue": "unassigned"}, ""),
        "returned": (_("Returned by a review"), {"queue": "returned"}, "danger"),
        "ready": (_("Ready to request sign-off"), {"queue": "ready"}, ""),
        "extension": (_("Extension requests under review"), {"extension": "pending"}, ""),
        "overdue": (_("Overdue"), {"flag": "overdue"}, "danger"),
    }
    return [
        Queue(key, title, found[key][1], ledger_link(None, lead_department=dept, **params), found[key][0], tone)
        for key, (title, params, tone) in titles.items()
    ]


def review_queues(user) -> list[Queue]:
    """What a leader or the office has to decide, for the card at the top of their home page."""
    queues: list[Queue] = []
    if is_office(user):
        found = selectors.office_queue()
        queues += [
            Queue(
                "confirm",
                _("Sign-offs to confirm"),
                found["confirm"][1],
                ledger_link(None, status="leader_approved"),
                found["confirm"][0],
            ),
            Queue(
                "office_extension",
                _("Extensions to confirm"),
                found["extension"][1],
                ledger_link(None, extension="office_review"),
                found["extension"][0],
            ),
            Queue(
                "rounds",
                _("Rounds waiting for their feedback list"),
                found["rounds"][1],
                reverse("rectification:round_list"),
                found["rounds"][0],
                rounds=True,
            ),
        ]
    if has_role(user, LEADER) and (cadre := cadre_for(user)) is not None:
        found = selectors.leader_queue(user)
        queues += [
            Queue(
                "signoff",
                _("Sign-off requests to review"),
                found["signoff"][1],
                ledger_link(None, status="submitted", reviewer=cadre.pk),
                found["signoff"][0],
            ),
            Queue(
                "leader_extension",
                _("Extension requests to decide"),
                found["extension"][1],
                ledger_link(None, extension="leader_review", reviewer=cadre.pk),
                found["extension"][0],
            ),
        ]
    return queues
