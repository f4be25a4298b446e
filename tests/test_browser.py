"""Journeys people take, in headless Chromium (Debian's package) driven by
Playwright: a citizen on a phone finds their sector team."""

import os
import shutil
from datetime import date, timedelta
from pathlib import Path

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


@pytest.fixture
def plan_people(transactional_db):
    """A station commander, the strategy coordinator and the directorate,
    with the real action plan loaded."""
    from cpis.accounts.tests.factories import UserFactory
    from cpis.organisation.models import Role
    from cpis.organisation.tests.factories import RoleGrantFactory
    from cpis.plans.services import load_plan_data
    from cpis.plans.spec import load_data_file

    root = UnitFactory(code="kp", kind=UnitKind.DIRECTORATE, name_en="General Police Directorate")
    region = UnitFactory(parent=root, code="pr", kind=UnitKind.REGION, name_en="Prishtina region")
    station = UnitFactory(parent=region, code="pr1", kind=UnitKind.STATION, name_en="Prishtina station")
    for username, role, unit in [
        ("commander", Role.STATION_COMMANDER, station),
        ("coordinator", Role.STRATEGY_COORDINATOR, root),
        ("director", Role.DIRECTORATE, root),
    ]:
        RoleGrantFactory(
            user=UserFactory(username=username, first_name=username.title()), unit=unit, role=role
        )
    plan, _created = load_plan_data(load_data_file())
    return plan


def _sign_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery staple")
    page.press("#id_password", "Enter")
    page.wait_for_url(lambda u: "/accounts/login/" not in u)


