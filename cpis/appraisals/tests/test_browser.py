"""The evaluation journey in headless Chromium: a station commander evaluates a
sector officer with the evidence of the officer's record beside each criterion;
the officer, on a phone, reads it and acknowledges it with a comment."""

import pytest

from cpis.appraisals import services
from cpis.appraisals.models import Evaluation, Status
from cpis.appraisals.tests.factories import officer_at
from tests.test_browser import PHONE, browser  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


def _sign_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct horse battery staple")
    page.press("#id_password", "Enter")
    page.wait_for_url(lambda u: "/accounts/login/" not in u)
    # Signing in sets the language the user chose last (Albanian); these readers read English.
    _english(page.context, url)


def _english(context, url: str) -> None:
    context.add_cookies([{"name": "cpis_language", "value": "en", "url": url}])


def test_a_commander_rates_with_the_evidence_and_the_officer_acknowledges_on_a_phone(
    browser,  # noqa: F811
    live_server,
    transactional_db,
    tree,
    persona,
):
    officer = officer_at(tree.n1a, persona("officer_n1a"), first_name="Arta", last_name="Morina")
    persona("commander_n1")
    form = services.ensure_default_form()
    criteria = list(form.versions.get().criteria.order_by("order"))

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
    desk.close()

    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    _english(phone, live_server.url)
    page = phone.new_page()
    _sign_in(page, live_server.url, "officer_n1a")
    page.goto(f"{live_server.url}/staff/appraisals/")
    page.click("#to-respond a")
    page.wait_for_selector("#acknowledge-form")
    assert "Regular at the forum of the village." in page.inner_text("#criteria")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.fill("#acknowledge-form textarea", "Thank you; I will keep at the forums.")
    page.tap("#acknowledge")
    page.wait_for_selector("#officer-comment")
    assert "Acknowledged" in page.inner_text("#evaluation-status")
    assert page.inner_text("#officer-comment") == "Thank you; I will keep at the forums."
    phone.close()

    evaluation = Evaluation.objects.get(officer=officer)
    assert evaluation.status == Status.ACKNOWLEDGED
    assert evaluation.evidence["items"]["tenure"]["display"]
