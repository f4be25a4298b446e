"""The questionnaires CPIS ships with, as seed data with their translations
(Serbian Latin is transliterated from the Cyrillic when shown). The
safety-and-trust items follow the confidence questions of national crime
surveys; the satisfaction questionnaire is the one offered after a concern is
closed. The directorate drafts new versions of either in the staff pages."""

from typing import Any

# kind, code, required, (sq, sr, en), options [(code, sq, sr, en)]
Item = tuple[str, str, bool, tuple[str, str, str], list[tuple[str, str, str, str]]]

SAFETY_AND_TRUST: dict[str, Any] = {
    "code": "safety-and-trust",
    "purpose": "perception",
    "name": ("Siguria dhe besimi", "Безбедност и поверење", "Safety and trust"),
    "title": (
        "Sa të sigurt ndiheni dhe sa i besoni policisë në zonën tuaj?",
        "Колико се осећате безбедно и колико верујете полицији у свом подручју?",
        "How safe do you feel, and how far do you trust the police in your area?",
    ),
    "intro": (
        "Përgjigjet janë anonime. Ato na tregojnë ku duhet të punojmë më shumë. Pyetjet për ju janë "
        "të gjitha jo të detyrueshme.",
        "Одговори су анонимни. Они нам показују где треба више да радимо. Сва питања о вама нису обавезна.",
        "Your answers are anonymous. They show us where we need to do more. Every question about you is "
        "optional.",
    ),
    "items": [
        (
            "agree5",
            "safe_dark",
            False,
            (
                "Ndihem i sigurt/e sigurt kur eci vetëm/vetme në këtë zonë pas errësirës.",
                "Осећам се безбедно када сам/сама шетам овим подручјем после мрака.",
                "I feel safe walking alone in this area after dark.",
            ),
            [],
        ),
        (
            "agree5",
            "rely",
            False,
            (
                "Mund të mbështetem te policia në këtë zonë kur më duhet.",
                "Могу да се ослоним на полицију у овом подручју када ми је потребна.",
                "The police in this area can be relied on to be there when I need them.",
            ),
            [],
        ),
        (
            "agree5",
            "fair",
            False,
            (
                "Policia në këtë zonë i trajton njerëzit me drejtësi dhe me respekt.",
                "Полиција у овом подручју поступа са људима праведно и с поштовањем.",
                "The police in this area treat people fairly and with respect.",
            ),
            [],
        ),
        (
            "agree5",
            "listen",
            False,
            (
                "Policia në këtë zonë i dëgjon dhe i kupton shqetësimet e njerëzve këtu.",
                "Полиција у овом подручју слуша и разуме бриге људи који овде живе.",
                "The police in this area listen to and understand local concerns.",
            ),
            [],
        ),
        (
            "agree5",
            "confidence",
            False,
            (
                "Duke marrë parasysh gjithçka, kam besim te policia në këtë zonë.",
                "Узимајући све у обзир, имам поверења у полицију у овом подручју.",
                "Taking everything into account, I have confidence in the police in this area.",
            ),
            [],
        ),
        (
            "score10",
            "safety_score",
            False,
            (
                "Nga 0 deri në 10, sa e sigurt është lagjja juaj?",
                "Од 0 до 10, колико је безбедно ваше насеље?",
                "From 0 to 10, how safe is your neighbourhood?",
            ),
            [],
        ),
        (
            "yesno",
            "know_officer",
            False,
            (
                "A e njihni policin/policen që punon në lagjen tuaj?",
                "Да ли познајете полицајца или полицајку који ради у вашем насељу?",
                "Do you know the police officer who works in your neighbourhood?",
            ),
            [],
        ),
        (
            "yesno",
            "forum_aware",
            False,
            (
                "A keni dëgjuar për forumin e sigurisë në bashkësi në zonën tuaj?",
                "Да ли сте чули за форум за безбедност заједнице у вашем подручју?",
                "Have you heard of the community safety forum in your area?",
            ),
            [],
        ),
        (
            "single",
            "top_issue",
            False,
            (
                "Cila është çështja e vetme që më së shumti dëshironi që policia ta trajtojë këtu?",
                "Који је онај један проблем који највише желите да полиција овде реши?",
                "What is the one issue you most want the police to deal with here?",
            ),
            [
                ("traffic", "Trafiku dhe shpejtësia", "Саобраћај и брзина", "Traffic and speeding"),
                ("drugs", "Droga", "Дрога", "Drugs"),
                ("theft", "Vjedhjet", "Крађе", "Theft"),
                ("public_order", "Zhurma dhe rendi publik", "Бука и јавни ред", "Noise and public order"),
                ("domestic_violence", "Dhuna në familje", "Насиље у породици", "Domestic violence"),
                ("youth", "Të rinjtë dhe shkollat", "Млади и школе", "Young people and schools"),
                ("weapons", "Armët", "Оружје", "Weapons"),
                ("other", "Tjetër", "Друго", "Something else"),
            ],
        ),
        (
            "text",
            "issue_text",
            False,
            (
                "Na tregoni më shumë për këtë çështje (jo e detyrueshme, mos shkruani emra).",
                "Реците нам више о томе (није обавезно, не пишите имена).",
                "Tell us more about it (optional; please do not write names).",
            ),
            [],
        ),
    ],
}