def test_a_station_reports_progress_the_coordinator_reviews_and_leadership_signs_the_evaluation(
    browser, live_server, plan_people, tmp_path
):
    import subprocess

    from cpis.plans.models import Evaluation, ProgressUpdate

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=True)
    page = desk.new_page()
    _sign_in(page, live_server.url, "commander")
    page.goto(f"{live_server.url}/staff/plans/")
    page.locator("a[href$='/activities/2.4.1/']").first.click()
    form = page.locator("#progress-form")
    form.locator("#id_status").select_option("in_progress")
    form.locator("#id_percent").fill("40")
    form.locator("#id_narrative").fill("Three sites need a new LPSC; the municipality agreed.")
    form.locator("#id_reported_on").fill("2013-05-20")
    form.locator("#id_evidence").set_input_files(
        files=[{"name": "site-assessment.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    form.locator("button[type=submit]").click()
    assert page.locator(".notice-success").count() == 1
    assert page.get_by_text("site-assessment.pdf").count() == 1
    page.context.clear_cookies()

    _sign_in(page, live_server.url, "coordinator")
    plan_id = plan_people.pk
    page.goto(f"{live_server.url}/staff/plans/{plan_id}/reviews/")
    page.locator("form[action*='/review/'] select[name=outcome]").select_option("accepted")
    page.locator("form[action*='/review/'] button").click()
    assert ProgressUpdate.objects.get().review == "accepted"
    page.goto(f"{live_server.url}/staff/plans/{plan_id}/evaluations/")
    page.locator("#id_period").select_option("2013 H1")
    page.locator("#freeze-form button").click()
    page.wait_for_url("**/staff/plans/evaluations/**")
    page.context.clear_cookies()

    _sign_in(page, live_server.url, "director")
    evaluation = Evaluation.objects.get()
    page.goto(f"{live_server.url}/staff/plans/evaluations/{evaluation.pk}/")
    for goal in ("1", "2", "3"):
        page.locator(f"#narrative-{goal}").fill(f"Goal {goal}: on track, with the delays noted.")
        page.locator(f"#narrative-{goal}").locator("xpath=..").locator("button").click()
    page.locator("#sign-off").click()
    assert page.locator("#signed-off").count() == 1
    with page.expect_download() as download:
        page.locator("#download-pdf").click()
    path = tmp_path / "evaluation.pdf"
    download.value.save_as(path)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages > 3
    desk.close()


@pytest.fixture
def forum_chain(transactional_db):
    """Sector A of station N1 in region North, its LPSC with two members and
    a meeting held last month; the sector leader, the station's and
    the region's community-policing coordinators."""
    from django.utils import timezone

    from cpis.accounts.tests.factories import UserFactory
    from cpis.forums.tests.factories import ForumFactory, MeetingFactory, MemberFactory
    from cpis.organisation.models import Role
    from cpis.organisation.tests.factories import RoleGrantFactory

    root = UnitFactory(code="kp", kind=UnitKind.DIRECTORATE)
    north = UnitFactory(parent=root, code="north", kind=UnitKind.REGION, name_sq="Veriu")
    station = UnitFactory(parent=north, code="n1", kind=UnitKind.STATION, name_sq="Stacioni N1")
    sector = UnitFactory(
        parent=station,
        code="n1a",
        kind=UnitKind.SECTOR,
        boundary=square(20.0, 42.0, 1.0),
        name_sq="Sektori A",
    )
    for username, role, unit in [
        ("leader", Role.SECTOR_LEADER, sector),
        ("station_coordinator", Role.STATION_COORDINATOR, station),
        ("regional_coordinator", Role.REGIONAL_COORDINATOR, north),
    ]:
        RoleGrantFactory(user=UserFactory(username=username), unit=unit, role=role)
    forum = ForumFactory(unit=sector, unit_path=sector.path, name="KLSP Sektori A")
    MemberFactory(forum=forum, name="Drita Krasniqi")
    MemberFactory(forum=forum, name="Milan Petrović")
    # Held last month: the month's report can be submitted once the month is over.
    last_month = (timezone.localdate().replace(day=1) - timezone.timedelta(days=1)).replace(day=10)
    starts_at = timezone.make_aware(
        timezone.datetime.combine(last_month, timezone.datetime.min.time())
    ).replace(hour=18)
    meeting = MeetingFactory(forum=forum, starts_at=starts_at)
    return {"sector": sector, "station": station, "north": north, "meeting": meeting}


def test_a_sector_leader_logs_a_meeting_and_the_monthly_report_climbs_after_a_return(
    browser, live_server, forum_chain
):
    from cpis.forums.models import ActionItem, MeetingStatus
    from cpis.reporting.models import Report, Stage, Status

    url = live_server.url
    meeting, sector = forum_chain["meeting"], forum_chain["sector"]
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="sq-AL")
    page = phone.new_page()

    # The sector leader records the meeting: attendance, minutes, an action item.
    _sign_in(page, url, "leader")
    page.goto(f"{url}/staff/forums/meetings/{meeting.pk}/held/")
    page.locator("input[name=present]").first.check()
    page.fill("#id_other_attendees", "6")
    page.fill("#id_minutes", "U diskutua ndriçimi pranë shkollës.")
    page.fill("#id_actions-0-text", "Kërkesë komunës për ndriçim")
    page.fill("#id_actions-0-owner_name", "Drita Krasniqi")
    page.fill("#id_actions-0-due_on", (meeting.starts_at.date() + timedelta(days=14)).isoformat())
    page.locator("form button[type=submit].button").click()
    assert page.locator(".notice-success").count() == 1
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert ActionItem.objects.filter(meeting=meeting).count() == 1

    # The monthly report starts with the meeting counted, and is submitted.
    month = meeting.starts_at.date()
    page.goto(f"{url}/staff/reports/sector/{sector.pk}/{month.year}-{month.month}/")
    page.locator("#start-report").click()
    report = Report.objects.get()
    assert report.figures["forum_meetings"] == 1
    page.fill("#id_issues", "Ndriçimi pranë shkollës.")
    page.fill("#id_actions", "Kërkesë komunës.")
    page.locator("#submit-report").click()
    page.context.clear_cookies()

    # The station coordinator returns it with a comment.
    _sign_in(page, url, "station_coordinator")
    page.goto(f"{url}/staff/reports/{report.pk}/")
    page.locator("#review-form select[name=decision]").select_option("returned")
    page.fill("#review-form textarea[name=comment]", "Shtoni afatin e kërkesës.")
    page.locator("#review-form button").click()
    report.refresh_from_db()
    assert report.status == Status.RETURNED
    page.context.clear_cookies()

    # The sector leader revises and resubmits.
    _sign_in(page, url, "leader")
    page.goto(f"{url}/staff/reports/{report.pk}/")
    assert page.get_by_text("Shtoni afatin e kërkesës.").count() == 1
    page.fill("#id_actions", "Kërkesë komunës, afati 14 ditë.")
    page.locator("#submit-report").click()
    page.context.clear_cookies()

    # The station coordinator approves the revision, then the regional coordinator.
    for username in ("station_coordinator", "regional_coordinator"):
        _sign_in(page, url, username)
        page.goto(f"{url}/staff/reports/{report.pk}/")
        page.locator("#review-form select[name=decision]").select_option("approved")
        page.locator("#review-form button").click()
        page.context.clear_cookies()
    report.refresh_from_db()
    assert (report.version, report.stage) == (2, Stage.REGIONAL_DIRECTOR)

    # The region's roll-up shows it, and the meeting among its figures.
    _sign_in(page, url, "regional_coordinator")
    page.goto(f"{url}/staff/reports/rollup/{forum_chain['north'].pk}/?month={month:%Y-%m}")
    assert page.locator("#rollup-reports a").count() == 1
    assert "Sektori A" in page.locator("#rollup-reports").inner_text()
    assert "Sektori A" not in page.locator("#missing").inner_text()  # submitted, so not missing
    phone.close()


def test_a_sector_leader_logs_a_school_lecture_on_a_phone_in_a_few_taps(browser, live_server, forum_chain):
    """Outreach is logged from a phone in under a minute [C8]: the kind, the
    topic, the audience; today, the sector and the officer are already filled in."""
    import time

    from cpis.outreach.models import OutreachActivity

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="sq-AL")
    page = phone.new_page()
    _sign_in(page, live_server.url, "leader")
    started = time.monotonic()
    page.goto(f"{live_server.url}/staff/outreach/log/")
    page.locator("input[name=kind][value=school_lecture]").check()
    page.locator("input[name=topic][value=narcotics]").check()
    page.fill("#id_place", "Shkolla fillore 'Naim Frashëri'")
    page.fill("#id_audience", "64")
    page.locator("#outreach-form button[type=submit]").click()
    page.wait_for_url("**/staff/outreach/**?logged=1")
    taps_took = time.monotonic() - started
    activity = OutreachActivity.objects.get()
    assert (activity.kind, activity.topic, activity.audience) == ("school_lecture", "narcotics", 64)
    assert activity.unit == forum_chain["sector"]
    assert taps_took < 60  # a generous bound on the whole page round trip, not a benchmark
    phone.close()


@pytest.fixture
def analyst_station(transactional_db):
    """Station N1 with sector A, two years of burglaries and a surge in the last
    three weeks around one street corner; its commander signs in."""
    import numpy as np
    from django.utils import timezone

    from cpis.accounts.tests.factories import UserFactory
    from cpis.incidents.models import Incident, IncidentCategory
    from cpis.organisation.models import Role
    from cpis.organisation.tests.factories import RoleGrantFactory

    root = UnitFactory(code="kp", kind=UnitKind.DIRECTORATE)
    north = UnitFactory(parent=root, code="north", kind=UnitKind.REGION, name_sq="Veriu")
    station = UnitFactory(parent=north, code="n1", kind=UnitKind.STATION, name_sq="Stacioni N1")
    sector = UnitFactory(
        parent=station, code="n1a", kind=UnitKind.SECTOR, boundary=square(21.0, 42.5), name_sq="Sektori A"
    )
    RoleGrantFactory(user=UserFactory(username="commander"), unit=station, role=Role.STATION_COMMANDER)
    from cpis.incidents import taxonomy

    taxonomy.seed(IncidentCategory)  # a transactional test before this one may have flushed the seed
    burglary = IncidentCategory.objects.get(code="burglary")
    rng = np.random.default_rng(1)
    today = timezone.localdate()
    days = [today - timedelta(days=int(d)) for d in rng.integers(0, 730, 700)]
    lons, lats = rng.uniform(21.0, 21.1, 700), rng.uniform(42.5, 42.6, 700)
    days += [today - timedelta(days=int(d)) for d in rng.integers(0, 20, 45)]
    lons = np.concatenate([lons, 21.05 + rng.normal(0, 0.0015, 45)])
    lats = np.concatenate([lats, 42.55 + rng.normal(0, 0.001, 45)])
    Incident.objects.bulk_create(
        Incident(
            source="test",
            source_id=str(i),
            category=burglary,
            occurred_on=day,
            lon=float(x),
            lat=float(y),
            sector=sector,
            unit_path=sector.path,
        )
        for i, (day, x, y) in enumerate(zip(days, lons, lats, strict=True))
    )
    return {"station": station, "sector": sector}


def test_a_station_commander_maps_hotspots_runs_a_near_repeat_table_and_takes_up_a_cluster(
    browser, live_server, analyst_station
):
    """An officer at a desk [C10]: the hot spots of the station on the map, the
    near-repeat table of its burglaries, and the scan's cluster taken up."""
    from cpis.analytics.models import ClusterStatus, EmergingCluster
    from cpis.problems.models import Problem

    url, station = live_server.url, analyst_station["station"]
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = desk.new_page()
    _sign_in(page, url, "commander")

    page.goto(
        f"{url}/staff/analytics/hotspots/?place={station.pk}&subject=incidents&category=burglary&cell=250"
    )
    page.wait_for_selector("#map[data-ready=true]")
    assert page.locator("#map path.leaflet-interactive").count() >= 1  # hot cells drawn
    assert page.locator("#map img.leaflet-image-layer").count() == 1  # the density overlay
    assert page.locator("table tbody tr").first.locator("td").nth(5).inner_text() in {"99 %", "95 %"}

    page.goto(f"{url}/staff/analytics/near-repeat/")
    page.select_option("#id_place", str(station.pk))
    page.select_option("#id_category", "burglary")
    page.fill("#id_permutations", "99")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_selector("table.knox")
    assert page.locator("table.knox tbody tr").count() == 7  # same location, 5 bands, more than
    assert page.locator("table.knox td.knox-hit").count() >= 1

    page.goto(f"{url}/staff/analytics/clusters/?place={station.pk}")
    scan = page.locator("form.card")
    scan.locator("#id_category").select_option("burglary")
    scan.locator("#id_replicates").fill("99")
    scan.locator("button[type=submit]").click()
    page.wait_for_url(lambda u: "/runs/" in u)
    page.locator("main a[href*='/staff/analytics/clusters/']").last.click()
    page.locator("a[href*='/staff/problems/open-from/?from=cluster']").first.click()
    page.locator("main form button[type=submit]").click()  # the form comes filled in from the cluster
    page.wait_for_selector(".notice-success")
    cluster = EmergingCluster.objects.get()
    assert cluster.status == ClusterStatus.ACCEPTED and cluster.unit == analyst_station["sector"]
    problem = Problem.objects.get()
    assert problem.unit == cluster.unit and problem.sources.get().cluster == cluster
    desk.close()


@pytest.fixture
def coordinator_must_enrol(station_with_team, settings):
    """The station coordinator of `station_with_team`, whose role must have a second factor."""
    settings.MFA_REQUIRED_ROLES = ["station_coordinator"]
    return station_with_team


def _clear_of_a_step_change(margin: float = 4.0) -> None:
    """Wait until the 30-second TOTP step has `margin` seconds left: a code read
    just before the step changes reaches the server in the next step, and
    django-otp then records a drift that moves the window of later codes."""
    import time

    if 30 - time.time() % 30 < margin:
        time.sleep(30 - time.time() % 30 + 0.1)


def _app_code(secret: str, at: float) -> str:
    """What an authenticator app holding the base32 `secret` shows at `at`."""
    from base64 import b32decode

    from django_otp.oath import TOTP

    token = TOTP(b32decode(secret))
    token.time = at
    return f"{token.token():06d}"


def _script_errors(page) -> list[str]:
    """Scripts that failed: blocked by the Content Security Policy, or thrown."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _sign_out(page) -> None:
    page.locator("header form[action$='/accounts/logout/'] button").click()
    page.wait_for_url(lambda u: "/staff/" not in u)


def test_a_coordinator_sets_up_an_authenticator_app_at_first_sign_in_and_signs_in_with_its_code(
    browser, live_server, coordinator_must_enrol
):
    import time

    page = browser.new_page(locale="sq-AL")
    errors = _script_errors(page)
    _sign_in(page, live_server.url, "koordinatori")
    assert "/accounts/second-factor/setup/" in page.url
    page.goto(f"{live_server.url}/staff/concerns/")  # nothing opens before it is set up
    assert "/accounts/second-factor/setup/" in page.url

    page.locator("form[action$='/second-factor/app/'] button").click()
    assert page.locator("img.qr-code").get_attribute("src").startswith("data:image/svg+xml")
    secret = page.locator(".secret-key").inner_text().replace(" ", "")
    _clear_of_a_step_change()
    page.fill("#id_code", _app_code(secret, time.time()))
    page.locator("form[action$='/app/confirm/'] button").click()
    assert len(page.locator(".recovery-codes code").all_inner_texts()) == 10
    page.locator("main a.button").click()
    page.wait_for_url(f"{live_server.url}/staff/concerns/")

    _sign_out(page)
    _sign_in(page, live_server.url, "koordinatori")
    assert "/accounts/second-factor/" in page.url
    page.fill("#id_code", "000000")
    page.press("#id_code", "Enter")
    assert page.locator(".field-error").count() == 1
    # The code typed at set-up is spent; the app's next one is accepted.
    _clear_of_a_step_change()
    page.fill("#id_code", _app_code(secret, time.time() + 30))
    page.press("#id_code", "Enter")
    page.wait_for_url(f"{live_server.url}/staff/")
    assert errors == []
    page.close()


def test_a_coordinator_sets_up_a_passkey_and_signs_in_with_it(
    browser, live_server, coordinator_must_enrol, settings
):
    """Chromium's virtual authenticator stands in for a phone or a security key."""
    from cpis.accounts.models import User

    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]  # http://localhost:<port>
    context = browser.new_context(locale="sq-AL")
    page = context.new_page()
    errors = _script_errors(page)
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    _sign_in(page, live_server.url, "koordinatori")
    page.locator("#passkey-register-button").click()
    # The page shows itself again with the passkey listed, and recovery codes on offer.
    page.locator("form[action*='/second-factor/passkey/']").wait_for()
    assert User.objects.get(username="koordinatori").has_second_factor
    page.locator("form[action$='/recovery-codes/'] button").click()
    assert len(page.locator(".recovery-codes code").all_inner_texts()) == 10

    page.goto(f"{live_server.url}/staff/")
    _sign_out(page)
    _sign_in(page, live_server.url, "koordinatori")
    assert "/accounts/second-factor/" in page.url
    page.locator("#passkey-verification-button").click()
    page.wait_for_url(f"{live_server.url}/staff/")
    assert errors == []
    context.close()


