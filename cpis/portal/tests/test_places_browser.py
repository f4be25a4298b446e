"""A citizen on a phone finds their sector from the home page by links alone — no
search — and its page draws the sector with where incidents were, cell by cell."""

from datetime import date, timedelta

import pytest

from cpis.incidents.models import Incident, IncidentCategory
from cpis.organisation.models import SectorRole
from cpis.organisation.tests.factories import OfficerFactory
from cpis.portal.selectors import figure_months
from tests.test_browser import PHONE, browser  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


# The live server reads what the test writes: a transactional database (flushed at the end).
def test_a_citizen_on_a_phone_reaches_their_sector_from_the_home_page_by_links(
    browser,  # noqa: F811 - the fixture of tests/test_browser.py
    live_server,
    transactional_db,
    tree,
):
    officer = OfficerFactory(unit=tree.n1, first_name="Drita", last_name="Berisha")
    officer.assignments.create(sector=tree.n1a, role=SectorRole.LEADER, start_date=date(2025, 1, 1))
    burglary = IncidentCategory.objects.get(code="burglary")
    day = figure_months()[-1] + timedelta(days=3)
    for number, (lat, lon) in enumerate([(42.551, 21.051), (42.581, 21.081), (42.5512, 21.0512)]):
        Incident.objects.create(
            source="test", source_id=str(number), category=burglary, occurred_on=day, lat=lat, lon=lon,
            sector=tree.n1a, unit_path=tree.n1a.path,
        )  # fmt: skip
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="North", exact=True).click()
    page.get_by_role("link", name="Station N1").first.click()
    page.get_by_role("link", name="Sector A", exact=True).click()
    assert page.url.endswith("/places/north/n1/n1a/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sector Sector A"
    assert page.get_by_text("Drita Berisha").is_visible()
    page.locator("#map[data-ready=true]").wait_for()
    # The boundary and two cells: the first and third burglary share one 200 m cell.
    assert page.locator("#map path.leaflet-interactive").count() == 3
    assert errors == []
    context.close()
