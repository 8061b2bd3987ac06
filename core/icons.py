"""The icons: one SVG sprite (static/icons/sprite.svg) of only the Bootstrap Icons the app
uses, instead of the whole icon font and its CSS (131 KiB of font and 85 KiB of CSS that
blocked the first paint of every page).

A page draws an icon with `{% icon "name" %}` (core/templatetags/icons.py), which renders
`<svg class="bi"><use href="/static/icons/sprite.<hash>.svg#name"></use></svg>`.
`manage.py convert_icons` rewrites the font markup `<i class="bi bi-name" …></i>` into that
tag and rebuilds the sprite from every name the templates, the Python code and the scripts
use; it is idempotent, so it can be run again after others add font markup.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html

SPRITE = "icons/sprite.svg"
NAME = r"[a-z0-9]+(?:-[a-z0-9]+)*"

# Icon names that reach a template through a variable ({% icon item.icon %}), so no scan of
# the templates can see them: "module:attribute" and how to read the names from its value.
DYNAMIC = {
    "config.context:NAVIGATION": lambda rows: [row[2] for row in rows],
    "partybuilding.compliance:STATE_ICONS": lambda icons: list(icons.values()),
}

TAG_NAME = re.compile(r"""\{%\s*icon\s+["'](""" + NAME + r""")["']""")
JINJA_NAME = re.compile(r"""\{\{\s*icon\(\s*["'](""" + NAME + r""")["']""")
FONT_MARKUP = re.compile(r"""\bbi bi-|\bbi-(?=""" + NAME + r""")""")


def root() -> Path:
    return Path(settings.BASE_DIR)


def sprite_path() -> Path:
    return root() / "static" / SPRITE


def icon_source_dir() -> Path:
    return root() / "node_modules" / "bootstrap-icons" / "icons"


def template_files() -> list[Path]:
    """Every template of the project: templates/ and the apps' own templates/ folders."""
    skip = {".venv", "node_modules", "build", "var", ".git"}
    folders = [root() / "templates", *root().glob("*/templates"), *root().glob("*/*/templates")]
    return sorted(
        path
        for folder in folders
        if not skip & set(folder.relative_to(root()).parts)
        for path in folder.rglob("*")
        if path.suffix in {".html", ".txt", ".jinja", ".j2"}
    )


def script_files() -> list[Path]:
    return sorted((root() / "static" / "js").rglob("*.js"))


def dynamic_names() -> set[str]:
    names = set()
    for source, read in DYNAMIC.items():
        module, attribute = source.split(":")
        names.update(read(getattr(importlib.import_module(module), attribute)))
    return names


def used_names() -> set[str]:
    """Every icon name the templates, the scripts and the Python code use."""
    names = dynamic_names()
    for path in [*template_files(), *script_files()]:
        text = path.read_text(encoding="utf-8")
        names.update(TAG_NAME.findall(text))
        names.update(JINJA_NAME.findall(text))
        names.update(re.findall(r"""sprite\.svg#(""" + NAME + r""")""", text))
    return names


def font_markup_left() -> list[str]:
    """Places still using the icon font's classes (`bi bi-…`): path:line."""
    found = []
    for path in [*template_files(), *script_files()]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FONT_MARKUP.search(line):
                found.append(f"{path.relative_to(root())}:{number}")
    return found


def symbol(name: str) -> str:
    """One icon of the package as a <symbol> with the icon's name as id."""
    text = (icon_source_dir() / f"{name}.svg").read_text(encoding="utf-8")
    view_box = re.search(r'viewBox="([^"]+)"', text).group(1)
    body = re.search(r"<svg[^>]*>(.*)</svg>", text, re.S).group(1)
    body = " ".join(part.strip() for part in body.splitlines() if part.strip())
    return f'<symbol id="{name}" viewBox="{view_box}">{body}</symbol>'


def build_sprite(names) -> str:
    symbols = "\n".join(symbol(name) for name in sorted(names))
    return f'<svg xmlns="http://www.w3.org/2000/svg">\n{symbols}\n</svg>\n'


@cache
def sprite_names() -> frozenset[str]:
    """The names in the committed sprite (read once per process)."""
    path = sprite_path()
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return frozenset(re.findall(r'<symbol id="(' + NAME + ')"', text))


def render(name, css_class: str = "", label: str = ""):
    """The markup of one icon: decorative unless it carries a label (then role=img + <title>)."""
    if settings.DEBUG and name not in sprite_names():
        raise ValueError(f"icon {name!r} is not in {SPRITE}: run `manage.py convert_icons`")
    classes = f"bi {css_class}".strip()
    href = f"{static(SPRITE)}#{name}"
    if label:
        return format_html(
            '<svg class="{}" role="img" aria-label="{}"><title>{}</title><use href="{}"></use></svg>',
            classes,
            label,
            label,
            href,
        )
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>', classes, href
    )