@pytest.fixture
def complaint_and_readers(transactional_db):
    import uuid

    from cpis.accounts.tests.factories import UserFactory
    from cpis.complaints import services as complaints
    from cpis.organisation.models import Role
    from cpis.organisation.tests.factories import RoleGrantFactory

    root = UnitFactory(code="kp", kind=UnitKind.DIRECTORATE, name_en="General Police Directorate")
    station = UnitFactory(parent=root, code="pr1", kind=UnitKind.STATION, name_en="Prishtina station")
    for username, role in [("standards", Role.PROFESSIONAL_STANDARDS), ("dpo", Role.DATA_PROTECTION_OFFICER)]:
        RoleGrantFactory(
            user=UserFactory(username=username, first_name=username.title()), unit=root, role=role
        )
    return complaints.submit_complaint(
        description="Zyrtari më fyeu gjatë kontrollit të trafikut.",
        language="sq",
        idempotency_key=uuid.uuid4().hex,
        unit=station,
        name="Drita Krasniqi",
        email="drita@example.org",
    ).complaint


def test_professional_standards_say_why_before_a_complaint_opens_and_the_officer_reads_why(
    browser, live_server, complaint_and_readers
):
    """An investigator opens a complaint (in Albanian): the page asks why first, the contact form
    asks again (the answer already chosen), and the data-protection officer finds
    both readings, with the reason typed, in the audit trail and its export."""
    complaint, url = complaint_and_readers, live_server.url
    page = browser.new_page()
    _sign_in(page, url, "standards")
    page.goto(f"{url}/staff/complaints/{complaint.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Pse po e hapni këtë regjistrim?"
    assert complaint.reference not in page.content()
    page.get_by_label("Pse ju duhet? (e detyrueshme)").select_option("other")
    page.get_by_role("button", name="Hapeni regjistrimin").click()
    assert "Zgjodhët një arsye tjetër: shkruajeni me pak fjalë." in page.content()  # nothing typed
    page.get_by_label("Pse ju duhet? (e detyrueshme)").select_option("other")
    page.get_by_label("Arsyeja, nëse është tjetër").fill("Witness statement for case 12/2026")
    page.get_by_role("button", name="Hapeni regjistrimin").click()
    page.wait_for_url(f"{url}/staff/complaints/{complaint.pk}/")
    assert complaint.reference in page.content()
    assert page.get_by_label("Pse ju duhet? (e detyrueshme)").input_value() == "other"
    page.get_by_role("button", name="Shfaqni të dhënat e kontaktit").click()
    page.get_by_text("drita@example.org").wait_for()
    _sign_out(page)

    _sign_in(page, url, "dpo")
    page.get_by_role("link", name="Gjurma e auditimit").first.click()
    page.get_by_label("Lexuesi").fill("standards")
    page.get_by_role("button", name="Filtroni").click()
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert all("Witness statement for case 12/2026" in rows.nth(n).inner_text() for n in range(2))
    assert all(str(complaint.pk) in rows.nth(n).inner_text() for n in range(2))
    with page.expect_download() as download:
        page.get_by_role("link", name="Eksportoni CSV").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert exported.count("Witness statement for case 12/2026") == 2
    page.close()


@pytest.fixture
def burglaries_around_the_market(tree, persona, categories, settings):
    """Sector A of station N1 with a candidate emerging cluster of burglaries
    around one point, and the records to assess a response there: over the half
    year before a response date about six months ago, 60 burglaries inside the
    cluster's circle, then 10 in the half year after; the buffer ring and the
    control (sector B) unchanged. A local partner of the sector; the sector
    leader (an officer of the station) and the station commander, who both
    sign in with an authenticator app, as their roles require."""
    from django.utils import timezone
    from shapely.geometry import Point, mapping

    from cpis.accounts.services import set_language
    from cpis.accounts.tests.factories import give_app
    from cpis.analytics.models import EmergingCluster
    from cpis.incidents import taxonomy
    from cpis.incidents.models import IncidentCategory
    from cpis.organisation.models import Role
    from cpis.partners.tests.factories import partner
    from cpis.problems.tests.assessment_helpers import CONTROL_BOX, place, window_days

    taxonomy.seed(IncidentCategory)  # a transactional test before this one may have flushed the seed
    settings.MFA_REQUIRED_ROLES = [Role.SECTOR_LEADER, Role.STATION_COMMANDER]
    response = timezone.localdate() - timedelta(days=190)  # its 182-day after-window has ended
    centre = (21.05, 42.55)
    EmergingCluster.objects.create(
        subject="incidents",
        category="burglary",
        category_label="Burglary",
        unit=tree.n1a,
        path=tree.n1a.path,
        centre_lon=centre[0],
        centre_lat=centre[1],
        radius_m=450,
        start_date=response - timedelta(days=28),
        end_date=response - timedelta(days=7),
        observed=14,
        expected=3.1,
        llr=9.8,
        p_value=0.002,
        recurrence_days=900,
        area=mapping(Point(*centre).buffer(0.005)),
        first_detected_on=response - timedelta(days=7),
        last_detected_on=response - timedelta(days=7),
    )
    # (west, east, south, north): inside the circle; 120–200 m east of it, in a 400 m buffer.
    target_box = (21.047, 21.053, 42.548, 42.552)
    buffer_box = (21.0565, 21.0575, 42.549, 42.551)
    for seed, (unit, box, before, after) in enumerate(
        [(tree.n1a, target_box, 60, 10), (tree.n1a, buffer_box, 8, 8), (tree.n1b, CONTROL_BOX, 150, 150)],
        start=1,
    ):
        place(unit, box, window_days(before, after, seed=seed, response=response), seed=seed)
    leader, commander = persona("leader_n1a"), persona("commander_n1")
    for user in (leader, commander):
        set_language(user=user, language="en")  # their pages in English, as they chose
    OfficerFactory(user=leader, unit=tree.n1, first_name="Besnik", last_name="Gashi")
    lighting = partner(tree.n1a, name="Ndriçimi publik i komunës")
    return {
        "sector": tree.n1a,
        "response": response,
        "partner": lighting,
        "apps": {"leader_n1a": give_app(leader), "commander_n1": give_app(commander)},
    }


def _sign_in_with_app(page, url: str, username: str, device) -> None:
    """Password, then the code the user's authenticator app shows."""
    from cpis.accounts.tests.factories import code_of

    _sign_in(page, url, username)
    assert "/accounts/second-factor/" in page.url
    _clear_of_a_step_change()
    page.get_by_label("One-time code").fill(code_of(device))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(lambda u: "/accounts/" not in u)


def test_a_sector_leader_works_a_cluster_through_sara_and_a_citizen_reads_the_solved_problem_in_serbian(
    browser, live_server, transactional_db, burglaries_around_the_market
):
    """Problem solving end to end [C9, 3.2.5]: the sector leader takes up an
    emerging cluster as a problem, records the triangle and a response owned
    by a partner; after the window the assessment shows the fall; the problem
    is closed as solved and its public summary written; the station commander
    approves it; a citizen on a phone reads it on the sector page in Serbian."""
    import re
    import time

    from django.utils import translation

    from cpis.problems.models import Outcome, Problem, SummaryStatus

    url, data = live_server.url, burglaries_around_the_market
    sector, response = data["sector"], data["response"]
    title_sr = "Провале око пијаце су скоро нестале"
    started = time.monotonic()

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = desk.new_page()
    errors = _script_errors(page)
    _sign_in_with_app(page, url, "leader_n1a", data["apps"]["leader_n1a"])

    # Scanning: Analysis → Emerging clusters → take the cluster up; the form comes filled in.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Analysis").click()
    page.get_by_role("link", name="Emerging clusters").click()
    page.get_by_role("link", name="Take up as a problem").click()
    assert page.get_by_label("Title").input_value() == "Burglary in Sector A"
    assert page.get_by_label("Burglary", exact=True).is_checked()
    assert page.get_by_label("Take this as the target area (otherwise the whole place)").is_checked()
    page.get_by_role("button", name="Open the problem").click()
    page.get_by_text("The problem has been opened.").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "Burglary in Sector A"
    tabs = page.get_by_role("navigation", name="SARA")

    # Analysis: the place side of the triangle, with its manager.
    tabs.get_by_role("link", name="Analysis").click()
    triangle = page.get_by_role("region", name="Add to the triangle")
    triangle.get_by_label("Side of the triangle").select_option(label="Place")
    triangle.get_by_label("Who or what").fill("The unlit car park behind the market")
    triangle.get_by_label("Who controls it (guardian, handler or manager)").fill("The market's management")
    triangle.get_by_role("button", name="Add").click()
    place_side = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="Place", exact=True)
    )
    assert "The unlit car park behind the market" in place_side.inner_text()
    assert "The market's management" in place_side.inner_text()

    # Response: the car park lit by the municipality's public lighting, done on the response date.
    tabs.get_by_role("link", name="Response").click()
    action = page.get_by_role("region", name="Add an action")
    action.get_by_label("What is to be done").fill("Light the car park behind the market")
    action.get_by_label("Situational crime-prevention technique").select_option(
        label="Assist natural surveillance"
    )
    action.get_by_label("Owner").select_option(label=data["partner"].name)
    action.get_by_label("Due on").fill(response.isoformat())
    action.get_by_label("Status").select_option(label="Done")
    action.get_by_label("Done on (when done)").fill(response.isoformat())
    action.get_by_label("Evidence (when done)").fill("Eight lamps installed and working.")
    action.get_by_role("button", name="Add").click()
    row = page.get_by_role("row", name="Light the car park behind the market")
    assert data["partner"].name in row.inner_text() and "Assist natural surveillance" in row.inner_text()

    # Assessment: half a year either side of the response date, which is long past.
    tabs.get_by_role("link", name="Assessment").click()
    page.get_by_label("Response date").fill(response.isoformat())
    assert page.get_by_label("Window in days, before and after").input_value() == "182"
    page.get_by_role("button", name="Compute the assessment").click()
    page.get_by_text("The assessment has been computed from the records.").wait_for()
    counts = page.get_by_role("table", name="Incidents before and after the response date")

    def before_and_after(area: str) -> list[int]:
        cells = counts.get_by_role("row", name=area).get_by_role("cell").all_inner_texts()
        return [int(cell) for cell in cells]

    assert before_and_after("Target area") == [60, 10]
    assert before_and_after("Buffer") == [8, 8]
    assert before_and_after("Control area") == [150, 150]
    found = page.get_by_role("region", name="What the records show").inner_text()
    assert "Provisional" not in found
    ratio = re.search(
        r"Rate ratio in the target area\s+(\d\.\d\d) \(95 % interval (\d\.\d\d) to (\d\.\d\d)\)", found
    )
    assert ratio is not None, found
    assert float(ratio[1]) == 0.17 and float(ratio[3]) < 1  # 10 after for 60 before, over equal windows
    assert "Incidents fell in the target area by more than chance explains." in found

    # Closed as solved (the assessment is on record, so no reason is needed), then the summary.
    tabs.get_by_role("link", name="Overview").click()
    closing = page.get_by_role("region", name="Close the problem")
    closing.get_by_label("Outcome").select_option(label="Solved")
    closing.get_by_role("button", name="Close the problem").click()
    page.get_by_text("The problem has been closed.").wait_for()
    assert page.get_by_text("Closed · Solved").is_visible()  # under the title: the stage and outcome
    tabs.get_by_role("link", name="Public summary").click()
    page.get_by_label("Title (Albanian)").fill("Vjedhjet rreth tregut gati u zhdukën")
    page.get_by_label("Summary (Albanian)").fill(
        "Banorët na treguan për vjedhjet pranë tregut. Me komunën ndriçuam parkingun; "
        "që atëherë vjedhjet atje ranë me katër të pestat."
    )
    page.get_by_label("Title (Serbian, Cyrillic)").fill(title_sr)
    page.get_by_label("Summary (Serbian, Cyrillic)").fill(
        "Грађани су нам рекли за провале код пијаце. Са општином смо осветлили паркинг; "
        "од тада су провале тамо пале за четири петине."
    )
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("A second person approves it before citizens see it.").wait_for()
    page.get_by_role("button", name="Sign out").click()

    # The station commander, a second person, approves it.
    _sign_in_with_app(page, url, "commander_n1", data["apps"]["commander_n1"])
    page.goto(f"{url}/staff/problems/")
    page.get_by_role("link", name="Burglary in Sector A").click()
    page.get_by_role("navigation", name="SARA").get_by_role("link", name="Public summary").click()
    page.get_by_role("region", name="Review").get_by_role("button", name="Approve and publish").click()
    page.get_by_text("The summary is published on the citizens' pages.").wait_for()
    assert errors == []
    desk.close()

    # A citizen on a phone opens the sector's page, switches to Serbian and finds it there.
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="sq-AL")
    citizen = phone.new_page()
    citizen.goto(f"{url}/sectors/{sector.pk}/")
    assert citizen.locator("html").get_attribute("lang") == "sq"
    assert citizen.get_by_role("link", name="Vjedhjet rreth tregut gati u zhdukën").is_visible()
    citizen.get_by_role("button", name="Српски").click()
    citizen.wait_for_load_state()
    assert citizen.locator("html").get_attribute("lang") == "sr"
    with translation.override("sr"):
        solved_here = translation.gettext("Problems solved here")
        solved_link = translation.gettext("Problems solved with the community")
    citizen.get_by_role("region", name=solved_here).get_by_role("link", name=title_sr).wait_for()
    # And in the list of solved problems the home page links to.
    citizen.goto(f"{url}/")
    citizen.get_by_role("link", name=solved_link).click()
    citizen.get_by_role("link", name=title_sr).click()
    assert citizen.get_by_role("heading", level=1).inner_text() == title_sr
    assert "осветлили паркинг" in citizen.get_by_role("article").inner_text()
    phone.close()
    assert time.monotonic() - started < 60

    problem = Problem.objects.get()
    assert (problem.outcome, problem.owner.last_name) == (Outcome.SOLVED, "Gashi")
    assert problem.actions.get().owner_partner == data["partner"]
    assert problem.summary.status == SummaryStatus.PUBLISHED
    assert (problem.summary.written_by.username, problem.summary.reviewed_by.username) == (
        "leader_n1a",
        "commander_n1",
    )


