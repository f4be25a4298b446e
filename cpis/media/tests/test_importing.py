"""The spreadsheet import: the dry run lists each row's errors in the reader's
language and stores nothing; a file with errors is stored only when the valid rows
are chosen; rows already logged, or twice in the file, are duplicates, never
stored twice; CSV and XLSX read the same."""

import io
from datetime import date

import pytest
from django.http import Http404
from django.utils import translation
from openpyxl import Workbook

from cpis.core.errors import InvalidInput
from cpis.core.uploads import Upload
from cpis.media import importing, services
from cpis.media.models import MediaItem, StagedImport

HEADER = ["Date", "Outlet", "Headline", "Link", "Topic", "Tone", "Places"]
GOOD = [
    [
        "2025-03-01",
        "TV Agimi",
        "Forum meets in Sector A",
        "https://agimi.example/1",
        "forums",
        "positive",
        "n1a",
    ],
    ["02.03.2025", "Portali Sinjali", "Traffic campaign", "", "Siguria në trafik", "neutral", "n1a; n1b"],
    ["2025-03-03", "radio zvono", "Police news", "", "Crime", "Negative", "Stacioni N1"],
]
BAD = [
    ["2025-13-01", "TV Agimi", "Bad date", "", "crime", "neutral", "n1a"],
    ["2025-03-04", "Unknown FM", "Bad outlet and tone", "", "crime", "furious", "n1a"],
    ["2025-03-05", "TV Agimi", "Not my place", "", "crime", "neutral", "s1a"],
]


def _csv(rows, header=HEADER):
    lines = [",".join(header)] + [",".join(f'"{v}"' for v in row) for row in rows]
    return Upload("media.csv", "\n".join(lines).encode())


