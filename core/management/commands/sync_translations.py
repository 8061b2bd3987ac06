"""Regenerate the zh_Hans catalogue and fill it from the translators' JSON files.

Each area keeps its translations in locale/zh_Hans/<area>.json ({"English msgid": "中文"});
plural msgids map to one Chinese string (Chinese has a single plural form). The .po
file is derived: regenerated from scratch by makemessages, filled, and compiled. Entries without a
translation are listed, and tests/test_i18n.py fails on them.
"""

import fcntl
import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

IGNORE = [".venv", "node_modules", "var", "bench", "tests", "test-artifacts"]


def load_translations(folder: Path) -> dict[str, str]:
    """All JSON files merged; one msgid has one translation, so a disagreement is an error."""
    merged: dict[str, str] = {}
    origin: dict[str, str] = {}
    for path in sorted(folder.glob("*.json")):
        for msgid, text in json.loads(path.read_text(encoding="utf-8")).items():
            if msgid in merged and merged[msgid] != text:
                raise CommandError(
                    f"{msgid!r} is translated {merged[msgid]!r} in {origin[msgid]} and {text!r} in {path.name}"
                )
            merged[msgid], origin[msgid] = text, path.name
    return merged


class Command(BaseCommand):
    help = "makemessages + fill from locale/zh_Hans/*.json + compilemessages"

    def handle(self, *args, **options):
        import polib

        folder = Path(settings.BASE_DIR) / "locale" / "zh_Hans"
        po_path = folder / "LC_MESSAGES" / "django.po"
        with open(Path(settings.BASE_DIR) / "locale" / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            # The JSON files are the only source of translations: start from an empty
            # catalogue so makemessages cannot carry over a fuzzy guess.
            po_path.unlink(missing_ok=True)
            call_command("makemessages", locale=["zh_Hans"], no_location=True, ignore_patterns=IGNORE, verbosity=0)
            translations = load_translations(folder)
            po = polib.pofile(str(po_path))
            po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
            po.metadata["Language"] = "zh_Hans"
            po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
            missing = []
            for entry in po:
                text = translations.get(entry.msgid)
                if entry.msgid_plural:
                    text = text or translations.get(entry.msgid_plural)
                    if text:
                        entry.msgstr_plural = {0: text}
                    elif not entry.msgstr_plural.get(0):
                        missing.append(entry.msgid)
                elif text:
                    entry.msgstr = text
                elif not entry.msgstr:
                    missing.append(entry.msgid)
            po.save(str(po_path))
            call_command("compilemessages", locale=["zh_Hans"], ignore_patterns=IGNORE, verbosity=0)
        for msgid in missing:
            self.stdout.write(f"untranslated: {msgid}")
        self.stdout.write(f"{len(po)} entries, {len(missing)} untranslated")
