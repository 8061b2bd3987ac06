"""Rewrite the icon font's markup into the sprite's tag and rebuild the sprite.

    manage.py convert_icons           # rewrite templates, then write static/icons/sprite.svg
    manage.py convert_icons --check   # change nothing; exit 1 if markup or the sprite is stale

`<i class="bi bi-NAME extra" aria-hidden="true"></i>` becomes `{% icon "NAME" class="extra" %}`
(`{% icon item.icon %}` for `bi-{{ item.icon }}`; a title or aria-label becomes label=, and the
icon is then announced instead of hidden). In a Jinja2 template (a jinja2/ folder, .jinja,
.j2) it becomes `{{ icon("NAME", "extra") }}`. Idempotent: converted markup no longer
matches, and the sprite is rebuilt from the names in use. Markup it cannot convert safely
(a class with {% if %} in it, an attribute mixing text and variables) is listed, not touched.
"""

import re

from django.core.management.base import BaseCommand, CommandError

from core import icons

MARKUP = re.compile(
    r"""<i\s+class="bi\s+bi-(?P<name>"""
    + icons.NAME
    + r"""|\{\{\s*[\w.]+\s*\}\})(?P<extra>[^"{}%]*)"(?P<attrs>(?:\s+[\w-]+="[^"]*")*)\s*>\s*</i>"""
)
ATTR = re.compile(r"""([\w-]+)="([^"]*)\"""")
VARIABLE = re.compile(r"""^\{\{\s*([\w.]+)\s*\}\}$""")
TRANSLATED = re.compile(r"""^\{%\s*translate\s+["']([^"']*)["']\s*%\}$""")


def argument(value: str, jinja: bool) -> str | None:
    """A template's attribute value as a tag argument, or None if it is not a simple one."""
    if match := VARIABLE.match(value):
        return match.group(1)
    if match := TRANSLATED.match(value):
        return f'_("{match.group(1)}")'
    if "{" in value or '"' in value:
        return None
    return f'"{value}"'


def replacement(match: re.Match, jinja: bool) -> str | None:
    name = match.group("name")
    name = VARIABLE.match(name).group(1) if name.startswith("{{") else f'"{name}"'
    extra = " ".join(match.group("extra").split())
    labels = {key: value for key, value in ATTR.findall(match.group("attrs")) if key in ("title", "aria-label")}
    label = argument(next(iter(labels.values())), jinja) if labels else ""
    if label is None:
        return None
    if jinja:
        args = [name, f'"{extra}"' if extra or label else None, label or None]
        return "{{ icon(" + ", ".join(a for a in args if a) + ") }}"
    parts = [name, f'class="{extra}"' if extra else "", f"label={label}" if label else ""]
    return "{% icon " + " ".join(p for p in parts if p) + " %}"


def convert(text: str, jinja: bool) -> tuple[str, int]:
    count = 0

    def swap(match):
        nonlocal count
        new = replacement(match, jinja)
        if new is None:
            return match.group(0)
        count += 1
        return new

    return MARKUP.sub(swap, text), count


def is_jinja(path) -> bool:
    return "jinja2" in path.parts or path.suffix in {".jinja", ".j2"}


class Command(BaseCommand):
    help = "Rewrite <i class='bi bi-…'> into {% icon %} and rebuild static/icons/sprite.svg from the names used."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="change nothing; fail if anything is stale")

    def handle(self, *args, check=False, **options):
        changed = self.convert_templates(write=not check)
        names = icons.used_names()
        missing = sorted(n for n in names if not (icons.icon_source_dir() / f"{n}.svg").exists())
        if missing:
            raise CommandError(f"not a Bootstrap icon: {', '.join(missing)}")
        sprite = icons.build_sprite(names)
        path = icons.sprite_path()
        stale = not path.exists() or path.read_text(encoding="utf-8") != sprite
        if stale and not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(sprite, encoding="utf-8")
        left = icons.font_markup_left()
        for place in left:
            self.stderr.write(f"icon font markup left (convert it by hand): {place}")
        self.stdout.write(f"{changed} icons converted, {len(names)} in the sprite{' (stale)' if stale else ''}")
        if check and (changed or stale or left):
            raise CommandError("icons are not up to date: run `manage.py convert_icons`")

    def convert_templates(self, write: bool) -> int:
        total = 0
        for path in icons.template_files():
            text = path.read_text(encoding="utf-8")
            new, count = convert(text, is_jinja(path))
            if count and write:
                path.write_text(new, encoding="utf-8")
            total += count
        return total
