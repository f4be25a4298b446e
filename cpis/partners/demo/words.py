"""What the partners demo writes: central partners and their agreements,
school names, volunteers' activities and reasons for recognitions."""

from datetime import date

from ..models import AgreementKind, AgreementStatus, PartnerKind

PLAN_START, PLAN_END = date(2012, 1, 1), date(2016, 12, 31)
DOCUMENTS = 14  # signed PDFs attached: "a few", enough to show the feature

CENTRAL: list[tuple[str, str, str]] = [
    # kind, name as written, description
    (
        PartnerKind.MINISTRY,
        "Ministria e Punëve të Brendshme",
        "Politikat e sigurisë dhe mbikëqyrja e Policisë.",
    ),
    (
        PartnerKind.MINISTRY,
        "Ministria e Arsimit, Shkencës dhe Teknologjisë",
        "Siguria në shkolla, ligjëratat.",
    ),
    (PartnerKind.MINISTRY, "Ministria e Shëndetësisë", "Dhuna në familje, varësia nga narkotikët."),
    (PartnerKind.MINISTRY, "Ministria e Punës dhe Mirëqenies Sociale", "Qendrat për punë sociale."),
    (
        PartnerKind.MINISTRY,
        "Zyra për Qeverisje të Mirë – Zyra e Kryeministrit",
        "Të drejtat e njeriut, barazia.",
    ),
    (PartnerKind.MINISTRY, "Zyra e Presidentit të Republikës së Kosovës", ""),
    (PartnerKind.MINISTRY, "Agjencia për Barazi Gjinore", "Agjenci e pavarur."),
    (PartnerKind.MINISTRY, "Institucioni i Avokatit të Popullit", "Agjenci e pavarur."),
    (PartnerKind.INTERNATIONAL, "OSCE Mission in Kosovo – Department of Security and Public Safety", ""),
    (PartnerKind.INTERNATIONAL, "ICITAP Kosovo", "U.S. Department of Justice, training of police."),
    (PartnerKind.INTERNATIONAL, "UNDP Kosovo – Safer Communities Programme", ""),
    (PartnerKind.INTERNATIONAL, "KFOR – Liaison and Monitoring Teams", ""),
    (PartnerKind.INTERNATIONAL, "EULEX Kosovo", ""),
    (PartnerKind.INTERNATIONAL, "UNICEF Kosovo", "Mbrojtja e fëmijëve."),
    (PartnerKind.DONOR, "USAID Kosovo", ""),
    (PartnerKind.DONOR, "Swiss Agency for Development and Cooperation", ""),
    (PartnerKind.DONOR, "GIZ Kosovo", ""),
    (PartnerKind.NGO, "Qendra Kosovare për Studime të Sigurisë", "Hulumtime për sigurinë në bashkësi."),
    (PartnerKind.NGO, "Rrjeti i Grave të Kosovës", ""),
    (PartnerKind.NGO, "Qendra për Mbrojtjen e Viktimave dhe Parandalimin e Trafikimit", ""),
    (PartnerKind.NGO, "Handikos", "Personat me aftësi të kufizuara."),
    (PartnerKind.MEDIA, "Radio Televizioni i Kosovës", ""),
    (PartnerKind.MEDIA, "Radio KIM", "Radio na srpskom jeziku, Čaglavica."),
    (PartnerKind.RELIGIOUS, "Bashkësia Islame e Kosovës", ""),
    (PartnerKind.RELIGIOUS, "Srpska pravoslavna crkva – Eparhija raško-prizrenska", ""),
    (PartnerKind.RELIGIOUS, "Kisha Katolike – Ipeshkvia e Kosovës", ""),
    (PartnerKind.RELIGIOUS, "Kisha Protestante Ungjillore e Kosovës", ""),
    (PartnerKind.BUSINESS, "Oda Ekonomike e Kosovës", ""),
    (PartnerKind.BUSINESS, "Oda Ekonomike Amerikane në Kosovë", ""),
    (PartnerKind.OTHER, "Komisioni parlamentar për Punë të Brendshme dhe Siguri", "Kuvendi i Kosovës."),
]

