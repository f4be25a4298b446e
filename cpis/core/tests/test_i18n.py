import pytest
from django.utils import translation

from cpis.core.i18n import fold, has_cyrillic, pick, to_serbian_cyrillic, to_serbian_latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Приштина", "Priština"),
        ("Љубљана", "Ljubljana"),
        ("ЉУБЉАНА", "LJUBLJANA"),
        ("Њ", "Nj"),
        ("Џеп", "Džep"),
        ("ЏЕП", "DŽEP"),
        ("Ђаковица", "Đakovica"),
        ("Сектор %(name)s", "Sektor %(name)s"),
        ("<strong>Чачак</strong>", "<strong>Čačak</strong>"),
    ],
)
def test_serbian_cyrillic_transliterates_to_latin(cyrillic, latin):
    assert to_serbian_latin(cyrillic) == latin


def test_transliteration_leaves_placeholders_and_latin_text_alone():
    assert to_serbian_latin("%(count)s officers, 3 sectors") == "%(count)s officers, 3 sectors"


def test_fold_makes_every_spelling_of_a_place_meet():
    assert fold("Gračanica") == fold("Грачаница") == fold("GRACANICA") == "gracanica"
    assert fold("Graçanicë") == "gracanice"
    assert fold("Đakovica") == fold("Ђаковица") == "djakovica"


def test_pick_follows_the_active_language_and_derives_serbian_latin():
    names = {"sq": "Prishtinë", "sr": "Приштина", "en": "Pristina"}
    for language, expected in [
        ("sq", "Prishtinë"),
        ("sr", "Приштина"),
        ("sr-latn", "Priština"),
        ("en", "Pristina"),
    ]:
        with translation.override(language):
            assert pick(names) == expected


def test_pick_falls_back_to_albanian_then_english():
    assert pick({"sq": "Vushtrri", "sr": "", "en": "Vushtrri (en)"}, "sr") == "Vushtrri"
    assert pick({"sq": "", "sr": "", "en": "Only English"}, "sr-latn") == "Only English"


def test_has_cyrillic():
    assert has_cyrillic("Сектор") and not has_cyrillic("Sektor")


def test_serbian_latin_goes_back_to_cyrillic_digraphs_first():
    assert to_serbian_cyrillic("Ljubica Njegoš, Džemal Đorđević") == "Љубица Његош, Џемал Ђорђевић"
    assert to_serbian_cyrillic("Mirela 12") == "Мирела 12"
