"""The evaluation journey in headless Chromium, end to end [C13, Evaluation 2]: a
station commander evaluates a sector officer with the evidence of the officer's
record beside each criterion; the officer, on a phone, reads it and acknowledges
it with a comment; the commander signs it; once the half-year has ended, the
regional director freezes the region's six-monthly evaluation and reads the
evaluations among the region's figures, with no officer named."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import timezone

from cpis.accounts.tests.factories import UserFactory
from cpis.appraisals import services
from cpis.appraisals.models import Evaluation, Status
from cpis.appraisals.tests.factories import officer_at, submitted
from cpis.organisation.access import Actor
from cpis.plans import services as plan_services
from cpis.plans.models import Evaluation as PlanEvaluation
from cpis.plans.models import Plan
from cpis.plans.spec import load_data_file
from tests.test_browser import PHONE, browser  # noqa: F401 - the fixture
from tests.test_browser import _sign_in as sign_in

pytestmark = pytest.mark.browser


def _sign_in(page, url: str, username: str) -> None:
    sign_in(page, url, username)
    # Signing in sets the language the user chose last (Albanian); these readers read English.
    _english(page.context, url)


def _english(context, url: str) -> None:
    context.add_cookies([{"name": "cpis_language", "value": "en", "url": url}])


def _colleague_signed(commander: Actor, sector, username: str, score: int) -> None:
    """An evaluation of another officer of the region, acknowledged and signed."""
    user = UserFactory(username=username)
    evaluation = submitted(commander, officer_at(sector, user, last_name=username.title()), score)
    services.acknowledge_evaluation(Actor.for_user(user), evaluation=evaluation)
    services.sign_evaluation(commander, evaluation=evaluation)


# The live server reads what the test writes: a transactional database (flushed at the end).
def test_a_commander_rates_the_officer_acknowledges_and_the_regional_director_reads_the_figures(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    tree,
    persona,
    actor_for,
):
    officer = officer_at(tree.n1a, persona("officer_n1a"), first_name="Arta", last_name="Morina")
    persona("commander_n1")
    persona("director_north")
    form = services.ensure_default_form()
    criteria = list(form.versions.get().criteria.order_by("order"))
    # The strategy in force this half-year: the action plan, its period running on.
    plan, _created = plan_services.load_plan_data(load_data_file())
    Plan.objects.filter(pk=plan.pk).update(period_end=date(timezone.localdate().year + 1, 12, 31))
    # Two colleagues in the region were evaluated and signed earlier in the half-year:
    # the evaluation shows figures from three evaluations on, so that no officer stands out.
    commander = actor_for("commander_n1")
    _colleague_signed(commander, tree.n1b, "besa", 4)  # weighted score 4.00
    _colleague_signed(commander, tree.n1b, "driton", 3)  # 3.00

    # The commander, at a desk, rates with the evidence of the officer's record.
    desk = browser.new_context()
    _english(desk, live_server.url)
    page = desk.new_page()
    _sign_in(page, live_server.url, "commander_n1")
    page.goto(f"{live_server.url}/staff/appraisals/new/")
    page.select_option("#id_officer", str(officer.pk))
    page.click("section.card button[type=submit]")
    page.wait_for_selector("#ratings-form")
    # The evidence of the officer's record is beside each criterion that draws on it.
    relationships = page.locator("#criterion-community_relationships")
    for key in ("meetings_attended", "outreach_delivered", "audience_reached", "partners_engaged"):
        assert relationships.locator(f'dd[data-key="{key}"]').count() == 1
    assert page.locator('#criterion-sector_knowledge dd[data-key="tenure"]').inner_text().strip()
    assert page.locator("#criterion-teamwork .evidence").count() == 0
    for criterion, score in zip(criteria, [5, 4, 4, 3, 4, 4, 5, 4], strict=True):
        page.check(f"#criterion-{criterion.code} input[type=radio][value='{score}']")
    page.fill("#criterion-community_relationships textarea", "Regular at the forum of the village.")
    page.click("#submit-evaluation")
    page.wait_for_selector("#weighted-score")
    # 20·5 + 20·4 + 15·4 + 10·3 + 5·4 + 10·4 + 10·5 + 10·4 = 420
    assert page.inner_text("#weighted-score").replace(",", ".") == "4.20"
    assert "Waiting for the officer" in page.inner_text("#evaluation-status")
    evaluation_url = page.url

    # The officer, on a phone, reads it and acknowledges it.
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    _english(phone, live_server.url)
    mobile = phone.new_page()
    _sign_in(mobile, live_server.url, "officer_n1a")
    mobile.goto(f"{live_server.url}/staff/appraisals/")
    mobile.click("#to-respond a")
    mobile.wait_for_selector("#acknowledge-form")
    assert "Regular at the forum of the village." in mobile.inner_text("#criteria")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    mobile.fill("#acknowledge-form textarea", "Thank you; I will keep at the forums.")
    mobile.tap("#acknowledge")
    mobile.wait_for_selector("#officer-comment")
    assert "Acknowledged" in mobile.inner_text("#evaluation-status")
    assert mobile.inner_text("#officer-comment") == "Thank you; I will keep at the forums."
    phone.close()

    # The commander signs it: from then on nothing changes it.
    page.goto(evaluation_url)
    page.click("#sign-form button[type=submit]")
    page.wait_for_selector("#signed")
    desk.close()
    evaluation = Evaluation.objects.get(officer=officer)
    assert evaluation.status == Status.SIGNED
    assert evaluation.evidence["items"]["tenure"]["display"]
    year, first_half = evaluation.signed_at.year, evaluation.signed_at.month <= 6
    half_year = f"{year} H{1 if first_half else 2}"

    # Once the half-year has ended, the regional director freezes the region's evaluation.
    after = datetime(year, 7, 6, 9, tzinfo=UTC) if first_half else datetime(year + 1, 1, 5, 9, tzinfo=UTC)
    with time_machine.travel(after, tick=True):
        office = browser.new_context(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page = office.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        _sign_in(page, live_server.url, "director_north")
        page.goto(f"{live_server.url}/staff/plans/{plan.pk}/evaluations/")
        page.locator("#id_period").select_option(half_year)
        page.locator("#freeze-form button").click()
        page.wait_for_url("**/staff/plans/evaluations/**")
        frozen = PlanEvaluation.objects.get()
        assert frozen.unit == tree.north
        section = page.locator("#evaluation-2")
        assert section.get_by_role("heading", level=2).inner_text() == (
            "Evaluation 2: Individual performance evaluations"
        )
        text = section.inner_text()
        # (4.20 + 4.00 + 3.00) / 3 = 3.73; none appealed.
        assert "3 performance evaluations were signed; their mean weighted score is 3.73 of 5." in text
        assert "100% were acknowledged without appeal; 0 were appealed" in text
        # Aggregated only: no officer's name or own score is on the page.
        for name in ("Morina", "Besa", "Driton", "4.20"):
            assert name not in text
        assert errors == []
        office.close()
