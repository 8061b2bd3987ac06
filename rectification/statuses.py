"""The colour of each measure status, defined once.

The dashboard's charts take STATUS_COLOURS from here (in the chart data its view sends);
the status badges on the ledger's pages use the classes of static/css/status.css, which
`manage.py write_status_css` writes from this module (a test fails when it is stale).
"""

from .models import Measure

S = Measure.Status

# status -> (background, text): the text colour keeps the badge readable on its background.
PALETTE = {
    S.NOT_STARTED: ("#9aa5b1", "#1f2933"),
    S.IN_PROGRESS: ("#3b7dd8", "#ffffff"),
    S.SUBMITTED: ("#f0a830", "#1f2933"),
    S.LEADER_APPROVED: ("#8e6cc8", "#ffffff"),
    S.STAGE_COMPLETE: ("#00796b", "#ffffff"),
    S.CLOSED: ("#2e7d32", "#ffffff"),
}
STATUS_COLOURS = {status: background for status, (background, _text) in PALETTE.items()}

CSS_PATH = "static/css/status.css"


def css_class(status: str) -> str:
    return f"status-{status}"


def status_css() -> str:
    """The text of static/css/status.css."""
    lines = [
        "/* Written by `manage.py write_status_css` from rectification/statuses.py: edit the colours there. */",
    ]
    for status, (background, text) in PALETTE.items():
        lines.append(f".badge.{css_class(status)} {{ background-color: {background}; color: {text}; }}")
    return "\n".join(lines) + "\n"
