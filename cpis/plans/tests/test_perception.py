"""Evaluation 4 in the action plan: the perception surveys' figures an
evaluation freezes and shows (page, PDF, XLSX), and the indicators that count
themselves from the surveys, per half-year and place."""

import importlib
import io
import re
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cpis.core.periods import Period, parse_label
from cpis.plans import indicators, reports, selectors, services
from cpis.plans.models import Activity, Evaluation, Indicator
from cpis.surveys.models import QuestionnaireVersion, Response, Wave, WaveStatus

H1_2016 = Period(date(2016, 1, 1), date(2016, 6, 30))
H2_2016 = Period(date(2016, 7, 1), date(2016, 12, 31))


def make_wave(version, place, name, starts, ends, *, status=WaveStatus.CLOSED):
    return Wave.objects.create(
        name=name, version=version, place=place, starts_on=starts, ends_on=ends, status=status, min_n=10
    )


def answer(wave, sector, n, *, safe, start=0):
    Response.objects.bulk_create(
        Response(
            version=wave.version,
            wave=wave,
            sector=sector,
            channel="door",
            answers={"safe_dark": 5 if i < safe else 2, "issue_text": "Names and addresses"},
            submitted_at=timezone.now(),
            idempotency_key=f"e:{wave.pk}:{sector.pk}:{start + i}",
        )
        for i in range(n)
    )


@pytest.fixture
def waves(tree, db):
    """Autumn 2015 (the north only answers, 12 of 40 feel safe) and spring 2016
    (the north: 28 of 40; the south: 5 answers, too few to show)."""
    version = QuestionnaireVersion.objects.get(questionnaire__code="safety-and-trust", status="published")
    autumn = make_wave(version, tree.root, "Autumn 2015", date(2015, 10, 1), date(2015, 10, 31))
    answer(autumn, tree.n1a, 40, safe=12)
    spring = make_wave(version, tree.root, "Spring 2016", date(2016, 4, 1), date(2016, 5, 1))
    answer(spring, tree.n1a, 40, safe=28)
    answer(spring, tree.s1a, 5, safe=5)
    return autumn, spring


def freeze(plan, actor_for, period=H1_2016):
    return services.freeze_evaluation(actor_for("strategy_coordinator"), plan=plan, period=period)


# --- reading text out of the PDF ------------------------------------------------------------


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i] == 0x5C:  # backslash
            following = raw[i + 1 : i + 2]
            if following.isdigit():
                digits = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4]).group(0)
                out.append(int(digits, 8))
                i += 1 + len(digits)
                continue
            out += {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(following, following)
            i += 2
            continue
        out.append(raw[i])
        i += 1
    return bytes(out)


def pdf_text(pdf: bytes) -> str:
    """The text an uncompressed fpdf2 PDF shows, through each font's ToUnicode map."""
    objects = dict(re.findall(rb"\n(\d+) 0 obj\n(.*?)\nendobj", pdf, re.DOTALL))
    cmaps = {}
    for number, body in objects.items():
        found = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if found:
            cmap = objects[found.group(1)]
            cmaps[number] = {
                int(a, 16): chr(int(b, 16)) for a, b in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]{4})>", cmap)
            }
    fonts = {}
    for body in objects.values():
        for names in re.findall(rb"/Font\s*<<(.*?)>>", body, re.DOTALL):
            for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", names):
                if number in cmaps:
                    fonts[name] = cmaps[number]
    text, font = [], {}
    for token in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", pdf, re.DOTALL):
        if token.group(1):
            font = fonts.get(token.group(1), {})
            continue
        raw = _unescape(token.group(2))
        text.append("".join(font.get(int.from_bytes(raw[k : k + 2]), "?") for k in range(0, len(raw) - 1, 2)))
    return " ".join(text)


# --- the evaluation's section ------------------------------------------------------------


def test_an_evaluation_freezes_the_waves_that_ended_in_its_half_year_nationally_and_per_region(
    plan, tree, waves, actor_for
):
    _autumn, spring = waves
    evaluation = freeze(plan, actor_for)
    section = evaluation.snapshot["perception"]
    assert section["basis"] == "in_period"
    [wave] = section["waves"]
    assert wave["name"] == "Spring 2016" and wave["responses"] == 45
    assert wave["previous"]["name"] == "Autumn 2015"
    rows = {row["place"]["en"]: row for row in wave["rows"]}
    assert list(rows) == ["Directorate", "North", "South"]
    assert rows["Directorate"]["figures"]["safe_dark"]["estimate"] == pytest.approx(33 / 45, abs=1e-4)
    north = rows["North"]["figures"]["safe_dark"]
    assert north["estimate"] == pytest.approx(0.7) and north["low"] < 0.7 < north["high"]
    assert north["change"] == pytest.approx(0.4) and north["change_low"] > 0
    south = rows["South"]["figures"]["safe_dark"]
    assert south["suppressed"] and south["estimate"] is None and south["low"] is None
    assert rows["South"]["responses"] == 5
    assert "Names and addresses" not in str(evaluation.snapshot)  # no free text

    # Answers that come in after the freeze change nothing in it.
    answer(spring, tree.s1a, 20, safe=0, start=100)
    evaluation.refresh_from_db()
    again = {r["place"]["en"]: r for r in evaluation.snapshot["perception"]["waves"][0]["rows"]}
    assert again["South"]["figures"]["safe_dark"]["suppressed"]