SATISFACTION: dict[str, Any] = {
    "code": "after-concern",
    "purpose": "satisfaction",
    "name": ("Pas shqetësimit tuaj", "После ваше пријаве", "After your concern"),
    "title": (
        "Si u trajtua shqetësimi që raportuat?",
        "Како је поступљено са проблемом који сте пријавили?",
        "How was the concern you reported handled?",
    ),
    "intro": (
        "Katër pyetje të shkurtra. Përgjigjet tuaja na ndihmojnë të punojmë më mirë.",
        "Четири кратка питања. Ваши одговори нам помажу да радимо боље.",
        "Four short questions. Your answers help us do better.",
    ),
    "items": [
        (
            "single",
            "fixed",
            True,
            (
                "A u zgjidh problemi që raportuat?",
                "Да ли је проблем који сте пријавили решен?",
                "Has the problem you reported been fixed?",
            ),
            [
                ("yes", "Po", "Да", "Yes"),
                ("partly", "Pjesërisht", "Делимично", "Partly"),
                ("no", "Jo", "Не", "No"),
            ],
        ),
        (
            "agree5",
            "handled_well",
            False,
            (
                "Jam i kënaqur/e kënaqur me mënyrën si policia e trajtoi raportin tim.",
                "Задовољан/задовољна сам начином на који је полиција поступила са мојом пријавом.",
                "I am satisfied with how the police handled my report.",
            ),
            [],
        ),
        (
            "agree5",
            "kept_informed",
            False,
            (
                "Më mbajtën të informuar për atë që po ndodhte.",
                "Обавештавали су ме о томе шта се дешава.",
                "I was kept informed about what was happening.",
            ),
            [],
        ),
        (
            "yesno",
            "report_again",
            False,
            (
                "A do të raportonit përsëri një problem në polici?",
                "Да ли бисте поново пријавили проблем полицији?",
                "Would you report a problem to the police again?",
            ),
            [],
        ),
        (
            "text",
            "comment",
            False,
            (
                "Diçka tjetër që dëshironi të na thoni?",
                "Нешто друго што желите да нам кажете?",
                "Anything else you want to tell us?",
            ),
            [],
        ),
    ],
}

DEFAULTS = (SAFETY_AND_TRUST, SATISFACTION)


def seed(Questionnaire: Any, QuestionnaireVersion: Any, Question: Any, Option: Any, *, now: Any) -> None:
    """Create the shipped questionnaires, each as a published version 1, unless
    a questionnaire with that code exists (an edited one is left alone). Takes
    the model classes so a data migration can pass its historical models."""
    for spec in DEFAULTS:
        if Questionnaire.objects.filter(code=spec["code"]).exists():
            continue
        sq, sr, en = spec["name"]
        questionnaire = Questionnaire.objects.create(
            code=spec["code"], purpose=spec["purpose"], name_sq=sq, name_sr=sr, name_en=en
        )
        title, intro = spec["title"], spec["intro"]
        version = QuestionnaireVersion.objects.create(
            questionnaire=questionnaire,
            number=1,
            status="published",
            published_at=now,
            title_sq=title[0],
            title_sr=title[1],
            title_en=title[2],
            intro_sq=intro[0],
            intro_sr=intro[1],
            intro_en=intro[2],
        )
        for position, (kind, code, required, text, options) in enumerate(spec["items"], start=1):
            question = Question.objects.create(
                version=version,
                position=position,
                code=code,
                kind=kind,
                required=required,
                text_sq=text[0],
                text_sr=text[1],
                text_en=text[2],
            )
            Option.objects.bulk_create(
                Option(question=question, position=n, code=c, label_sq=a, label_sr=b, label_en=e)
                for n, (c, a, b, e) in enumerate(options, start=1)
            )