@pytest.fixture
def surveyed_station(transactional_db):
    """Station N1 with sector A and its village Čaglavica; last year's closed survey
    wave and this year's open one over the country, each with forty answers from
    sector A; a problem the station opened there since last year's wave; the
    station commander signs in."""
    from django.utils import timezone

    from cpis.accounts.tests.factories import UserFactory
    from cpis.organisation.access import Actor
    from cpis.organisation.models import Role
    from cpis.organisation.tests.factories import RoleGrantFactory
    from cpis.problems.services import problems as problem_services
    from cpis.surveys import models as surveys
    from cpis.surveys.models import QuestionnaireVersion, Response, Wave, WaveStatus
    from cpis.surveys.spec import seed

    # A transactional test before this one may have flushed the shipped questionnaires.
    seed(surveys.Questionnaire, QuestionnaireVersion, surveys.Question, surveys.Option, now=timezone.now())

    root = UnitFactory(code="kp", kind=UnitKind.DIRECTORATE)
    north = UnitFactory(parent=root, code="north", kind=UnitKind.REGION, name_sq="Veriu")
    station = UnitFactory(parent=north, code="n1", kind=UnitKind.STATION, name_sq="Stacioni N1")
    sector = UnitFactory(
        parent=station,
        code="n1a",
        kind=UnitKind.SECTOR,
        boundary=square(21.0, 42.5),
        population=4000,
        name_sq="Sektori Çagllavicë",
        name_sr="Сектор Чаглавица",
    )
    SettlementFactory(name_sq="Çagllavicë", name_sr="Чаглавица", lon=21.05, lat=42.55)
    RoleGrantFactory(user=UserFactory(username="commander"), unit=station, role=Role.STATION_COMMANDER)
    version = QuestionnaireVersion.objects.get(questionnaire__code="safety-and-trust", status="published")
    today = timezone.localdate()
    last_year = Wave.objects.create(
        name="Anketa 2025",
        version=version,
        place=root,
        starts_on=today - timedelta(days=380),
        ends_on=today - timedelta(days=340),
        status=WaveStatus.CLOSED,
    )
    this_year = Wave.objects.create(
        name="Anketa 2026",
        version=version,
        place=root,
        starts_on=today - timedelta(days=20),
        ends_on=today + timedelta(days=20),
        status=WaveStatus.OPEN,
    )
    answers = []
    for wave, agreeing in ((last_year, 16), (this_year, 28)):
        for i in range(40):
            answers.append(
                Response(
                    version=version,
                    wave=wave,
                    sector=sector,
                    channel="door",
                    answers={"confidence": 5 if i < agreeing else 2, "safe_dark": 4 if i % 2 else 2},
                    submitted_at=timezone.now(),
                    idempotency_key=f"journey:{wave.pk}:{i}",
                )
            )
    Response.objects.bulk_create(answers)
    problem_services.open_problem(
        Actor.system(), unit=sector, title="Vjedhje në treg", description="Vjedhje natën te tregu."
    )
    return {"sector": sector, "wave": this_year}


