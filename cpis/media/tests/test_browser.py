"""The quick entry on a phone, one-handed at 390 px: a station's community-policing
coordinator logs a report heard on the radio in a few taps; today and the station
are filled in; the optional fields stay folded away."""

import pytest

from cpis.media.categories import seed as seed_topics
from cpis.media.models import MediaItem, Outlet, OutletKind, Topic
from tests.test_browser import PHONE, _sign_in, browser, forum_chain  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


@pytest.fixture
def media_lists(forum_chain):  # noqa: F811
    """The topics (a transactional test's flush empties them) and an outlet."""
    if not Topic.objects.exists():
        seed_topics(Topic)
    Outlet.objects.create(name="Radio Bleta", kind=OutletKind.RADIO, language="sq")
    return forum_chain


def test_a_coordinator_logs_a_radio_report_on_a_phone(browser, live_server, media_lists):  # noqa: F811
    from django.utils import timezone

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB")
    page = phone.new_page()
    _sign_in(page, live_server.url, "station_coordinator")
    # Signing in sets the language the user chose last (Albanian); this reader reads English.
    phone.add_cookies([{"name": "cpis_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/staff/media/log/")
    # One column: nothing wider than the phone's screen, the optional fields folded away.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not page.locator("#id_summary").is_visible()
    assert page.locator("#id_published_on").input_value() == timezone.localdate().isoformat()
    page.get_by_label("Outlet").select_option(label="Radio Bleta (Radio)")
    page.get_by_label("Headline").fill("Forum in Sektori A discusses school safety")
    page.locator("label.choice:has(input[value=positive])").tap()
    page.get_by_label("Topic", exact=True).select_option(label="Community safety forums")
    page.locator("#media-form button[type=submit]").tap()
    page.wait_for_url("**/staff/media/**?logged=1")
    assert "Logged." in page.locator("main").inner_text()
    item = MediaItem.objects.get()
    assert (item.tone, item.topic.code, item.outlet.name) == ("positive", "forums", "Radio Bleta")
    assert list(item.places.values_list("unit", flat=True)) == [media_lists["station"].pk]

    # The same report again is refused, in English, and nothing is stored twice.
    page.goto(f"{live_server.url}/staff/media/log/")
    page.get_by_label("Outlet").select_option(label="Radio Bleta (Radio)")
    page.get_by_label("Headline").fill("Forum in Sektori A discusses school safety")
    page.locator("label.choice:has(input[value=neutral])").tap()
    page.get_by_label("Topic", exact=True).select_option(label="Community safety forums")
    page.locator("#media-form button[type=submit]").tap()
    page.locator("text=already in the media log").wait_for()
    assert MediaItem.objects.count() == 1
    phone.close()
