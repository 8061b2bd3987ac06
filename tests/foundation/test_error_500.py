"""The 500 page renders when the database is the thing that failed."""

from django.db import OperationalError
from django.utils.functional import SimpleLazyObject

from core.views import error_500


def _database_is_gone():
    raise OperationalError("server closed the connection unexpectedly")


def test_the_500_page_renders_without_the_database(rf):
    # No django_db mark: pytest-django refuses every query, and the user cannot be loaded.
    request = rf.get("/rectification/")
    request.user = SimpleLazyObject(_database_is_gone)
    response = error_500(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器错误" in html and "app.css" in html
