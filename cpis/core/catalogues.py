"""Translation catalogues: Serbian Latin generated from Cyrillic, English
filled from the source strings, and checks that nothing is left empty."""

from dataclasses import dataclass
from pathlib import Path

import polib

from .i18n import to_serbian_latin

SOURCE_LANGUAGES = ("sq", "sr")  # translated by people
GENERATED = {"sr_Latn": "sr", "en": None}  # generated: from Cyrillic, or from msgid


@dataclass
class Problem:
    catalogue: Path
    msgid: str
    what: str

    def __str__(self) -> str:
        return f"{self.catalogue}: {self.what}: {self.msgid[:60]!r}"


def catalogue_path(locale_dir: Path, language: str) -> Path:
    return locale_dir / language / "LC_MESSAGES" / "django.po"


def _generated(entry: polib.POEntry, source: polib.POFile | None) -> tuple[str, dict[int, str]]:
    if source is None:  # English: the source strings are English
        if entry.msgid_plural:
            return "", {0: entry.msgid, 1: entry.msgid_plural}
        return entry.msgid, {}
    original = source.find(entry.msgid, msgctxt=entry.msgctxt)
    if original is None:
        return "", {}
    return to_serbian_latin(original.msgstr), {
        k: to_serbian_latin(v) for k, v in original.msgstr_plural.items()
    }


def sync(locale_dir: Path, *, write: bool) -> list[Problem]:
    """Regenerate sr_Latn and en; report entries that differ (when not
    writing) and empty or fuzzy entries in every catalogue."""
    problems: list[Problem] = []
    for language, source_language in GENERATED.items():
        path = catalogue_path(locale_dir, language)
        catalogue = polib.pofile(str(path))
        source = polib.pofile(str(catalogue_path(locale_dir, source_language))) if source_language else None
        changed = False
        if catalogue.metadata_is_fuzzy or catalogue.metadata.get("Language") != language:
            changed = True
            if not write:
                problems.append(Problem(path, "", "header is fuzzy or names another language"))
            catalogue.metadata_is_fuzzy = []
            catalogue.metadata["Language"] = language
        for entry in catalogue:
            if entry.obsolete:
                continue
            msgstr, plural = _generated(entry, source)
            if entry.msgstr != msgstr or (plural and entry.msgstr_plural != plural) or entry.fuzzy:
                changed = True
                if not write:
                    problems.append(Problem(path, entry.msgid, "out of date; run `cpis sync_catalogues`"))
                entry.msgstr = msgstr
                if plural:
                    entry.msgstr_plural = plural
                if entry.fuzzy:
                    entry.flags.remove("fuzzy")
        if write and changed:
            catalogue.save(str(path))
    for language in (*SOURCE_LANGUAGES, *GENERATED):
        path = catalogue_path(locale_dir, language)
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            if entry.fuzzy:
                problems.append(Problem(path, entry.msgid, "fuzzy"))
            elif entry.msgid_plural:
                if not entry.msgstr_plural or not all(entry.msgstr_plural.values()):
                    problems.append(Problem(path, entry.msgid, "untranslated plural"))
            elif not entry.msgstr:
                problems.append(Problem(path, entry.msgid, "untranslated"))
    return problems


def compile_all(locale_dir: Path) -> int:
    count = 0
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/django.po")):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
    return count
