"""Every string ships in sq, sr, sr-latn and en, and the catalogues hold
exactly the strings the code uses."""

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from cpis.core.catalogues import catalogue_path, sync

LOCALE = Path(settings.LOCALE_PATHS[0])
ROOT = LOCALE.parent


def test_no_catalogue_has_an_empty_fuzzy_or_stale_entry():
    problems = sync(LOCALE, write=False)
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("language", ["sq", "sr", "sr_Latn", "en"])
def test_translations_keep_the_placeholders_of_the_source(language):
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in polib.pofile(str(catalogue_path(LOCALE, language))):
        if entry.msgid_plural:
            wanted = set(placeholder.findall(entry.msgid_plural)) | set(placeholder.findall(entry.msgid))
            for text in entry.msgstr_plural.values():
                assert set(placeholder.findall(text)) <= wanted, entry.msgid
        else:
            assert set(placeholder.findall(entry.msgstr)) == set(placeholder.findall(entry.msgid)), (
                entry.msgid
            )


def test_serbian_is_cyrillic_and_serbian_latin_has_no_cyrillic():
    from cpis.core.i18n import has_cyrillic

    cyrillic = polib.pofile(str(catalogue_path(LOCALE, "sr")))
    assert sum(has_cyrillic(e.msgstr or e.msgstr_plural.get(0, "")) for e in cyrillic) > 0.8 * len(cyrillic)
    latin = polib.pofile(str(catalogue_path(LOCALE, "sr_Latn")))
    assert not any(has_cyrillic(e.msgstr) for e in latin)


def test_catalogues_hold_exactly_the_strings_in_the_code(tmp_path, monkeypatch, settings):
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: install Debian's gettext package (make system-deps).")
    for name in ("cpis", "templates"):
        (tmp_path / name).symlink_to(ROOT / name)
    shutil.copytree(LOCALE, tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command(
        "makemessages", locale=["sq"], symlinks=True, no_obsolete=True, no_location=True, verbosity=0
    )
    fresh = {
        e.msgid for e in polib.pofile(str(tmp_path / "locale/sq/LC_MESSAGES/django.po")) if not e.obsolete
    }
    committed = {e.msgid for e in polib.pofile(str(catalogue_path(LOCALE, "sq"))) if not e.obsolete}
    assert sorted(fresh - committed) == [], "strings missing from the catalogues: run `make messages`"
    assert sorted(committed - fresh) == [], "catalogues hold strings no longer used: run `make messages`"
