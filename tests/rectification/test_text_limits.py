"""Long text has a limit the form states (issue 13, item 8): a 100,000-character measure
is refused at the field, not cut silently later in every xlsx."""

import pytest

from rectification.forms import ProblemForm
from tests.rectification.factories import RoundFactory

pytestmark = pytest.mark.django_db


def test_a_huge_description_is_refused_with_the_limit_stated(settings):
    settings.TEXT_MAX_CHARS = 5000
    form = ProblemForm({"number": 1, "category": "作风", "description": "长" * 100_000}, round_=RoundFactory())
    assert not form.is_valid()
    assert "5000" in form.errors["description"][0]
    assert "最多 5000 字" in str(form.fields["description"].help_text)
    assert 'maxlength="5000"' in str(form["description"])


def test_the_measure_form_states_the_limit(client_as):
    html = client_as("office").get("/rectification/measures/new/").content.decode()
    assert html.count('maxlength="5000"') >= 3 and "最多 5000 字" in html
