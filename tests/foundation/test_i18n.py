from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import formats, translation

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_msgid_has_a_chinese_translation_and_none_is_fuzzy():
    po = polib.pofile(str(PO))
    assert len(po) > 100
    missing = [e.msgid for e in po if not e.obsolete and not (e.msgstr or e.msgstr_plural.get(0))]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert not missing, f"untranslated msgids: {missing[:20]}"
    assert not fuzzy, f"fuzzy translations: {fuzzy[:20]}"


def test_catalogue_covers_the_source():
    """Every msgid in the code is in the catalogue (run `make messages` after adding strings)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        # xgettext over our Python sources only: fast, and enough to catch a forgotten catalogue update.
        sources = [
            str(p)
            for app in ("core", "cadres", "rectification", "partybuilding", "campaign", "config")
            for p in (Path(settings.BASE_DIR) / app).rglob("*.py")
            if "migrations" not in p.parts
        ]
        out = Path(tmp) / "src.pot"
        subprocess.run(
            [
                "xgettext",
                "-L",
                "Python",
                "--from-code=UTF-8",
                "-k_",
                "-kgettext_lazy",
                "-kgettext",
                "-kngettext:1,2",
                "-kngettext_lazy:1,2",
                "-kpgettext:1c,2",
                "-kpgettext_lazy:1c,2",
                "-o",
                str(out),
                *sources,
            ],
            check=True,
        )
        in_source = {e.msgid for e in polib.pofile(str(out)) if e.msgid}
    in_catalogue = {e.msgid for e in polib.pofile(str(PO))}
    assert not in_source - in_catalogue, f"not in the catalogue: {sorted(in_source - in_catalogue)[:20]}"


def test_default_language_is_simplified_chinese(client):
    assert settings.LANGUAGE_CODE == "zh-hans"
    html = client.get("/accounts/login/").content.decode()
    assert "登录" in html


@pytest.mark.django_db
def test_english_is_selectable(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    html = client.get("/accounts/login/").content.decode()
    assert "Log in" in html and 'lang="en"' in html


def test_dates_show_in_chinese_form():
    import datetime as dt

    with translation.override("zh-hans"):
        assert formats.date_format(dt.date(2026, 3, 28)) == "2026年3月28日"


def test_the_translation_files_agree_on_every_msgid():
    from core.management.commands.sync_translations import load_translations

    load_translations(PO.parent.parent)  # raises on a msgid translated two ways
