"""The "me too" journey in headless Chromium: a citizen on a phone about to
report something already reported nearby supports that report instead."""

import pytest

from cpis.concerns import services
from cpis.concerns.models import Concern
from cpis.concerns.tests.factories import submit
from cpis.organisation.access import Actor
from tests.test_browser import PHONE, browser, station_with_team  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_a_citizen_on_a_phone_says_me_too_instead_of_reporting_again(browser, live_server, station_with_team):  # noqa: F811
    from cpis.accounts.models import User

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="sq-AL")
    citizen = phone.new_page()
    citizen.goto(f"{live_server.url}/report/")
    citizen.locator("#pick-map[data-ready=true]").wait_for()
    citizen.locator("#pick-map").scroll_into_view_if_needed()
    box = citizen.locator("#pick-map").bounding_box()
    citizen.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    lat, lon = (
        float(citizen.locator("#id_lat").input_value()),
        float(citizen.locator("#id_lon").input_value()),
    )

    # Someone reported the same thing there, and an officer published a summary.
    coordinator = Actor.for_user(User.objects.get(username="koordinatori"))
    earlier = submit(category_code="traffic-safety", description="Shpejtësi ZQXRAW", lat=lat, lon=lon).concern
    services.approve_public_summary(
        coordinator, concern=earlier, summary="Vetura me shpejtësi të madhe pranë shkollës."
    )

    citizen.get_by_label("Për çfarë bëhet fjalë?").select_option("traffic-safety")
    offer = citizen.locator("#me-too")
    offer.locator("#me-too-heading").wait_for()
    assert "Vetura me shpejtësi të madhe pranë shkollës." in offer.inner_text()
    assert "ZQXRAW" not in citizen.content()
    offer.locator(f"button[formaction$='/reports/{earlier.reference}/support/']").click()
    citizen.wait_for_url(f"**/reports/{earlier.reference}/support/")
    assert citizen.locator("main").inner_text().count("Vetura me shpejtësi") == 1
    earlier.refresh_from_db()
    assert earlier.support_count == 1
    assert Concern.objects.count() == 1  # no duplicate report
    phone.close()