def test_with_no_wave_in_the_half_year_the_latest_before_it_is_reported(plan, waves, actor_for):
    section = freeze(plan, actor_for, H2_2016).snapshot["perception"]
    assert section["basis"] == "before"
    assert [w["name"] for w in section["waves"]] == ["Spring 2016"]


def test_the_evaluation_page_pdf_and_workbook_show_the_figures(plan, waves, actor_for, client_for):
    evaluation = freeze(plan, actor_for)
    client = client_for("strategy_coordinator")
    page = client.get(reverse("plans:evaluation", args=[evaluation.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode().split('id="evaluation-4"')[1]
    assert "Spring 2016" in html and "45 responses counted" in html
    north = html.split('data-level="region"')[1]
    assert "North" in north and "70%" in north and "+40 pp" in north
    south = html.split('data-level="region"')[2]
    assert "suppressed" in south and "%" not in south.split("</tr>")[0]

    text = pdf_text(reports.render_pdf(selectors.report_snapshot(evaluation), language="en", compress=False))
    assert "Evaluation 4: citizens' perception of order and public safety" in text
    assert "Spring 2016" in text and "73%" in text and "70%" in text and "+40 pp*" in text
    xlsx = client.get(reverse("plans:evaluation_xlsx", args=[evaluation.pk]), HTTP_ACCEPT_LANGUAGE="en")
    sheet = load_workbook(io.BytesIO(xlsx.content))["Perception"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=False)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    safe = {r["Place"]: r for r in rows if r["Item"] == "Safe after dark"}
    assert safe["North"]["Share (%) or mean"] == pytest.approx(70.0)
    assert safe["North"]["Change since the previous wave"] == pytest.approx(40.0)
    assert safe["Directorate"]["Answers at the place"] == 45
    assert safe["South"]["Suppressed"] == "Yes" and safe["South"]["Share (%) or mean"] is None


def test_an_evaluation_frozen_before_the_section_existed_says_so(plan, actor_for, client_for):
    evaluation = freeze(plan, actor_for)
    snapshot = dict(evaluation.snapshot)
    del snapshot["perception"]
    Evaluation.objects.filter(pk=evaluation.pk).update(snapshot=snapshot)
    page = client_for("strategy_coordinator").get(
        reverse("plans:evaluation", args=[evaluation.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "frozen before survey results were kept with evaluations" in page.content.decode()


# --- the indicators ---------------------------------------------------------------------


def test_the_plan_binds_the_perception_indicators_to_the_surveys(plan):
    bound = dict(
        Indicator.objects.filter(activity__plan=plan, source__startswith="surveys.").values_list(
            "source", "activity__code"
        )
    )
    assert bound == {
        "surveys.confidence": "2.3.1",
        "surveys.safe_dark": "2.4.1",
        "surveys.know_officer": "2.4.7",
        "surveys.forum_aware": "2.4.13",
    }
    assert all(indicators.is_computed(i) for i in Indicator.objects.filter(source__startswith="surveys."))
    assert "not printed" in Activity.objects.get(plan=plan, code="2.4.1").note


def test_a_perception_indicator_is_the_latest_waves_estimate_in_the_half_year_at_its_place(plan, tree, waves):
    periods = [parse_label("2015 H2"), parse_label("2016 H1"), parse_label("2016 H2")]
    indicator = Indicator.objects.get(activity__plan=plan, source="surveys.safe_dark")

    def values(unit=None):
        rows = selectors.list_indicator_rows(plan, periods, unit=unit)
        return next(r.values for r in rows if r.indicator.pk == indicator.pk)

    assert values() == [pytest.approx(30.0), pytest.approx(73.3), None]
    assert values(tree.north) == [pytest.approx(30.0), pytest.approx(70.0), None]
    assert values(tree.south) == [None, None, None]  # no answers, then too few to show
    assert values(tree.n1) == [pytest.approx(30.0), pytest.approx(70.0), None]


def test_the_frozen_evaluation_keeps_the_indicators_values_from_the_surveys(plan, waves, actor_for):
    evaluation = freeze(plan, actor_for)
    [entry] = [i for i in evaluation.snapshot["indicators"] if i["source"] == "surveys.safe_dark"]
    periods = evaluation.snapshot["periods"]
    assert entry["computed"] and entry["unit"] == "percent"
    assert entry["values"][periods.index("2015 H2")] == pytest.approx(30.0)
    assert entry["values"][periods.index("2016 H1")] == pytest.approx(73.3)


def test_the_data_migration_adds_the_survey_indicators_to_a_plan_loaded_before_them(plan):
    migration = importlib.import_module("cpis.plans.migrations.0002_survey_indicators")
    Indicator.objects.filter(activity__plan=plan, source__startswith="surveys.").delete()
    activity = Activity.objects.get(plan=plan, code="2.4.1")
    Activity.objects.filter(pk=activity.pk).update(note="")
    plan.notes = [n for n in plan.notes if "Evaluation 4" not in n]
    plan.save()
    migration.add_survey_indicators(apps, None)
    migration.add_survey_indicators(apps, None)  # twice changes nothing
    added = Indicator.objects.filter(activity__plan=plan, source__startswith="surveys.")
    assert added.count() == 4
    safe = added.get(source="surveys.safe_dark")
    assert safe.activity.code == "2.4.1" and safe.position == 3 and safe.unit == "percent"
    assert safe.text_sq and safe.text_sr
    assert "not printed" in Activity.objects.get(pk=activity.pk).note
    plan.refresh_from_db()
    assert sum("Evaluation 4" in n for n in plan.notes) == 1
