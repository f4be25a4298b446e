"""Language helpers: Serbian Latin derived from Cyrillic, and picking the
viewer's language from data translated in the database."""

from collections.abc import Mapping

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .errors import InvalidInput

_CYRILLIC_TO_LATIN = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Ђ": "Đ", "Е": "E", "Ж": "Ž",
    "З": "Z", "И": "I", "Ј": "J", "К": "K", "Л": "L", "Љ": "Lj", "М": "M", "Н": "N",
    "Њ": "Nj", "О": "O", "П": "P", "Р": "R", "С": "S", "Т": "T", "Ћ": "Ć", "У": "U",
    "Ф": "F", "Х": "H", "Ц": "C", "Ч": "Č", "Џ": "Dž", "Ш": "Š",
}  # fmt: skip
_CYRILLIC_TO_LATIN.update({cyr.lower(): lat.lower() for cyr, lat in list(_CYRILLIC_TO_LATIN.items())})
_DIGRAPHS = {"Љ", "Њ", "Џ"}


def to_serbian_latin(text: str) -> str:
    """Transliterate Serbian Cyrillic to Latin, deterministically.

    Љ, Њ and Џ become Lj, Nj and Dž, or LJ, NJ and DŽ inside an upper-case
    word. Anything that is not Serbian Cyrillic (placeholders, HTML, digits)
    is left as it is.
    """
    out: list[str] = []
    for i, char in enumerate(text):
        latin = _CYRILLIC_TO_LATIN.get(char)
        if latin is None:
            out.append(char)
            continue
        if char in _DIGRAPHS:
            neighbours = text[i + 1 : i + 2] + text[max(i - 1, 0) : i]
            if any(n.isupper() for n in neighbours if n.isalpha()):
                latin = latin.upper()
        out.append(latin)
    return "".join(out)


_LATIN_TO_CYRILLIC = {latin: cyr for cyr, latin in _CYRILLIC_TO_LATIN.items()}


def to_serbian_cyrillic(text: str) -> str:
    """Serbian Latin back to Cyrillic, the digraphs (Lj, Nj, Dž) first; the
    inverse of `to_serbian_latin` on names written in Title or lower case.
    Other letters are left as they are."""
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in _LATIN_TO_CYRILLIC:
            out.append(_LATIN_TO_CYRILLIC[pair])
            i += 2
            continue
        out.append(_LATIN_TO_CYRILLIC.get(text[i], text[i]))
        i += 1
    return "".join(out)


def has_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)


def pick(values: Mapping[str, str], language: str | None = None) -> str:
    """The value for the viewer's language from {"sq": …, "sr": …, "en": …}.

    Serbian Latin is transliterated from the Cyrillic value; a missing
    language falls back to Albanian, then English, then anything present.
    """
    language = (language or translation.get_language() or "sq").lower()
    if language == "sr-latn":
        cyrillic = values.get("sr")
        if cyrillic:
            return to_serbian_latin(cyrillic)
    elif values.get(language):
        return values[language]
    for fallback in ("sq", "en"):
        if values.get(fallback):
            return values[fallback]
    return next((v for v in values.values() if v), "")


def fold(text: str) -> str:
    """A search key: Cyrillic to Latin, diacritics and case dropped, so that
    "Gračanica", "Graçanicë", "Грачаница" and "gracanica" all meet."""
    import unicodedata

    latin = to_serbian_latin(text).replace("đ", "dj").replace("Đ", "Dj")
    decomposed = unicodedata.normalize("NFKD", latin)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.lower().split())


_ALBANIAN_WORDS = {
    "dhe",
    "në",
    "është",
    "që",
    "për",
    "nuk",
    "një",
    "me",
    "të",
    "se",
    "janë",
    "ka",
    "kemi",
    "policia",
}
_SERBIAN_WORDS = {
    "je",
    "i",
    "da",
    "u",
    "se",
    "na",
    "nije",
    "su",
    "od",
    "za",
    "sa",
    "ali",
    "policija",
    "molim",
}
_ENGLISH_WORDS = {"the", "and", "is", "are", "of", "to", "in", "police", "please", "there", "we", "was"}
PUNCTUATION = ".,;:!?()\"'«»“”„"


def guess_language(text: str) -> str:
    """sq, sr (Cyrillic), sr-latn or en, from the words and letters of a
    short text. Good enough to answer a citizen in their language; staff
    can always see the text as written."""
    if has_cyrillic(text):
        return "sr"
    words = [w.strip(PUNCTUATION) for w in text.lower().split()]
    albanian = sum(w in _ALBANIAN_WORDS for w in words) + 2 * sum(c in "ëç" for c in text.lower())
    serbian = sum(w in _SERBIAN_WORDS for w in words) + 2 * sum(c in "čćšžđ" for c in text.lower())
    english = sum(w in _ENGLISH_WORDS for w in words)
    best = max((albanian, "sq"), (serbian, "sr-latn"), (english, "en"))
    return best[1] if best[0] > 0 else "sq"


def check_language(language: str) -> str:
    """One of the site's languages (a citizen's language for replies), or InvalidInput."""
    if language not in dict(settings.LANGUAGES):
        raise InvalidInput(_("Unknown language."))
    return language
