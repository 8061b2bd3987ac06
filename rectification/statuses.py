"""The colour of each measure status and of each 三色预警 warning, defined once.

The dashboard's charts take STATUS_COLOURS from here (in the chart data its view sends);
the status badges on the ledger's pages use the classes of static/css/status.css, which
`manage.py write_status_css` writes from this module (a test fails when it is stale).
"""

from .models import Measure

S = Measure.Status

# status -> (background, text): the text colour keeps the badge readable on its background.
PALETTE = {
    S.NOT_STARTED: ("#9aa5b1", "#1f2933"),
    S.IN_PROGRESS: ("#2f6cc0", "#ffffff"),  # white on it: 5.2:1 (WCAG AA)
    S.SUBMITTED: ("#f0a830", "#1f2933"),
    S.LEADER_APPROVED: ("#7a56b8", "#ffffff"),  # 5.5:1
    S.STAGE_COMPLETE: ("#00796b", "#ffffff"),
    S.CLOSED: ("#2e7d32", "#ffffff"),
}
STATUS_COLOURS = {status: background for status, (background, _text) in PALETTE.items()}

# 三色预警 (deadlines.RED / YELLOW / GREEN) -> (background, text): badges, dots, charts, email.
WARNING_PALETTE = {
    "red": ("#c62828", "#ffffff"),
    "yellow": ("#f0a830", "#1f2933"),
    "green": ("#2e7d32", "#ffffff"),
}
WARNING_COLOURS = {level: background for level, (background, _text) in WARNING_PALETTE.items()}

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
    for level, (background, text) in WARNING_PALETTE.items():
        lines.append(f".badge-warn-{level} {{ background-color: {background}; color: {text}; }}")
        lines.append(f".dot-{level} {{ background-color: {background}; }}")
    return "\n".join(lines) + "\n"
