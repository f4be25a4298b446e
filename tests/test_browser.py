"""Journeys people take, in headless Chromium (Debian's package) driven by
Playwright: a citizen on a phone finds their sector team."""

import os
import shutil
from datetime import date

import pytest

from cpis.organisation.models import Officer, UnitKind
from cpis.organisation.tests.factories import (
    AssignmentFactory,
    OfficerFactory,
    SettlementFactory,
    UnitFactory,
    square,
)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: run `make system-deps` (Debian's chromium package).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # the fixtures make are not concurrent with it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def west_and_east(transactional_db):
    """Two sectors side by side: west of 21°E and east of it."""
    root = UnitFactory(code="kp", kind=UnitKind.DIRECTORATE)
    region = UnitFactory(parent=root, code="pr", kind=UnitKind.REGION)
    station = UnitFactory(
        parent=region,
        code="gr",
        kind=UnitKind.STATION,
        name_sq="Stacioni Graçanicë",
        name_sr="Станица Грачаница",
    )
    west = UnitFactory(
        parent=station,
        code="w",
        kind=UnitKind.SECTOR,
        boundary=square(20.0, 42.0, 1.0),
        name_sq="Sektori Perëndim",
        name_sr="Сектор Запад",
        name_en="West sector",
    )
    east = UnitFactory(
        parent=station,
        code="e",
        kind=UnitKind.SECTOR,
        boundary=square(21.0, 42.0, 1.0),
        name_sq="Sektori Lindje",
        name_sr="Сектор Исток",
        name_en="East sector",
    )
    leader = OfficerFactory(
        unit=station, first_name="Milica", last_name="Jovanović", work_phone="+383 44 111 222"
    )
    AssignmentFactory(officer=leader, sector=east, role="leader", start_date=date(2025, 1, 1))
    SettlementFactory(name_sq="Çagllavicë", name_sr="Чаглавица", lon=21.5, lat=42.5)
    return west, east


def test_a_citizen_on_a_phone_switches_to_serbian_and_finds_the_team_by_clicking_the_map(
    browser, live_server, west_and_east
):
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True, locale="sq-AL")
    page.goto(f"{live_server.url}/sector/")
    assert page.locator("html").get_attribute("lang") == "sq"
    page.get_by_role("button", name="Српски").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sr"
    assert page.get_by_role("heading", level=1).inner_text() == "Пронађите тим свог сектора"
    page.locator("#map[data-ready=true]").wait_for()
    map_box = page.locator("#map").bounding_box()
    # The map is fitted to both sectors: three quarters across is the east one.
    page.mouse.click(map_box["x"] + map_box["width"] * 0.75, map_box["y"] + map_box["height"] * 0.5)
    result = page.locator("#team .sector-result")
    result.wait_for()
    assert "Сектор Исток" in result.inner_text()
    assert "Milica Jovanović" in result.inner_text()
    assert page.locator("#team a[href^='tel:']").first.inner_text() == "+383 44 111 222"
    page.close()


def test_a_citizen_types_a_village_in_cyrillic_and_opens_its_team(browser, live_server, west_and_east):
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True, locale="sq-AL")
    page.goto(f"{live_server.url}/sector/")
    page.get_by_label("Fshati, qyteti ose komuna").fill("Чаглавица")
    page.get_by_role("button", name="Kërkoni", exact=True).click()
    page.locator("#results a").first.click()
    page.locator("#team .sector-result").wait_for()
    assert "Sektori Lindje" in page.locator("#team").inner_text()
    page.close()


@pytest.fixture
def station_with_team(transactional_db, categories):
    """A station whose one sector covers the whole map, and its coordinator."""
    from cpis.accounts.tests.factories import UserFactory
    from cpis.organisation.models import Role
    from cpis.organisation.tests.factories import RoleGrantFactory

    root = UnitFactory(code="kp", kind=UnitKind.DIRECTORATE)
    region = UnitFactory(parent=root, code="pr", kind=UnitKind.REGION)
    station = UnitFactory(parent=region, code="pr1", kind=UnitKind.STATION, name_sq="Stacioni Prishtinë")
    sector = UnitFactory(
        parent=station,
        code="pr1-a",
        kind=UnitKind.SECTOR,
        boundary=square(20.0, 42.0, 2.0),
        name_sq="Sektori Qendër",
        name_sr="Сектор Центар",
    )
    coordinator = UserFactory(username="koordinatori", first_name="Vjosa", last_name="Berisha")
    RoleGrantFactory(user=coordinator, unit=station, role=Role.STATION_COORDINATOR)
    officer = OfficerFactory(unit=station, first_name="Driton", last_name="Hoxha")
    AssignmentFactory(officer=officer, sector=sector, start_date=date(2024, 1, 1))
    return sector


def test_a_citizen_reports_on_a_phone_and_reads_the_officers_reply_in_albanian(
    browser, live_server, station_with_team
):
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="sq-AL")
    citizen = phone.new_page()
    citizen.goto(f"{live_server.url}/report/")
    assert citizen.locator("html").get_attribute("lang") == "sq"
    citizen.get_by_label("Për çfarë bëhet fjalë?").select_option("traffic-safety")
    citizen.get_by_label("Çfarë ndodhi, ose çfarë ju shqetëson?").fill(
        "Veturat ngasin shumë shpejt pranë shkollës."
    )
    citizen.locator("#pick-map[data-ready=true]").wait_for()
    citizen.locator("#pick-map").scroll_into_view_if_needed()
    box = citizen.locator("#pick-map").bounding_box()
    citizen.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert citizen.locator("#id_lat").input_value() != ""
    citizen.get_by_role("button", name="Dërgoni raportin").click()
    code = citizen.locator("#tracking-code").inner_text(timeout=20000).strip()
    assert len(code.replace("-", "")) == 14

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sq-AL")
    officer = desk.new_page()
    officer.goto(f"{live_server.url}/accounts/login/")
    officer.fill("#id_username", "koordinatori")
    officer.fill("#id_password", "correct horse battery staple")
    officer.get_by_role("button", name="Hyni").click()
    officer.goto(f"{live_server.url}/staff/concerns/")
    officer.locator("#concern-rows a[href^='/staff/concerns/']").first.click()
    officer.locator("form[action$='/triage/'] button").click()
    assignee = Officer.objects.get(last_name="Hoxha")
    officer.locator("#id_officer").select_option(str(assignee.pk))
    officer.locator("form[action$='/assign/'] button").click()
    officer.locator("#id_reply-text").fill("Faleminderit. Do të vendosim patrullë para shkollës çdo mëngjes.")
    officer.locator("form[action$='/reply/'] button").click()
    assert officer.locator(".notice-success").count() == 1

    citizen.goto(f"{live_server.url}/track/")
    citizen.get_by_label("Kodi i ndjekjes").fill(code)
    citizen.get_by_role("button", name="Hapni", exact=True).click()
    page_text = citizen.locator("main").inner_text()
    assert "Do të vendosim patrullë para shkollës" in page_text
    assert citizen.locator("html").get_attribute("lang") == "sq"
    phone.close()
    desk.close()
