"""The front end's own build: the icon sprite holds every icon the app uses and nothing is
left on the icon font; the Bootstrap CSS built from Sass (assets/scss/bootstrap.scss) keeps
every Bootstrap class the templates and code use."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template

from core import icons

ROOT = Path(settings.BASE_DIR)
BUILT_CSS = ROOT / "build" / "static" / "vendor" / "bootstrap" / "css" / "bootstrap.min.css"
FULL_CSS = ROOT / "node_modules" / "bootstrap" / "dist" / "css" / "bootstrap.css"


def test_sprite_is_up_to_date_and_no_font_markup_is_left():
    # --check changes nothing and fails on unconverted markup or a sprite that differs from
    # the one built from the names in use.
    call_command("convert_icons", "--check")
    assert icons.font_markup_left() == []


def test_every_icon_used_is_in_the_sprite():
    names = icons.used_names()
    assert {"house", "check-circle-fill", "bell"} <= names  # navigation, compliance states, literal
    assert names <= icons.sprite_names()


def test_icon_tag_renders_a_same_origin_sprite_reference():
    html = Template('{% icon "bell" class="text-danger" %}').render(Context())
    assert html.startswith('<svg class="bi text-danger" aria-hidden="true" focusable="false">')
    assert re.search(r'<use href="/static/icons/sprite[^"]*\.svg#bell"></use>', html)


def test_icon_with_a_label_is_announced():
    html = Template("{% icon name label=how %}").render(Context({"name": "qr-code", "how": "扫码<签到>"}))
    assert 'role="img" aria-label="扫码&lt;签到&gt;"' in html and "<title>扫码&lt;签到&gt;</title>" in html
    assert "aria-hidden" not in html


def test_an_icon_missing_from_the_sprite_fails_loudly_in_development(settings):
    settings.DEBUG = True
    with pytest.raises(ValueError, match="convert_icons"):
        Template('{% icon "no-such-icon" %}').render(Context())


def test_conversion_is_idempotent_and_keeps_classes_and_labels():
    from core.management.commands.convert_icons import convert

    text = (
        '<i class="bi bi-flag party-accent" aria-hidden="true"></i> <i class="bi bi-{{ c.icon }}" aria-hidden="true"></i>'
        ' <i class="bi bi-qr-code text-success" title="{{ row.how }}" aria-label="{{ row.how }}"></i>'
    )
    once, count = convert(text, jinja=False)
    assert count == 3
    assert once == (
        '{% icon "flag" class="party-accent" %} {% icon c.icon %} {% icon "qr-code" class="text-success" label=row.how %}'
    )
    assert convert(once, jinja=False) == (once, 0)
    assert convert('<i class="bi bi-x" aria-hidden="true"></i>', jinja=True)[0] == '{{ icon("x") }}'


def class_tokens() -> set[str]:
    """Class names written literally in the templates, the scripts and the Python code."""
    tokens = set()
    files = [*icons.template_files(), *icons.script_files()]
    files += [p for p in ROOT.glob("*/**/*.py") if not {".venv", "node_modules", "tests"} & set(p.parts)]
    for path in files:
        text = re.sub(r"\{[{%].*?[}%]\}", " ", path.read_text(encoding="utf-8"))
        for value in re.findall(r"""class(?:Name)?["']?\s*[:=]\s*["']([^"']*)["']""", text):
            tokens.update(value.split())
    return tokens


def selectors(css: str) -> set[str]:
    return {name.replace("\\", "") for name in re.findall(r"\.((?:[a-zA-Z][\w-]*|\\.)+)", css)}


@pytest.mark.skipif(not BUILT_CSS.exists(), reason="front-end assets not built (make install)")
def test_built_bootstrap_keeps_every_class_the_app_uses():
    bootstrap = selectors(FULL_CSS.read_text(encoding="utf-8"))
    built = selectors(BUILT_CSS.read_text(encoding="utf-8"))
    used = class_tokens() & bootstrap
    assert len(used) > 100
    assert sorted(used - built) == []
