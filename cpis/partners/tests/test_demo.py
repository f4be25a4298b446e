"""The demo data: consistent with the organisation demo, spread over the
plan's years and the last three, deterministic and quick."""

from datetime import date

import pytest

from cpis.core.periods import half_years
from cpis.organisation.demo import load_demo as load_organisation
from cpis.partners import demo, selectors
from cpis.partners.models import (
    Agreement,
    InterestGroup,
    Partner,
    PartnerContact,
    PartnerLevel,
    Recognition,
    Volunteer,
    VolunteerHours,
)

TODAY = date(2026, 11, 1)


@pytest.fixture
def loaded(db, media_root):
    load_organisation(scale="small", seed=7, today=TODAY)
    return demo.load_demo(scale="small", seed=7, today=TODAY)


def test_the_demo_fills_every_record_kind_over_the_plans_years_and_the_last_three(loaded):
    assert loaded and loaded[0].startswith("Partners:")
    assert Partner.objects.filter(level=PartnerLevel.CENTRAL, unit__kind="directorate").count() >= 25
    assert (
        Partner.objects.filter(level=PartnerLevel.LOCAL).exclude(unit__kind__in=["station", "sector"]).count()
        == 0
    )
    for model in [PartnerContact, Agreement, InterestGroup, Volunteer, VolunteerHours, Recognition]:
        assert model.objects.exists(), model
    assert all(p.unit_path == p.unit.path for p in Partner.objects.select_related("unit"))
    # Counted in the plan's years and in the last three.
    plan = half_years(date(2012, 1, 1), date(2016, 12, 31))
    recent = half_years(date(2023, 12, 1), TODAY)
    for counter in [
        selectors.count_partners_identified,
        selectors.count_agreements_signed,
        selectors.count_volunteers_active,
        selectors.count_recognitions,
    ]:
        assert sum(counter(plan)) > 0, counter.__name__
        assert sum(counter(recent)) > 0, counter.__name__
    assert not Partner.objects.filter(identified_on__gt=TODAY).exists()
    assert not VolunteerHours.objects.filter(date__gt=TODAY).exists()
    # A few signed agreements carry a real PDF.
    documented = Agreement.objects.exclude(document="")
    assert 1 <= documented.count() <= demo.DOCUMENTS
    first = documented.first()
    assert first.document.read().startswith(b"%PDF-") and first.signed_on is not None


def test_the_demo_is_deterministic(loaded):
    names = list(Partner.objects.order_by("unit_path", "name").values_list("name", "identified_on"))
    demo.clear_demo()
    assert not Partner.objects.exists()
    demo.load_demo(scale="small", seed=7, today=TODAY)
    assert list(Partner.objects.order_by("unit_path", "name").values_list("name", "identified_on")) == names
