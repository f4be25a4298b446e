"""The coordinators' workbook: an exact round trip, and bad input refused
with its place, all or nothing."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from cpis.organisation.access import Actor
from cpis.plans import services
from cpis.plans.models import Activity, Indicator, Plan
from cpis.plans.selectors import spec_from_plan
from cpis.plans.workbook import WorkbookInvalid, read_workbook, write_workbook


def _edit(data: bytes, sheet: str, cell: str, value) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    workbook[sheet][cell] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_export_then_import_gives_back_the_same_plan(plan):
    Indicator.objects.filter(activity__code="2.3.6").update(target=Decimal("120.50"))
    Activity.objects.filter(plan=plan, code="1.1.2").update(text_en='=HYPERLINK("http://x")')
    original = spec_from_plan(plan)
    data = write_workbook(original)
    read = read_workbook(data)
    assert read == original

    read.code = "copy-of-plan"
    copy = services.create_plan(Actor.system(), spec=read)
    again = spec_from_plan(copy)
    again.code = original.code
    assert again == original


def test_the_export_is_one_row_per_activity_with_real_dates(plan):
    workbook = load_workbook(io.BytesIO(write_workbook(spec_from_plan(plan))))
    activities = workbook["Activities"]
    assert activities.max_row == 1 + 72
    header = [c.value for c in activities[1]]
    row = {h: c.value for h, c in zip(header, activities[2], strict=True)}
    assert row["code"] == "1.1.1"
    assert row["due_date"].date() == date(2012, 3, 29)
    assert workbook["Indicators"].max_row == 1 + Indicator.objects.count()


def test_a_plan_code_already_used_is_refused(plan):
    with pytest.raises(services.PlanExists):
        services.create_plan(Actor.system(), spec=read_workbook(write_workbook(spec_from_plan(plan))))


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "column"),
    [
        ("Activities", "V2", "next spring", "due_date"),  # not a date
        ("Activities", "I3", "1.1.1", "code"),  # used twice
        ("Activities", "W2", "administrative, lottery", "budget"),
        ("Activities", "S2", "someday", "due_rule"),
        ("Activities", "O2", "level | planet | | Mars", "responsible"),
        ("Indicators", "E2", "kilograms", "unit"),
        ("Indicators", "F2", "many", "target"),
    ],
)
def test_bad_cells_are_refused_with_sheet_row_and_column(plan, sheet, cell, value, column):
    data = write_workbook(spec_from_plan(plan))
    assert load_workbook(io.BytesIO(data))["Activities"]["V1"].value == "due_date"
    data = _edit(data, sheet, cell, value)
    with pytest.raises(WorkbookInvalid) as caught:
        read_workbook(data)
    problem = caught.value.problems[0]
    assert (problem.sheet, problem.row, problem.column) == (sheet, int(cell[1:]), column)


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(WorkbookInvalid):
        read_workbook(b"PK\x03\x04 not really")


def test_the_import_command_imports_all_or_nothing(plan, tmp_path):
    good = tmp_path / "plan.xlsx"
    call_command("export_action_plan", str(good))
    bad = tmp_path / "bad.xlsx"
    data = _edit(good.read_bytes(), "Plan", "B2", "second-plan")
    bad.write_bytes(_edit(data, "Activities", "V40", "not a date"))
    with pytest.raises(CommandError):
        call_command("import_action_plan", str(bad))
    assert Plan.objects.count() == 1
    fixed = tmp_path / "fixed.xlsx"
    fixed.write_bytes(data)
    call_command("import_action_plan", str(fixed))
    assert Plan.objects.count() == 2
    assert Activity.objects.filter(plan__code="second-plan").count() == 72


@pytest.mark.parametrize(
    ("cell", "value", "column"),
    [
        ("T2", "NaN", "due_days"),
        ("U2", "999999", "due_months"),
        ("I2", "1.1.1111111111111", "code"),  # longer than the database holds
    ],
)
def test_numbers_and_lengths_out_of_range_are_refused_in_place(plan, cell, value, column):
    data = _edit(write_workbook(spec_from_plan(plan)), "Activities", cell, value)
    with pytest.raises(WorkbookInvalid) as caught:
        read_workbook(data)
    assert (caught.value.problems[0].row, caught.value.problems[0].column) == (2, column)


def test_an_infinite_target_is_refused(plan):
    data = _edit(write_workbook(spec_from_plan(plan)), "Indicators", "F2", "Infinity")
    with pytest.raises(WorkbookInvalid) as caught:
        read_workbook(data)
    assert caught.value.problems[0].column == "target"


def test_a_workbook_that_unpacks_to_too_much_is_refused():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"a" * (101 * 1024 * 1024))
    with pytest.raises(WorkbookInvalid):
        read_workbook(out.getvalue())
