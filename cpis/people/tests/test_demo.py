"""The people demo over the small organisation demo: the population shares come from
the surveys' census figures, every officer has a background consistent with the name
and languages the organisation demo gave them, and the police roughly mirror their
municipalities."""

from datetime import date

import pytest

from cpis.organisation.demo import demo_names
from cpis.organisation.demo import load_demo as load_organisation
from cpis.organisation.models import Officer
from cpis.people import demo
from cpis.people.models import Dimension, OfficerBackground, PopulationShare
from cpis.surveys.stats.truth import ALBANIAN_MAJORITY, MUNICIPAL_COMMUNITIES

TODAY = date(2026, 11, 1)


@pytest.fixture
def loaded(db):
    load_organisation(scale="small", seed=7, today=TODAY)
    return demo.load_demo(scale="small", seed=7, today=TODAY)


def test_population_shares_are_the_census_figures(loaded):
    for share in PopulationShare.objects.filter(dimension=Dimension.COMMUNITY).select_related("municipality"):
        expected = MUNICIPAL_COMMUNITIES.get(share.municipality.code, ALBANIAN_MAJORITY)
        assert share.share == pytest.approx(expected[share.category])
    for municipality_id in PopulationShare.objects.values_list("municipality_id", flat=True).distinct():
        rows = PopulationShare.objects.filter(municipality_id=municipality_id)
        for dimension in Dimension.values:
            assert sum(rows.filter(dimension=dimension).values_list("share", flat=True)) == pytest.approx(
                1, abs=1e-3
            )


def test_every_officer_has_a_background_matching_their_name_and_languages(loaded):
    female = {name for group in demo_names().values() if isinstance(group, dict) for name in group["female"]}
    backgrounds = {b.officer_id: b for b in OfficerBackground.objects.all()}
    officers = list(Officer.objects.select_related("unit__municipality"))
    assert set(backgrounds) == {o.pk for o in officers}
    for officer in officers:
        background = backgrounds[officer.pk]
        assert (background.gender == "female") == (officer.first_name in female)
        if officer.languages[0] == "sr":
            assert background.community == "serb"


def test_the_police_roughly_mirror_their_municipalities(loaded):
    officers = Officer.objects.select_related("unit__municipality")
    by_id = dict(OfficerBackground.objects.values_list("officer_id", "community"))
    serb_majority = [
        o
        for o in officers
        if o.unit.municipality
        and MUNICIPAL_COMMUNITIES.get(o.unit.municipality.code, {}).get("serb", 0) > 0.5
    ]
    albanian_majority = [
        o
        for o in officers
        if o.unit.municipality
        and MUNICIPAL_COMMUNITIES.get(o.unit.municipality.code, ALBANIAN_MAJORITY)["albanian"] > 0.9
    ]
    if serb_majority:
        assert sum(by_id[o.pk] == "serb" for o in serb_majority) / len(serb_majority) > 0.6
    assert sum(by_id[o.pk] == "albanian" for o in albanian_majority) / len(albanian_majority) > 0.75
    women = OfficerBackground.objects.filter(gender="female").count() / OfficerBackground.objects.count()
    assert 0.08 < women < 0.35  # under-represented against about half the population


def test_the_demo_clears_and_loads_again(loaded):
    count = OfficerBackground.objects.count()
    demo.clear_demo()
    assert not OfficerBackground.objects.exists() and not PopulationShare.objects.exists()
    demo.load_demo(scale="small", seed=7, today=TODAY)
    assert OfficerBackground.objects.count() == count
