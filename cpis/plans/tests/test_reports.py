"""The evaluation report, PDF and XLSX, rendered from a snapshot as big as the
real plan (3 goals, 13 objectives, 72 activities, 110 indicators, 10
half-years) in all four languages. No database: reports read snapshots only."""

import copy
import random
import re
from datetime import date, datetime, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook

from cpis.core.i18n import has_cyrillic, pick
from cpis.plans.reports import render_pdf, render_xlsx
from cpis.plans.reports.xlsx import sheet_title
from cpis.plans.spec import load_data_file

LANGUAGES = ["sq", "sr", "sr-latn", "en"]
STATUSES = ["not_started", "in_progress", "done", "delayed", "cancelled"]
PERIODS = [f"{year} H{half}" for year in range(2012, 2017) for half in (1, 2)]
PERIOD_END = date(2016, 12, 31)
INJECTION = "=cmd|' /C calc'!A0"

PLACES = [
    ("Prishtina", "Prishtinë", "Приштина"),
    ("Gračanica", "Graçanicë", "Грачаница"),
    ("Mitrovica North", "Mitrovicë e Veriut", "Северна Митровица"),
    ("Prizren", "Prizren", "Призрен"),
    ("Peja", "Pejë", "Пећ"),
    ("Gjilan", "Gjilan", "Гњилане"),
    ("Ferizaj", "Ferizaj", "Урошевац"),
    ("Štrpce", "Shtërpcë", "Штрпце"),
]
ACTIVITY_TEMPLATES = [
    (
        "Organise regular meetings of the local public safety committee in %s and publish the minutes",
        "Organizimi i takimeve të rregullta të komitetit lokal për siguri publike në %s dhe publikimi i "
        "procesverbaleve",
        "Организовање редовних састанака локалног комитета за јавну безбедност у %s и објављивање записника",
    ),
    (
        "Train community policing officers of the %s station in problem solving",
        "Trajnimi i zyrtarëve të policimit në bashkësi të stacionit %s për zgjidhjen e problemeve",
        "Обука полицијских службеника за рад у заједници станице %s за решавање проблема",
    ),
    (
        "Hold open days for pupils and parents in schools of %s",
        "Mbajtja e ditëve të hapura për nxënës dhe prindër në shkollat e %s",
        "Одржавање дана отворених врата за ученике и родитеље у школама у %s",
    ),
    (
        "Map the safety concerns of non-majority communities in %s together with the municipality",
        "Hartëzimi i shqetësimeve për siguri të komuniteteve joshumicë në %s së bashku me komunën",
        "Мапирање безбедносних забринутости невећинских заједница у %s заједно са општином",
    ),
    (
        "Answer every concern received in %s within thirty days and report back to the reporter",
        "Përgjigja çdo shqetësimi të pranuar në %s brenda tridhjetë ditëve dhe njoftimi i parashtruesit",
        "Одговор на сваку пријављену забринутост у %s у року од тридесет дана и обавештење подносиоца",
    ),
    (
        "Run a traffic safety campaign near schools and markets of %s",
        "Zhvillimi i një fushate për sigurinë në trafik pranë shkollave dhe tregjeve të %s",
        "Спровођење кампање безбедности саобраћаја у близини школа и пијаца у %s",
    ),
]
RESPONSIBLE = [
    {
        "sq": "Drejtoria për Policimin në Bashkësi, Stacioni Policor",
        "sr": "Дирекција за рад полиције у заједници, Полицијска станица",
        "en": "Community Policing Directorate, Police station",
    },
    {
        "sq": "Komandanti i Stacionit, Zyrtari për Komunikim me Publikun",
        "sr": "Командир станице, Службеник за односе са јавношћу",
        "en": "Station commander, Public relations officer",
    },
    {
        "sq": "Akademia e Kosovës për Siguri Publike",
        "sr": "Косовска академија за јавну безбедност",
        "en": "Kosovo Academy for Public Safety",
    },
    {
        "sq": "Komuna, Këshilli Komunal për Siguri në Bashkësi",
        "sr": "Општина, Општински савет за безбедност заједнице",
        "en": "Municipality, Municipal Community Safety Council",
    },
]
INDICATOR_TEMPLATES = [
    ("count", "Number of meetings held", "Numri i takimeve të mbajtura", "Број одржаних састанака"),
    ("count", "Number of officers trained", "Numri i zyrtarëve të trajnuar", "Број обучених службеника"),
    (
        "percent",
        "Share of concerns answered within 30 days",
        "Përqindja e shqetësimeve të përgjigjura brenda 30 ditëve",
        "Проценат забринутости одговорених у року од 30 дана",
    ),
    ("yes_no", "Guide published", "Udhëzuesi është publikuar", "Водич је објављен"),
    (
        "count",
        "Number of concerns received",
        "Numri i shqetësimeve të pranuara",
        "Број примљених забринутости",
    ),
]
SOURCES = [
    "concerns.received",
    "concerns.outcome_returned",
    "concerns.answered_in_time",
    "forums.meetings_held",
]