def test_a_citizen_answers_the_survey_in_serbian_on_a_phone_and_the_commander_reads_it_beside_what_was_done(
    browser, live_server, surveyed_station
):
    """C11: a citizen finds her sector by typing her village in Cyrillic, answers
    three questions in Serbian on a phone, and her answers count; the station
    commander at a desk reads the sector's confidence with its 95 % interval, its
    change since last year, the model-based estimate beside it, and the problem
    opened there since last year's wave."""
    from cpis.surveys.models import Response

    url, sector, wave = live_server.url, surveyed_station["sector"], surveyed_station["wave"]
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="sr-RS")
    page = phone.new_page()
    page.goto(f"{url}/surveys/")
    page.get_by_role("button", name="Српски").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sr"
    page.locator("#id_q").fill("Чаглавица")
    page.locator("form[role=search] button[type=submit]").click()
    page.locator("#places a").first.click()
    page.locator(f"a[href$='/surveys/{wave.pk}/sectors/{sector.pk}/']").click()
    assert "Колико се осећате безбедно" in page.locator("h1").inner_text()
    page.locator("#question-safe_dark input[value='4']").check()
    page.locator("#question-confidence input[value='5']").check()
    page.locator("#question-top_issue input[value='traffic']").check()
    page.wait_for_timeout(6500)  # reading three questions takes a person more than two seconds each
    page.get_by_role("button", name="Пошаљите моје одговоре").click()
    page.locator("#thanks").wait_for()
    assert page.locator("h1").inner_text() == "Хвала вам"
    mine = Response.objects.get(wave=wave, channel="portal")
    assert mine.status == "accepted", mine.held_reason
    assert mine.language == "sr" and mine.answers["confidence"] == 5 and mine.device
    phone.close()

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = desk.new_page()
    _sign_in(page, url, "commander")
    page.goto(f"{url}/staff/surveys/results/waves/{wave.pk}/places/{sector.pk}/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    row = page.locator("#item-confidence")
    cells = row.locator("td").all_inner_texts()
    assert cells[0].strip() == "71 %"  # 29 of the 41 who answered agree
    assert "–" in cells[1]  # its 95 % interval
    assert any("pp" in c for c in cells)  # the change since last year's 40 %, in points
    assert row.locator(".excludes-zero").count() == 1  # and its interval leaves out zero
    page.locator("#place-activity").get_by_text("Vjedhje në treg").wait_for()
    desk.close()


@pytest.fixture
def officer_with_a_new_concern(station_with_team, categories):
    """Sector officer Driton Hoxha of the station's one sector, signed in as
    `hoxha`, and a concern the coordinator has just assigned to him, beside
    thirty others of the sector on the queue's map."""
    import uuid

    from cpis.accounts.tests.factories import UserFactory
    from cpis.concerns import services
    from cpis.organisation.access import Actor
    from cpis.organisation.models import Role
    from cpis.organisation.tests.factories import RoleGrantFactory

    sector = station_with_team
    # Signed in in English, the language the assertions read.
    user = UserFactory(username="hoxha", first_name="Driton", last_name="Hoxha", language="en")
    RoleGrantFactory(user=user, unit=sector, role=Role.SECTOR_OFFICER)
    officer = Officer.objects.get(last_name="Hoxha")
    officer.user = user
    officer.save()
    for n in range(30):
        services.submit_concern(
            Actor.anonymous(),
            category_code="public-order",
            description=f"Zhurmë natën pranë parkut ({n}).",
            language="sq",
            channel="web",
            idempotency_key=uuid.uuid4().hex,
            lat=42.95 + (n % 5) * 0.001,
            lon=20.95 + (n // 5) * 0.001,
        )
    concern = services.submit_concern(
        Actor.anonymous(),
        category_code="traffic-safety",
        description="Veturat ngasin shumë shpejt pranë shkollës.",
        language="sq",
        channel="web",
        idempotency_key=uuid.uuid4().hex,
        lat=43.0,
        lon=21.0,
    ).concern
    coordinator = Actor.for_user(UserFactory._meta.model.objects.get(username="koordinatori"))
    services.assign_concern(coordinator, concern=concern, officer=officer)
    return concern


def test_an_officer_on_a_phone_sees_a_newly_assigned_concern_first_and_opens_the_menu_by_keyboard(
    browser, live_server, officer_with_a_new_concern
):
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="en-GB")
    page = phone.new_page()
    errors = _script_errors(page)
    _sign_in(page, live_server.url, "hoxha")
    page.goto(f"{live_server.url}/staff/")
    assert page.get_by_role("heading", level=1).inner_text() == "My work today"

    # The menu is folded: one button, its links out of sight.
    menu_button = page.get_by_role("button", name="Menu")
    assert menu_button.get_attribute("aria-expanded") == "false"
    assert menu_button.get_attribute("aria-controls") == "site-menu"
    assert not page.locator("#site-menu").is_visible()
    assert not page.locator("#site-menu").get_by_role("link", name="Inbox").is_visible()

    # The new concern is on the page without scrolling.
    item = page.locator("#work-today .work-item", has_text="open concern assigned to you")
    assert item.is_visible()
    box = item.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]
    assert item.locator(".work-count").inner_text() == "1"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # By keyboard: Tab reaches the button, Enter opens the menu with the person's work first.
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')"):
            break
    assert page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')")
    page.keyboard.press("Enter")
    assert menu_button.get_attribute("aria-expanded") == "true"
    first_link = page.locator("#site-menu .main-nav a").first
    assert first_link.is_visible() and first_link.inner_text() == "My work today"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "My work today"
    # Escape folds it again and gives the focus back to the button.
    page.keyboard.press("Escape")
    assert menu_button.get_attribute("aria-expanded") == "false"
    assert not page.locator("#site-menu").is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-menu-toggle')")

    # The link opens the queue of the officer's own concerns, as cards, with nothing off the screen.
    item.click()
    page.wait_for_url(lambda url: "mine=on" in url)
    cards = page.locator("#concern-rows tbody tr")
    assert cards.count() == 1
    assert officer_with_a_new_concern.reference in cards.first.inner_text()
    # A card, each value named (the label is drawn from data-label beside it).
    assert cards.first.evaluate("row => getComputedStyle(row).display") == "block"
    assert cards.first.locator("td[data-label]").count() == 6
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#queue-map[data-ready=true]").wait_for()
    assert page.locator("#queue-map").get_attribute("data-points") == "1"
    assert errors == []
    phone.close()


