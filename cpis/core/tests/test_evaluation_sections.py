"""The six-monthly evaluation's sections keep every text in every language and their numbers as numbers."""

import pytest
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from cpis.core.evaluation import Chart, Section, Series, Table, read


def test_a_section_is_stored_in_every_language_and_read_in_the_reader_s():
    section = Section(
        element=5,
        title=gettext_lazy("Region"),
        summary=lambda: gettext("Region") + " 2",
        tables=[
            Table(
                caption="T",
                columns=[gettext_lazy("Region"), "n"],
                rows=[["Prishtinë", 3], [None, 0.1234567891]],
            )
        ],
        charts=[
            Chart(caption="C", kind="bar", labels=["2025", "2026"], series=[Series("s", [1, None])], unit="%")
        ],
    )
    stored = section.to_json()
    assert set(stored["title"]) == {"sq", "sr", "sr-latn", "en"}
    assert stored["title"]["en"] == "Region" and stored["title"]["sq"] == "Rajoni"
    assert stored["summary"]["sr"] == "Регион 2" and stored["summary"]["sr-latn"] == "Region 2"
    assert stored["tables"][0]["rows"] == [["Prishtinë", 3], [None, 0.123457]]
    assert stored["charts"][0]["series"][0]["values"] == [1.0, None]
    with translation.override("sr"):
        assert read(stored["title"]) == "Регион"
    assert read("as it is") == "as it is"


def test_only_elements_one_to_six_are_sections():
    with pytest.raises(ValueError, match="elements 1 to 6"):
        Section(element=7, title="x", summary="y")
