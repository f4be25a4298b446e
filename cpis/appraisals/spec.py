"""The built-in criteria of the performance evaluation form. Activity 1.2.6 of
the strategy orders the form amended for community policing, "all scales in
favour of building relationships and solving problems": the amended form gives
the community-policing criteria 70 of the 100 points, each with the items of
the officer's record it draws its evidence from. The form before it (kept as
version 1 in the demo) had general criteria only."""

from typing import Any

from django.utils.translation import gettext_lazy as _

ANCHORS = {
    "sq": [
        "I pakënaqshëm",
        "Ka nevojë për përmirësim",
        "I plotëson pritjet",
        "I tejkalon pritjet",
        "I shkëlqyer",
    ],
    "sr": ["Незадовољавајуће", "Потребно побољшање", "Испуњава очекивања", "Премашује очекивања", "Изузетно"],
    "en": [
        "Unsatisfactory",
        "Needs improvement",
        "Meets expectations",
        "Exceeds expectations",
        "Outstanding",
    ],
}


def _criterion(
    code: str, weight: int, label: tuple[str, str, str], description: tuple[str, str, str], *,
    community: bool = False, evidence: tuple[str, ...] = (),
) -> dict[str, Any]:  # fmt: skip
    return {
        "code": code,
        "weight": weight,
        "label_sq": label[0],
        "label_sr": label[1],
        "label_en": label[2],
        "description_sq": description[0],
        "description_sr": description[1],
        "description_en": description[2],
        "anchors": ANCHORS,
        "is_community_policing": community,
        "evidence_keys": list(evidence),
    }


JOB_KNOWLEDGE = (
    "job_knowledge",
    ("Njohja e ligjit dhe procedurave", "Познавање закона и процедура", "Knowledge of law and procedures"),
    (
        "Zbaton ligjin dhe procedurat standarde të veprimit saktë.",
        "Тачно примењује закон и стандардне оперативне процедуре.",
        "Applies the law and the standard operating procedures correctly.",
    ),
)
CONDUCT = (
    "professional_conduct",
    (
        "Sjellja profesionale dhe integriteti",
        "Професионално понашање и интегритет",
        "Professional conduct and integrity",
    ),
    (
        "Sillet me respekt, paanshmëri dhe ndershmëri ndaj çdo qytetari.",
        "Понаша се с поштовањем, непристрасно и поштено према сваком грађанину.",
        "Treats every citizen with respect, impartially and honestly.",
    ),
)
TEAMWORK = (
    "teamwork",
    ("Puna në ekip dhe komunikimi", "Тимски рад и комуникација", "Teamwork and communication"),
    (
        "Bashkëpunon me kolegët dhe i informon eprorët me kohë.",
        "Сарађује са колегама и благовремено обавештава претпостављене.",
        "Works with colleagues and keeps superiors informed in time.",
    ),
)

