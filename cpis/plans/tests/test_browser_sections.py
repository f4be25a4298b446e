"""The regional director freezes the region's six-monthly evaluation and reads the
region's figures in its sections [Evaluation 5, 7]."""

import pytest

from cpis.plans.models import Evaluation
from cpis.plans.tests.test_sections import forums  # noqa: F401 - fixture
from tests.test_browser import _sign_in, browser  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


# The live server reads what the test writes: a transactional database (flushed at the end).
def test_the_regional_director_reads_the_regions_figures_in_the_six_monthly_evaluation(
    browser,  # noqa: F811 - the fixture of tests/test_browser.py
    live_server,
    transactional_db,
    tree,
    plan,
    forums,  # noqa: F811 - the fixture of test_sections.py: North has 2 forums, South 2 lapsed
    persona,
):
    persona("director_north")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, live_server.url, "director_north")
    # Signing in sets the person's own language (Albanian): read the page in English.
    context.add_cookies([{"name": "cpis_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/staff/plans/{plan.pk}/evaluations/")
    page.locator("#id_period").select_option("2016 H1")
    page.locator("#freeze-form button").click()
    page.wait_for_url("**/staff/plans/evaluations/**")
    evaluation = Evaluation.objects.get()
    assert evaluation.unit == tree.north
    assert page.locator("#evaluation-place").inner_text().startswith("Place evaluated: North")
    section = page.locator("#evaluation-5")
    assert section.get_by_role("heading", level=2).inner_text() == "Evaluation 5: The forums' sustainability"
    assert "North had 2 forums in 2016 H1: 1 active, 1 at risk, 0 lapsed." in section.inner_text()
    table = section.locator("table.section-table")
    assert table.locator("tbody th").all_inner_texts() == ["Station N1", "All forums of the place"]
    station = table.locator("tbody tr").first.locator("td").all_inner_texts()
    assert station[:4] == ["2", "1", "1", "0"]  # forums, active, at risk, lapsed: South's are not here
    assert "South" not in section.inner_text()
    stored = next(s for s in evaluation.snapshot["sections"] if s["element"] == 5)
    assert section.locator("figure.section-chart").count() == len(stored["charts"])
    # The region's director may write the narrative and sign the region's evaluation.
    assert page.locator("#sign-off").count() == 1
    assert errors == []
    context.close()