# Central agreements: (partner index in CENTRAL, kind, title, signed, years valid or 0, status).
CENTRAL_AGREEMENTS: list[tuple[int, str, str, date, int, str]] = [
    (
        8,
        AgreementKind.MEMORANDUM,
        "Memorandum mirëkuptimi për mbështetjen e policimit në bashkësi",
        date(2012, 9, 18),
        4,
        AgreementStatus.EXPIRED,
    ),
    (
        1,
        AgreementKind.MEMORANDUM,
        "Memorandum bashkëpunimi për sigurinë në shkolla",
        date(2013, 2, 12),
        5,
        AgreementStatus.EXPIRED,
    ),
    (
        4,
        AgreementKind.GUIDELINE,
        "Udhëzim administrativ ndërsektorial për të drejtat e njeriut",
        date(2013, 6, 4),
        0,
        AgreementStatus.SIGNED,
    ),
    (
        9,
        AgreementKind.AGREEMENT,
        "Marrëveshje për trajnimet e specializuara në policimin në bashkësi",
        date(2013, 10, 22),
        3,
        AgreementStatus.EXPIRED,
    ),
    (
        2,
        AgreementKind.GUIDELINE,
        "Udhëzim administrativ për rastet e dhunës në familje",
        date(2014, 3, 8),
        0,
        AgreementStatus.SIGNED,
    ),
    (
        10,
        AgreementKind.MEMORANDUM,
        "Memorandum për projektin Komunitete më të Sigurta",
        date(2014, 11, 27),
        2,
        AgreementStatus.EXPIRED,
    ),
    (
        27,
        AgreementKind.MEMORANDUM,
        "Memorandum bashkëpunimi për parandalimin e krimit ekonomik",
        date(2015, 5, 19),
        0,
        AgreementStatus.TERMINATED,
    ),
    (
        23,
        AgreementKind.MEMORANDUM,
        "Memorandum për parandalimin e radikalizmit dhe ekstremizmit të dhunshëm",
        date(2015, 12, 10),
        0,
        AgreementStatus.SIGNED,
    ),
    (
        3,
        AgreementKind.AGREEMENT,
        "Marrëveshje për referimin e rasteve te qendrat për punë sociale",
        date(2016, 4, 14),
        5,
        AgreementStatus.EXPIRED,
    ),
]
RECENT_CENTRAL_AGREEMENTS: list[tuple[int, str, str]] = [
    (13, AgreementKind.MEMORANDUM, "Memorandum për mbrojtjen e fëmijëve në hapësirën online"),
    (1, AgreementKind.MEMORANDUM, "Memorandum i ri bashkëpunimi për sigurinë në shkolla"),
    (17, AgreementKind.AGREEMENT, "Marrëveshje për anketën e perceptimit të sigurisë në bashkësi"),
]

SCHOOLS = {
    "albanian": [
        "Naim Frashëri",
        "Sami Frashëri",
        "Ismail Qemali",
        "Hasan Prishtina",
        "Gjergj Fishta",
        "Ndre Mjeda",
        "Faik Konica",
        "Pjetër Bogdani",
        "Dëshmorët e Kombit",
        "Bajram Curri",
    ],
    "serbian": ["Sveti Sava", "Vuk Karadžić", "Desanka Maksimović", "Branko Radičević", "Njegoš"],
}

VOLUNTEER_ACTIVITIES = {
    "albanian": [
        "Ndihmë në trafik para shkollës",
        "Patrullim në lagje me jelek fluoreshent",
        "Shpërndarje fletushkash për sigurinë",
        "Ndihmë gjatë festës komunale",
        "Vizitë te të moshuarit e vetmuar",
        "Takim me banorët e lagjes",
    ],
    "serbian": [
        "Pomoć u saobraćaju ispred škole",
        "Obilazak naselja u fluorescentnom prsluku",
        "Deljenje letaka o bezbednosti",
        "Pomoć tokom opštinske proslave",
        "Poseta starijim osobama koje žive same",
    ],
}

REASONS = {
    "albanian": [
        "Për ndihmën në gjetjen e një fëmije të humbur",
        "Për kontributin e veçantë në sigurinë e shkollave",
        "Për bashkëpunimin në zgjidhjen e një problemi të lagjes",
        "Për punën vullnetare gjatë vërshimeve",
        "Për raportimin që parandaloi një vjedhje",
        "Për angazhimin e përhershëm në forumin e sigurisë",
    ],
    "serbian": [
        "Za pomoć u pronalaženju izgubljenog deteta",
        "Za poseban doprinos bezbednosti u školama",
        "Za saradnju u rešavanju problema u naselju",
        "Za dobrovoljni rad tokom poplava",
    ],
}
OFFICER_REASONS = [
    "Për përkushtim të jashtëzakonshëm në policimin në bashkësi",
    "Për ndërtimin e besimit me banorët e sektorit",
]