# The amended form [1.2.6]: weights sum to 100, 70 of them for community policing.
AMENDED = [
    _criterion(
        "community_relationships", 20,
        ("Ndërtimi i marrëdhënieve me komunitetin", "Изградња односа са заједницом",
         "Building relationships with the community"),
        ("Merr pjesë në forume, mban takime dhe informon komunitetin, angazhon partnerë.",
         "Учествује на форумима, држи састанке и информише заједницу, ангажује партнере.",
         "Takes part in forums, holds meetings and informs the community, engages partners."),
        community=True,
        evidence=("meetings_attended", "outreach_delivered", "audience_reached", "partners_engaged"),
    ),
    _criterion(
        "problem_solving", 20,
        ("Zgjidhja e problemeve", "Решавање проблема", "Solving problems"),
        ("Merr përsipër probleme të sektorit me komunitetin dhe i çon deri te një rezultat i vlerësuar.",
         "Преузима проблеме сектора са заједницом и доводи их до процењеног исхода.",
         "Takes up the sector's problems with the community and carries them to an assessed outcome."),
        community=True,
        evidence=("problems_owned", "problem_outcomes"),
    ),
    _criterion(
        "responsiveness", 15,
        ("Reagimi ndaj qytetarëve", "Одговор на потребе грађана", "Responsiveness to citizens"),
        ("Përgjigjet shpejt shqetësimeve të qytetarëve dhe i zgjidh ato.",
         "Брзо одговара на забринутости грађана и решава их.",
         "Answers citizens' concerns promptly and resolves them."),
        community=True,
        evidence=("concerns_handled", "first_response", "time_to_close", "reporter_feedback", "reopened"),
    ),
    _criterion(
        "sector_knowledge", 10,
        ("Njohja e sektorit", "Познавање сектора", "Knowledge of the sector"),
        ("Njeh njerëzit, vendet dhe rreziqet e sektorit të vet.",
         "Познаје људе, места и ризике свог сектора.",
         "Knows the people, places and risks of their sector."),
        community=True,
        evidence=("tenure",),
    ),
    _criterion(
        "training", 5,
        ("Trajnimi", "Обука", "Training"),
        ("Ndjek trajnimet për policimin në bashkësi dhe i zbaton ato.",
         "Похађа обуке о раду полиције у заједници и примењује их.",
         "Attends community-policing training and applies it."),
        community=True,
        evidence=("training_completed",),
    ),
    _criterion(JOB_KNOWLEDGE[0], 10, JOB_KNOWLEDGE[1], JOB_KNOWLEDGE[2]),
    _criterion(CONDUCT[0], 10, CONDUCT[1], CONDUCT[2]),
    _criterion(TEAMWORK[0], 10, TEAMWORK[1], TEAMWORK[2]),
]  # fmt: skip

# The form before the amendment: general criteria only.
BEFORE = [
    _criterion(JOB_KNOWLEDGE[0], 25, JOB_KNOWLEDGE[1], JOB_KNOWLEDGE[2]),
    _criterion(
        "quality_of_work", 25,
        ("Cilësia e punës", "Квалитет рада", "Quality of work"),
        ("Kryen detyrat me saktësi dhe në kohë.", "Обавља задатке тачно и на време.",
         "Carries out duties accurately and on time."),
    ),
    _criterion(CONDUCT[0], 20, CONDUCT[1], CONDUCT[2]),
    _criterion(TEAMWORK[0], 15, TEAMWORK[1], TEAMWORK[2]),
    _criterion(
        "reliability", 15,
        ("Besueshmëria dhe prania", "Поузданост и присутност", "Reliability and attendance"),
        ("Është i pranishëm, i përpiktë dhe i besueshëm.", "Присутан је, тачан и поуздан.",
         "Is present, punctual and dependable."),
    ),
]  # fmt: skip

DEFAULT_FORM = {
    "code": "police-officers",
    "name_sq": "Vlerësimi i performancës së zyrtarëve policorë",
    "name_sr": "Оцена учинка полицијских службеника",
    "name_en": "Performance evaluation of police officers",
    "ranks": ["officer", "sergeant", "lieutenant"],
}

# The items of the officer's record (people.record.KEYS) a criterion may draw on, as
# the form editor names them.
EVIDENCE_LABELS = {
    "concerns_handled": _("Concerns handled"),
    "first_response": _("Time to first response"),
    "time_to_close": _("Time to close"),
    "reopened": _("Concerns reopened"),
    "reporter_feedback": _("Reporters' answers after closure"),
    "meetings_attended": _("Forum meetings attended"),
    "outreach_delivered": _("Outreach delivered"),
    "audience_reached": _("Audience reached"),
    "problems_owned": _("Problems owned"),
    "problem_outcomes": _("Assessed outcomes of problems"),
    "partners_engaged": _("Partners engaged"),
    "training_completed": _("Training completed"),
    "tenure": _("Tenure in the sector"),
}