def _texts(en: str, sq: str, sr: str) -> dict[str, str]:
    return {"sq": sq, "sr": sr, "en": en}


def _totals(activities: list[dict[str, Any]]) -> dict[str, int]:
    return {status: sum(a["status"] == status for a in activities) for status in STATUSES}


def build_snapshot(*, seed: int = 2016) -> dict[str, Any]:
    """A frozen evaluation of the whole 2012–2016 plan at the end of 2016:
    3 goals, 13 objectives, 72 activities, 110 indicators, 10 half-years;
    Albanian and Cyrillic texts and a few cells a spreadsheet would run."""
    rng = random.Random(seed)
    goal_texts = [
        _texts(
            "Strengthen the partnership between the police and the communities",
            "Forcimi i partneritetit ndërmjet policisë dhe komuniteteve",
            "Јачање партнерства између полиције и заједница",
        ),
        _texts(
            "Improve public safety through joint problem solving",
            "Përmirësimi i sigurisë publike përmes zgjidhjes së përbashkët të problemeve",
            "Унапређење јавне безбедности кроз заједничко решавање проблема",
        ),
        _texts(
            "Build the institutional capacity for community policing",
            "Ngritja e kapacitetit institucional për policimin në bashkësi",
            "Изградња институционалних капацитета за рад полиције у заједници",
        ),
    ]
    narratives = [
        (
            "Gjatë periudhës janë mbajtur takime të rregullta në të gjitha komunat. Bashkëpunimi me "
            "komunitetet joshumicë është përmirësuar, por vonesat në Graçanicë dhe Shtërpcë kërkojnë "
            "vëmendje të veçantë në gjashtëmujorin e ardhshëm.\nPërgjegjësit kanë dorëzuar raportet me kohë.",
            "Arbër Gashi",
        ),
        (
            "Решавање проблема у заједници је напредовало у већини станица. Кашњења су највише у "
            "северним општинама због недостатка особља; предлаже се нови рок за активности 2.3.",
            "Милица Јовановић",
        ),
        ("", ""),
    ]
    objectives_per_goal = [[6, 5, 6, 5, 5], [5, 6, 5, 6], [6, 6, 5, 6]]
    weights = [0.08, 0.3, 0.42, 0.15, 0.05]
    goals: list[dict[str, Any]] = []
    indicators: list[dict[str, Any]] = []
    overdue: list[dict[str, Any]] = []
    activity_number = 0
    for g, counts in enumerate(objectives_per_goal, start=1):
        objectives = []
        for o, count in enumerate(counts, start=1):
            activities = []
            for a in range(1, count + 1):
                activity_number += 1
                code = f"{g}.{o}.{a}"
                template = ACTIVITY_TEMPLATES[activity_number % len(ACTIVITY_TEMPLATES)]
                place = PLACES[activity_number % len(PLACES)]
                text = _texts(template[0] % place[0], template[1] % place[1], template[2] % place[2])
                if code == "1.1.2":
                    text = _texts(INJECTION, INJECTION, INJECTION)
                status = rng.choices(STATUSES, weights)[0]
                percent = {
                    "not_started": 0,
                    "in_progress": rng.randrange(10, 91, 5),
                    "done": 100,
                    "delayed": rng.randrange(0, 61, 5),
                    "cancelled": None,
                }[status]
                if activity_number % 9 == 0:
                    due = None
                    time_limit = _texts("Ongoing", "Vazhdimisht", "Континуирано")
                else:
                    due = date(2012, 3, 31) + timedelta(days=rng.randrange(0, 5 * 365 + 60))
                    time_limit = _texts(
                        f"By {due:%d.%m.%Y}", f"Deri më {due:%d.%m.%Y}", f"До {due:%d.%m.%Y}."
                    )
                late = due is not None and due < PERIOD_END and status not in ("done", "cancelled")
                responsible = RESPONSIBLE[activity_number % len(RESPONSIBLE)]
                activities.append(
                    {
                        "code": code,
                        "text": text,
                        "responsible": responsible,
                        "time_limit": time_limit,
                        "due_date": due.isoformat() if due else None,
                        "status": status,
                        "percent": percent,
                        "last_update": (
                            (date(2012, 4, 10) + timedelta(days=rng.randrange(0, 1700))).isoformat()
                            if status != "not_started"
                            else None
                        ),
                        "overdue": late,
                    }
                )
                if late and due is not None:
                    overdue.append(
                        {
                            "code": code,
                            "text": text,
                            "due_date": due.isoformat(),
                            "status": status,
                            "responsible": responsible,
                            "days_late": (PERIOD_END - due).days,
                        }
                    )
                for n in range(2 if activity_number <= 38 else 1):
                    unit, en, sq, sr = INDICATOR_TEMPLATES[(activity_number + n) % len(INDICATOR_TEMPLATES)]
                    computed = unit != "yes_no" and (activity_number + n) % 3 != 0
                    start = rng.randrange(0, 4)
                    values: list[float | None] = []
                    for index in range(len(PERIODS)):
                        if index < start or (not computed and rng.random() < 0.25):
                            values.append(None)
                        elif unit == "percent":
                            values.append(float(rng.randrange(35, 101)))
                        elif unit == "yes_no":
                            values.append(1.0 if index >= start + 2 else 0.0)
                        else:
                            values.append(float(rng.randrange(0, 160)))
                    target = {"percent": 80.0, "yes_no": 1.0, "count": float(rng.randrange(20, 140, 10))}[
                        unit
                    ]
                    indicator_text = _texts(en, sq, sr)
                    if code == "2.1.1" and n == 0:
                        indicator_text = _texts("@SUM(A1:A9)", "@SUM(A1:A9)", "@SUM(A1:A9)")
                    indicators.append(
                        {
                            "activity_code": code,
                            "text": indicator_text,
                            "unit": unit,
                            "source": SOURCES[activity_number % len(SOURCES)] if computed else "",
                            "computed": computed,
                            "target": None if activity_number % 11 == 0 else target,
                            "values": values,
                        }
                    )
            objective_text = _texts(
                f"Objective {g}.{o}: better cooperation on safety in the municipalities",
                f"Objektivi {g}.{o}: bashkëpunim më i mirë për sigurinë në komuna",
                f"Циљ {g}.{o}: боља сарадња на безбедности у општинама",
            )
            objectives.append(
                {
                    "number": f"{g}.{o}",
                    "text": objective_text,
                    "totals": _totals(activities),
                    "activities": activities,
                }
            )
        goal_activities = [a for objective in objectives for a in objective["activities"]]
        narrative, narrative_by = narratives[g - 1]
        goals.append(
            {
                "number": str(g),
                "text": goal_texts[g - 1],
                "narrative": narrative,
                "narrative_by": narrative_by,
                "totals": _totals(goal_activities),
                "objectives": objectives,
            }
        )
    everything = [a for goal in goals for objective in goal["objectives"] for a in objective["activities"]]
    return {
        "version": 1,
        "plan": {
            "code": "cp-2012-2016",
            "title": _texts(
                "Strategy and Action Plan for Community Policing 2012–2016",
                "Strategjia dhe Plani i Veprimit për Policimin në Bashkësi 2012–2016",
                "Стратегија и акциони план за рад полиције у заједници 2012–2016",
            ),
            "period_start": "2012-01-01",
            "period_end": "2016-12-31",
        },
        "evaluation": {
            "period": {"label": "2016 H2", "start": "2016-07-01", "end": "2016-12-31"},
            "frozen_at": "2017-01-09T09:12:00+00:00",
            "frozen_by": "Arbër Gashi",
            "signed_at": None,
            "signed_by": "",
            "unit": None,
        },
        "statuses": STATUSES,
        "totals": _totals(everything),
        "periods": PERIODS,
        "goals": goals,
        "indicators": indicators,
        "overdue": overdue,
        "sections": [],  # the apps' elements 1–6: none registered for this plan-only snapshot
    }


