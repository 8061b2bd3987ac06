"""Status colours are defined once: static/css/status.css is written from rectification/statuses.py."""

from pathlib import Path

from django.conf import settings

from rectification.models import Measure
from rectification.statuses import CSS_PATH, STATUS_COLOURS, status_css


def test_every_status_has_one_colour():
    assert set(STATUS_COLOURS) == set(Measure.Status.values)


def test_the_checked_in_css_is_up_to_date():
    written = (Path(settings.BASE_DIR) / CSS_PATH).read_text(encoding="utf-8")
    assert written == status_css(), "run: python manage.py write_status_css"