def test_the_queue_map_gathers_many_concerns_into_clusters(browser, live_server, officer_with_a_new_concern):
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = desk.new_page()
    errors = _script_errors(page)
    _sign_in(page, live_server.url, "koordinatori")
    page.goto(f"{live_server.url}/staff/concerns/")
    page.locator("#queue-map[data-ready=true]").wait_for()
    assert page.locator("#queue-map").get_attribute("data-points") == "31"
    # Thirty concerns a hundred metres apart are one or a few clusters, each with its count.
    clusters = page.locator("#queue-map .marker-cluster")
    assert clusters.count() >= 1
    gathered = sum(int(text) for text in clusters.all_inner_texts())
    singles = page.locator("#queue-map path.leaflet-interactive").count()
    assert 2 <= gathered <= 31
    # Far fewer marks on the map than concerns (during a zoom animation a point may be drawn twice).
    assert clusters.count() + singles < 31 // 2
    assert errors == []
    desk.close()


class _Inbox:
    """A real SMTP server on the loopback (aiosmtpd) keeping what it receives."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 20.0) -> list:
        import time

        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(self.messages) >= count, f"{len(self.messages)} e-mails arrived, {count} expected"
        return self.messages


@pytest.fixture
def smtp_server(settings):
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.fixture
def sector_with_forum(transactional_db):
    """Sector A of station N1, its LPSC and the sector leader."""
    from cpis.accounts.tests.factories import UserFactory
    from cpis.forums.tests.factories import ForumFactory
    from cpis.organisation.models import Role
    from cpis.organisation.tests.factories import RoleGrantFactory

    root = UnitFactory(code="kp", kind=UnitKind.DIRECTORATE)
    north = UnitFactory(parent=root, code="north", kind=UnitKind.REGION, name_sq="Veriu")
    station = UnitFactory(parent=north, code="n1", kind=UnitKind.STATION, name_sq="Stacioni N1")
    sector = UnitFactory(
        parent=station,
        code="n1a",
        kind=UnitKind.SECTOR,
        boundary=square(20.0, 42.0, 1.0),
        name_sq="Sektori A",
    )
    leader = UserFactory(username="leader")
    RoleGrantFactory(user=leader, unit=sector, role=Role.SECTOR_LEADER)
    forum = ForumFactory(unit=sector, unit_path=sector.path, name="KLSP Sektori A")
    return {"sector": sector, "forum": forum, "leader": leader}


def test_a_citizen_on_a_phone_subscribes_to_their_sector_confirms_by_e_mail_and_gets_a_meeting_alert(
    browser, live_server, sector_with_forum, smtp_server, settings
):
    from datetime import datetime, time
    from urllib.parse import urlsplit

    from django.core.management import call_command
    from django.utils import timezone

    from cpis.alerts.models import Status, Subscription
    from cpis.forums.services.meetings import MeetingInput, schedule_meeting
    from cpis.organisation.access import Actor

    settings.SITE_URL = live_server.url
    sector = sector_with_forum["sector"]
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="sq-AL")
    citizen = phone.new_page()
    citizen.goto(f"{live_server.url}/sectors/{sector.pk}/")
    citizen.locator("#alerts-link a").first.click()
    citizen.wait_for_load_state()
    assert "Sektori A" in citizen.locator("main").inner_text()
    assert citizen.locator("#circle-fields").is_hidden()  # the sector is chosen; no map to scroll past
    citizen.locator("#id_email").fill("banori@example.org")
    citizen.locator("#subscribe-form button[type=submit]").click()
    citizen.locator("#alerts-pending").wait_for(timeout=20000)
    assert "banori@example.org" in citizen.locator("#alerts-pending").inner_text()

    (confirmation,) = smtp_server.wait_for(1)
    assert confirmation["To"] == "banori@example.org"
    assert confirmation["List-Unsubscribe"] is None  # not a list message yet
    link = next(word for word in confirmation.get_content().split() if "/alerts/confirm/" in word)
    citizen.goto(link)
    assert Subscription.objects.get().status == Status.PENDING  # opening the link confirms nothing
    citizen.locator("#confirm-button").click()
    citizen.locator("#alerts-confirmed").wait_for()
    assert Subscription.objects.get().status == Status.CONFIRMED

    # Later the sector leader plans a public meeting; the scheduler fans it out and sends it.
    starts = timezone.make_aware(
        datetime.combine(timezone.localdate() + timezone.timedelta(days=9), time(18))
    )
    schedule_meeting(
        Actor.for_user(sector_with_forum["leader"]),
        forum=sector_with_forum["forum"],
        data=MeetingInput(kind="regular", starts_at=starts, place="Shkolla Naim Frashëri", is_public=True),
    )
    call_command("run_scheduled", "--once")
    alert = smtp_server.wait_for(2)[1]
    assert alert["To"] == "banori@example.org"
    assert "KLSP Sektori A" in alert["Subject"] and "Shkolla Naim Frashëri" in alert.get_content()
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = str(alert["List-Unsubscribe"]).strip().strip("<>")
    assert unsubscribe_url in alert.get_content()
    assert urlsplit(unsubscribe_url).netloc == urlsplit(live_server.url).netloc

    # The mail client's one-click: a POST with no cookies and no CSRF token (RFC 8058).
    mail_client = browser.new_context()
    answer = mail_client.request.post(
        unsubscribe_url,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status == 200
    assert Subscription.objects.get().status == Status.UNSUBSCRIBED
    mail_client.close()
    phone.close()