def signed(snapshot: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(snapshot)
    result["evaluation"]["signed_at"] = "2017-01-20T14:30:00+00:00"
    result["evaluation"]["signed_by"] = "Dragana Petrović"
    return result


def minimal_snapshot() -> dict[str, Any]:
    """A plan filtered to a unit with nothing in it: every section must still render."""
    empty = dict.fromkeys(STATUSES, 0)
    return {
        "version": 1,
        "plan": {
            "code": "empty",
            "title": _texts("Empty plan", "Plan i zbrazët", "Празан план"),
            "period_start": "2012-01-01",
            "period_end": "2012-12-31",
        },
        "evaluation": {
            "period": {"label": "2012 H1", "start": "2012-01-01", "end": "2012-06-30"},
            "frozen_at": "2012-07-02T08:00:00+00:00",
            "frozen_by": "",
            "signed_at": None,
            "signed_by": "",
            "unit": _texts("Station N1", "Stacioni N1", "Станица Н1"),
        },
        "statuses": STATUSES,
        "totals": empty,
        "periods": ["2012 H1"],
        "goals": [
            {
                "number": "1",
                "text": _texts("Goal", "Qëllimi", "Циљ"),
                "narrative": "",
                "narrative_by": "",
                "totals": empty,
                "objectives": [
                    {"number": "1.1", "text": _texts("O", "O", "О"), "totals": empty, "activities": []}
                ],
            },
        ],
        "indicators": [],
        "overdue": [],
        "sections": [],
    }


# --- reading a PDF without a PDF library ------------------------------------


def pdf_string(raw: bytes) -> str:
    """A PDF string object: fpdf2 writes non-ASCII ones as UTF-16 hex."""
    if raw.startswith(b"<"):
        return bytes.fromhex(raw[1:-1].decode()).decode("utf-16")
    return raw[1:-1].decode("latin-1")


def pdf_info(pdf: bytes, key: str) -> str:
    """A string of the document information dictionary (fpdf2 writes
    non-ASCII ones as UTF-16 hex)."""
    reference = re.search(rb"/Info (\d+) 0 R", pdf)
    assert reference
    info = re.search(rb"\n" + reference.group(1) + rb" 0 obj\n<<(.*?)>>\nendobj", pdf, re.DOTALL)
    assert info
    match = re.search(rb"/" + key.encode() + rb" (<[0-9A-Fa-f]*>|\((?:\\.|[^\\)])*\))", info.group(1))
    assert match, key
    return pdf_string(match.group(1))


def outline(pdf: bytes) -> list[str]:
    """The titles of the document's bookmarks (outline items), in file order."""
    items = re.findall(rb"\n\d+ 0 obj\n<<((?:(?!endobj).)*?)>>\nendobj", pdf, re.DOTALL)
    titles = [
        re.search(rb"/Title (<[0-9A-Fa-f]*>|\((?:\\.|[^\\)])*\))", item)
        for item in items
        if b"/Parent" in item
    ]
    return [pdf_string(title.group(1)) for title in titles if title]


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def glyphs(pdf: bytes) -> set[str]:
    """The characters written with the embedded fonts, from their ToUnicode maps."""
    return {chr(int(code, 16)) for code in re.findall(rb"<[0-9A-F]{4}> <([0-9A-F]{4})>", pdf)}


@pytest.fixture(scope="module")
def snapshot() -> dict[str, Any]:
    return build_snapshot()


@pytest.fixture(scope="module")
def pdfs(snapshot: dict[str, Any]) -> dict[str, bytes]:
    return {language: render_pdf(snapshot, language=language, compress=False) for language in LANGUAGES}


@pytest.fixture(scope="module")
def workbooks(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {
        language: load_workbook(BytesIO(render_xlsx(snapshot, language=language))) for language in LANGUAGES
    }


def test_the_report_has_every_part_of_a_plan_as_big_as_the_real_one(snapshot, pdfs, workbooks):
    real = load_data_file()  # the 2012–2016 plan the system is loaded with
    goals = snapshot["goals"]
    objectives = [o for g in goals for o in g["objectives"]]
    activities = [a for o in objectives for a in o["activities"]]
    assert len(goals) == len(real.goals) == 3
    assert len(objectives) == sum(len(g.objectives) for g in real.goals) == 13
    assert len(activities) == len(real.activities()) == 72
    assert len(snapshot["indicators"]) == 110
    assert len(snapshot["indicators"]) >= sum(len(a.indicators) for a in real.activities())
    assert len(snapshot["periods"]) == 2 * (real.period_end.year - real.period_start.year + 1) == 10
    assert {a["status"] for a in activities} == set(STATUSES)
    assert snapshot["overdue"]
    # The PDF: a bookmarked section for every goal and objective, in the plan's order.
    sections = [
        [f"Goal {g['number']}"] + [f"Objective {o['number']}" for o in g["objectives"]] for g in goals
    ]
    expected = [
        "Summary",
        *(title for section in sections for title in section),
        "Indicators",
        "The strategy's elements",
        "Evaluation 4: citizens' perception of order and public safety",
        "Overdue activities",
    ]
    assert outline(pdfs["en"]) == expected
    # The workbook: a row for every activity and every indicator, in the plan's order.
    workbook = workbooks["en"]
    assert [row[2] for row in workbook["Activities"].iter_rows(min_row=2, values_only=True)] == [
        a["code"] for a in activities
    ]
    assert [row[0] for row in workbook["Indicators"].iter_rows(min_row=2, values_only=True)] == [
        i["activity_code"] for i in snapshot["indicators"]
    ]


# --- PDF ----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pdf_is_a_whole_document_titled_in_its_language(pdfs, snapshot, language):
    pdf = pdfs[language]
    assert pdf.startswith(b"%PDF-1.")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert page_count(pdf) > 3
    with translation.override(language):
        plan_title = pick(snapshot["plan"]["title"])
    title = pdf_info(pdf, "Title")
    assert plan_title in title
    assert "2016 H2" in title
    assert b"/Lang (" + language.encode() + b")" in pdf
    assert b"+DejaVuSansBook" in pdf  # subsets of the fonts matplotlib ships
    assert b"+DejaVuSansBold" in pdf


def test_albanian_and_serbian_letters_are_written_with_the_embedded_font(pdfs):
    assert {"ë", "ç"} <= glyphs(pdfs["sq"])
    assert {"ш", "ж", "ћ", "љ", "њ"} <= glyphs(pdfs["sr"])
    latin = glyphs(pdfs["sr-latn"])
    assert {"š", "ž", "ć", "č"} <= latin
    assert not has_cyrillic("".join(latin))  # narratives too are transliterated
    # Narratives are printed as written, whatever the reader's language.
    assert {"ë", "ç", "ш"} <= glyphs(pdfs["en"])


def test_compression_is_on_by_default(snapshot, pdfs):
    compressed = render_pdf(minimal_snapshot(), language="en")
    plain = render_pdf(minimal_snapshot(), language="en", compress=False)
    assert compressed.startswith(b"%PDF-")
    assert len(compressed) < len(plain)
    assert b"BT" in plain  # page content is readable text operators


def test_a_draft_says_so_and_a_signed_report_names_who_signed(snapshot, pdfs):
    assert "state:draft" in pdf_info(pdfs["en"], "Keywords")
    assert pdf_info(pdfs["en"], "Subject") == "Not signed off — draft"
    pdf = render_pdf(signed(snapshot), language="en")
    keywords = pdf_info(pdf, "Keywords")
    assert "state:signed" in keywords
    assert "state:draft" not in keywords
    assert "Dragana Petrović" in pdf_info(pdf, "Subject")
    assert page_count(pdf) == page_count(pdfs["en"])


def test_the_same_snapshot_gives_the_same_pdf(snapshot, pdfs):
    assert render_pdf(snapshot, language="en", compress=False) == pdfs["en"]


def test_a_snapshot_with_nothing_in_it_still_renders():
    for language in LANGUAGES:
        pdf = render_pdf(minimal_snapshot(), language=language)
        assert pdf.startswith(b"%PDF-")
        assert page_count(pdf) >= 3  # title and summary, the goal, indicators and overdue
        workbook = load_workbook(BytesIO(render_xlsx(minimal_snapshot(), language=language)))
        assert len(workbook.worksheets) == 7


# --- XLSX ---------------------------------------------------------------------


def column(sheet, header: str) -> int:
    return [cell.value for cell in sheet[1]].index(header) + 1


def all_text(workbook) -> str:
    return "\n".join(
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value
    )


def test_the_workbook_has_its_sheets_with_bold_frozen_headers(workbooks):
    workbook = workbooks["en"]
    assert workbook.sheetnames == [
        "Evaluation",
        "Summary",
        "Activities",
        "Indicators",
        "Perception",
        "Overdue",
        "Narrative",
    ]
    for sheet in workbook.worksheets:
        assert sheet["A1"].font.bold, sheet.title
        assert sheet.freeze_panes in ("A2", "C2"), sheet.title
    assert workbook.properties.keywords == "state:draft"


def test_every_activity_and_indicator_has_a_row(workbooks, snapshot):
    workbook = workbooks["en"]
    assert workbook["Activities"].max_row == 1 + 72
    assert workbook["Indicators"].max_row == 1 + len(snapshot["indicators"])
    assert workbook["Overdue"].max_row == 1 + len(snapshot["overdue"])
    assert workbook["Narrative"].max_row == 1 + 3


def test_dates_are_real_dates_and_statuses_are_labels(workbooks, snapshot):
    sheet = workbooks["en"]["Activities"]
    first = snapshot["goals"][0]["objectives"][0]["activities"][0]
    row = next(
        r for r in range(2, sheet.max_row + 1) if sheet.cell(r, column(sheet, "Code")).value == first["code"]
    )
    due = sheet.cell(row, column(sheet, "Due date"))
    assert isinstance(due.value, datetime)
    assert due.value.date() == date.fromisoformat(first["due_date"])
    assert due.number_format == "DD.MM.YYYY"
    assert sheet.cell(row, column(sheet, "Status")).value in {
        "Not started",
        "In progress",
        "Done",
        "Delayed",
        "Cancelled",
    }
    overdue = workbooks["en"]["Overdue"]
    assert isinstance(overdue.cell(2, column(overdue, "Due date")).value, datetime)
    assert overdue.cell(2, column(overdue, "Days late")).value == snapshot["overdue"][0]["days_late"]


def test_indicator_values_sit_in_their_period_columns(workbooks, snapshot):
    sheet = workbooks["en"]["Indicators"]
    header = [cell.value for cell in sheet[1]]
    assert header[5:] == PERIODS
    for index in (0, 17, 109):
        indicator = snapshot["indicators"][index]
        row = [cell.value for cell in sheet[index + 2]]
        assert row[0] == indicator["activity_code"]
        assert row[4] == indicator["target"]
        assert row[5:] == indicator["values"]
    sources = {sheet.cell(r, column(sheet, "Source")).value for r in range(2, sheet.max_row + 1)}
    assert "entered by hand" in sources
    assert "counted by the system (concerns.outcome_returned)" in sources


def test_text_a_spreadsheet_would_run_is_neutralised(workbooks):
    activities = workbooks["en"]["Activities"]
    row = next(r for r in range(2, 74) if activities.cell(r, 3).value == "1.1.2")
    assert activities.cell(row, column(activities, "Activity")).value == "'" + INJECTION
    indicators = workbooks["en"]["Indicators"]
    assert "'@SUM(A1:A9)" in [indicators.cell(r, 2).value for r in range(2, indicators.max_row + 1)]
    assert not any(
        isinstance(value, str) and value.startswith(("=", "+", "@"))
        for sheet in workbooks["en"].worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    )


def test_serbian_is_cyrillic_and_serbian_latin_is_not(workbooks):
    cyrillic = all_text(workbooks["sr"])
    assert "Јачање партнерства између полиције и заједница" in cyrillic
    assert "Грачаница" in cyrillic
    latin = all_text(workbooks["sr-latn"])
    assert not has_cyrillic(latin)
    assert "Jačanje partnerstva između policije i zajednica" in latin
    assert "Rešavanje problema u zajednici" in latin  # the narrative, transliterated
    albanian = all_text(workbooks["sq"])
    assert "Graçanicë" in albanian
    assert "Gjatë periudhës janë mbajtur takime" in albanian


def test_the_narratives_sheet_says_when_none_was_written(workbooks):
    sheet = workbooks["en"]["Narrative"]
    assert sheet.cell(4, 3).value == "No narrative was written."
    assert sheet.cell(2, 4).value == "Arbër Gashi"


def test_the_summary_and_indicators_have_native_charts(workbooks, snapshot):
    summary = workbooks["en"]["Summary"]
    assert len(summary._charts) == 1
    assert len(workbooks["en"]["Indicators"]._charts) == 1
    statuses = [summary.cell(1, c).value for c in range(3, 8)]
    assert statuses == ["Not started", "In progress", "Done", "Delayed", "Cancelled"]
    assert summary.cell(2, 3 + STATUSES.index("done")).value == snapshot["goals"][0]["totals"]["done"]
    assert summary.cell(5, 1).value == "All goals"
    assert summary.cell(5, 8).value == 72


@pytest.mark.parametrize("language", LANGUAGES)
def test_sheet_titles_are_valid_in_every_language(workbooks, language):
    titles = workbooks[language].sheetnames
    assert len(set(titles)) == 7
    for title in titles:
        assert 0 < len(title) <= 31
        assert not re.search(r"[\[\]:*?/\\]", title)


def test_sheet_titles_are_made_valid():
    taken: set[str] = set()
    assert sheet_title("Plans: [draft]/final?*", taken) == "Plans   draft  final"
    assert sheet_title("x" * 40, taken) == "x" * 31
    assert sheet_title("x" * 40, taken) == "x" * 29 + " 2"
