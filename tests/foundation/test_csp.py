"""A strict Content-Security-Policy on every page, and templates that need nothing more:
no inline <script> or <style>, no style= attributes, no inline event handlers, no
javascript: URLs. (The reminder emails and the report's PDF template are not pages the
app serves: mail clients and WeasyPrint need their inline styles.)"""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
NOT_PAGES = ("campaign/reminders/email/", "campaign/reports/pdf/")
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
    (re.compile(r"\shx-on", re.I), "an hx-on attribute (htmx evaluates it)"),
]


def page_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if not name.startswith(NOT_PAGES):
            yield name, path.read_text(encoding="utf-8")


def test_templates_carry_no_inline_script_or_style():
    found = [
        f"{name}:{text[: m.start()].count(chr(10)) + 1}: {what}"
        for name, text in page_templates()
        for pattern, what in INLINE
        for m in pattern.finditer(text)
    ]
    assert not found, "move these into static/js or static/css:\n" + "\n".join(found)


def assert_strict_csp(response):
    policy = response.headers.get("Content-Security-Policy", "")
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
    for directive in ("script-src", "style-src", "default-src"):
        assert directives.get(directive) == "'self'", (directive, policy)
    assert "unsafe" not in policy, policy
    assert directives.get("object-src") == "'none'" and directives.get("frame-ancestors") == "'none'"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/", "/dashboard/", "/rectification/", "/reports/", "/admin/"])
def test_every_page_sends_a_strict_policy(client_as, url):
    response = client_as("admin").get(url, follow=True)
    assert response.status_code == 200
    assert_strict_csp(response)


@pytest.mark.django_db
def test_htmx_is_told_not_to_eval_or_inject_styles(client_as):
    html = client_as("staff").get("/").content.decode()
    assert '"allowEval": false' in html and '"includeIndicatorStyles": false' in html