def _xlsx(rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        values = list(row)
        if "-" in values[0] and len(values[0]) == 10:
            y, m, d = map(int, values[0].split("-"))
            values[0] = date(y, m, d)  # a date cell, as spreadsheets keep them
        sheet.append(values)
    data = io.BytesIO()
    book.save(data)
    return Upload("media.xlsx", data.getvalue())


def _stage(actor, upload):
    return services.stage_import(actor, upload=upload)


MAPPING = {
    "published_on": "Date",
    "outlet": "Outlet",
    "headline": "Headline",
    "url": "Link",
    "topic": "Topic",
    "tone": "Tone",
    "places": "Places",
}


def test_the_mapping_is_guessed_from_the_header():
    assert importing.guess_mapping(HEADER) == MAPPING
    assert importing.guess_mapping(["Data", "Mediumi", "Titulli", "Tema", "Toni"]) == {
        "published_on": "Data",
        "outlet": "Mediumi",
        "headline": "Titulli",
        "topic": "Tema",
        "tone": "Toni",
    }


@pytest.mark.parametrize("make", [_csv, _xlsx])
def test_a_clean_file_is_checked_then_imported(tree, actor_for, outlets, topics, make):
    actor = actor_for("coordinator_n1")
    staged = _stage(actor, make(GOOD))
    checked = services.check_import(actor, staged=staged, mapping=MAPPING)
    assert (checked.rows, len(checked.valid), checked.errors, checked.duplicates) == (3, 3, [], [])
    assert MediaItem.objects.count() == 0  # the dry run stores nothing
    done = services.import_items(actor, staged=staged, mapping=MAPPING)
    assert done.imported == 3
    items = {i.headline: i for i in MediaItem.objects.all()}
    assert items["Traffic campaign"].published_on == date(2025, 3, 2)
    assert items["Traffic campaign"].topic == topics["traffic_safety"]
    assert sorted(items["Traffic campaign"].places.values_list("unit__code", flat=True)) == ["n1a", "n1b"]
    assert items["Police news"].tone == "negative"
    assert items["Police news"].outlet == outlets["radio"]
    assert not StagedImport.objects.exists()


def test_errors_are_listed_per_row_and_nothing_is_stored(tree, actor_for, outlets, topics):
    actor = actor_for("coordinator_n1")
    staged = _stage(actor, _csv(GOOD + BAD))
    with translation.override("en"):
        checked = services.check_import(actor, staged=staged, mapping=MAPPING)
    errors = {e.line: e.messages for e in checked.errors}
    assert sorted(errors) == [5, 6, 7]
    assert "is not a date" in errors[5][0]
    assert len(errors[6]) == 2  # the outlet and the tone, both said
    assert "“Unknown FM” is not an outlet on the list." in errors[6]
    assert "not a place where you may log" in errors[7][0]
    with pytest.raises(services.ImportHasErrors):
        services.import_items(actor, staged=staged, mapping=MAPPING)
    assert MediaItem.objects.count() == 0
    done = services.import_items(actor, staged=staged, mapping=MAPPING, valid_rows_only=True)
    assert (done.imported, len(done.errors)) == (3, 3)
    assert MediaItem.objects.count() == 3


def test_the_errors_are_written_in_the_readers_language(tree, actor_for, outlets, topics):
    actor = actor_for("coordinator_n1")
    staged = _stage(actor, _csv([["2099-03-04", "TV Agimi", "x", "", "crime", "neutral", "n1a"]]))
    with translation.override("en"):
        english = services.check_import(actor, staged=staged, mapping=MAPPING).errors[0].messages
    with translation.override("sq"):
        expected = translation.gettext("The date cannot be in the future.")
        albanian = services.check_import(actor, staged=staged, mapping=MAPPING).errors[0].messages
    assert english == ["The date cannot be in the future."]
    assert albanian == [expected] != english  # the catalogue has it in Albanian


def test_rows_already_logged_or_twice_in_the_file_are_duplicates(tree, actor_for, outlets, topics, log):
    log(tree.n1a, day=date(2025, 3, 9), headline="Somewhere else", url="https://agimi.example/1")
    actor = actor_for("coordinator_n1")
    rows = [*GOOD, ["2025-03-03", "Radio Zvono", "POLICE  news", "", "crime", "neutral", "n1"]]
    staged = _stage(actor, _csv(rows))
    checked = services.check_import(actor, staged=staged, mapping=MAPPING)
    assert checked.duplicates == [2, 5]  # the link already logged; the same headline twice in the file
    done = services.import_items(actor, staged=staged, mapping=MAPPING)
    assert done.imported == 2
    assert MediaItem.objects.count() == 3
    # The same file again: every row a duplicate, nothing stored.
    again = services.import_items(actor, staged=_stage(actor, _csv(rows)), mapping=MAPPING)
    assert (again.imported, len(again.duplicates)) == (0, 4)
    assert MediaItem.objects.count() == 3


def test_a_place_for_every_row_and_a_bad_mapping(tree, actor_for, outlets, topics):
    actor = actor_for("coordinator_n1")
    rows = [row[:6] for row in GOOD]
    staged = _stage(actor, _csv(rows, header=HEADER[:6]))
    mapping = {k: v for k, v in MAPPING.items() if k != "places"}
    with pytest.raises(InvalidInput, match="column of the places"):
        services.check_import(actor, staged=staged, mapping=mapping)
    with pytest.raises(InvalidInput, match="no column"):
        services.check_import(actor, staged=staged, mapping=mapping | {"places": "Nowhere"})
    with pytest.raises(Http404):
        services.check_import(actor, staged=staged, mapping=mapping, default_unit=tree.s1a)
    done = services.import_items(actor, staged=staged, mapping=mapping, default_unit=tree.n1b)
    assert done.imported == 3
    assert set(MediaItem.objects.values_list("places__unit__code", flat=True)) == {"n1b"}


def test_a_file_that_is_not_a_spreadsheet_is_refused(tree, actor_for):
    actor = actor_for("coordinator_n1")
    with pytest.raises(InvalidInput, match="CSV or an XLSX"):
        _stage(actor, Upload("notes.pdf", b"%PDF-1.4"))
    with pytest.raises(InvalidInput, match="XLSX"):
        _stage(actor, Upload("broken.xlsx", b"PK\x03\x04broken"))
    with pytest.raises(InvalidInput, match="empty"):
        _stage(actor, Upload("empty.csv", b""))
    assert not StagedImport.objects.exists()


def test_a_staged_file_is_its_uploaders_alone(tree, actor_for, outlets, topics):
    from cpis.media import selectors

    staged = _stage(actor_for("coordinator_n1"), _csv(GOOD))
    with pytest.raises(Http404):
        selectors.get_staged_import(actor_for("commander_n1"), staged.pk)
    assert selectors.get_staged_import(actor_for("coordinator_n1"), staged.pk) == staged
    with pytest.raises(Http404):
        services.import_items(actor_for("commander_n1"), staged=staged, mapping=MAPPING)
    assert not MediaItem.objects.exists()


def test_a_name_two_places_share_must_be_given_as_a_path(tree, actor_for, outlets, topics):
    from cpis.organisation.tests.factories import UnitFactory

    twin = UnitFactory(parent=tree.n1, code="n1c", kind="sector", name_sq="Sektori A", name_en="Sector A")
    actor = actor_for("coordinator_n1")
    rows = [
        ["2025-03-01", "TV Agimi", "One", "", "crime", "neutral", "Sektori A"],
        ["2025-03-01", "TV Agimi", "Two", "", "crime", "neutral", twin.path],
    ]
    with translation.override("en"):
        checked = services.check_import(actor, staged=_stage(actor, _csv(rows)), mapping=MAPPING)
    assert [e.line for e in checked.errors] == [2]
    assert "names more than one place" in checked.errors[0].messages[0]
    assert [r.units for r in checked.valid] == [[twin]]
