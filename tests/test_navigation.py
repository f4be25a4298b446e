"""The staff side's navigation bars: every link leads somewhere, and the link of the
page one is on is marked for screen readers."""

import re

from django.urls import reverse

from cpis.navigation import BARS


def test_every_link_of_every_bar_resolves():
    for name, bar in BARS.items():
        args = (1,) if name == "plans" else ()  # the plan's bar takes the plan
        for link in bar.links:
            assert reverse(link.url_name, args=args)


def test_the_link_of_the_page_one_is_on_is_the_current_one(tree, client_for):
    html = client_for("admin").get(reverse("partners:groups") + "?kind=school").content.decode()
    assert '<a href="/staff/partners/groups/" aria-current="page">' in html
    assert html.count('aria-current="page"') == 1


def test_a_link_that_needs_a_right_is_left_out_without_it(tree, client_for):
    import_url = reverse("incidents:import")
    for persona, shown in (("admin", True), ("officer_n1a", False)):
        response = client_for(persona).get(reverse("incidents:list"))
        assert response.status_code == 200
        assert (f'href="{import_url}"' in response.content.decode()) is shown


def test_the_staff_bar_shows_each_role_the_pages_it_may_open(tree, persona, client_for):
    """A link on the staff bar is there exactly when its page opens for the reader:
    professional standards and the data-protection officer see no policing pages."""
    from django.test import Client

    from cpis.accounts.tests.factories import UserFactory
    from cpis.organisation.models import Role
    from cpis.organisation.tests.factories import RoleGrantFactory

    dpo = Client()
    dpo.force_login(
        RoleGrantFactory(user=UserFactory(), unit=tree.root, role=Role.DATA_PROTECTION_OFFICER).user
    )
    readers = {"dpo": dpo, **{name: client_for(name) for name in ("officer_n1a", "standards", "directorate")}}
    wrong = []
    for name, client in readers.items():
        page = client.get(reverse("organisation:home")).content.decode()
        bar = page[page.index('<nav class="subnav"') :]
        bar = bar[: bar.index("</nav>")]
        for link in BARS["staff"].links:
            url = reverse(link.url_name)
            opens = client.get(url).status_code == 200
            if (f'href="{url}"' in bar) is not opens:
                wrong.append((name, link.url_name, opens))
    assert wrong == [], "\n".join(map(str, wrong))


def test_an_open_a_problem_link_is_shown_only_to_those_it_would_not_refuse(tree, client_for):
    """Other apps' pages offer "open a problem from this…": the strategy coordinator reads
    forums but may not open problems, so the link is left out for them (it answered 403)."""
    from datetime import date

    from cpis.forums.models import TensionReport
    from cpis.forums.tests.factories import ForumFactory

    forum = ForumFactory(unit=tree.n1)
    report = TensionReport.objects.create(
        forum=forum, reported_on=date(2025, 1, 10), level="high", summary="Tensions at the market."
    )
    url = reverse("forums:detail", args=[forum.pk])
    link = f"{reverse('problems:open_from')}?from=tension&amp;id={report.pk}"
    for persona, shown in (("commander_n1", True), ("strategy_coordinator", False)):
        client = client_for(persona)
        page = client.get(url)
        assert page.status_code == 200
        assert (link in page.content.decode()) is shown, persona
        opened = client.get(link.replace("&amp;", "&")).status_code
        assert (opened == 200) is shown and (opened == 403) is not shown, (persona, opened)


def test_the_main_menu_offers_each_reader_only_pages_that_open(tree, persona, client_for):
    """The site's main menu: professional standards and the data-protection officer,
    who see no policing records, are not offered the pages that would say 404."""
    from django.test import Client

    from cpis.accounts.tests.factories import UserFactory
    from cpis.organisation.models import Role
    from cpis.organisation.tests.factories import RoleGrantFactory

    dpo = Client()
    dpo.force_login(
        RoleGrantFactory(user=UserFactory(), unit=tree.root, role=Role.DATA_PROTECTION_OFFICER).user
    )
    readers = {"dpo": dpo, **{name: client_for(name) for name in ("officer_n1a", "standards", "directorate")}}
    for name, client in readers.items():
        page = client.get(reverse("organisation:home")).content.decode()
        menu = page[page.index('<nav class="main-nav"') :]
        menu = menu[: menu.index("</nav>")]
        links = re.findall(r'href="(/staff/[^"]*)"', menu)
        assert links, name
        refused = [url for url in links if client.get(url).status_code != 200]
        assert refused == [], (name, refused)
    assert (
        'href="/staff/analytics/"'
        in client_for("officer_n1a").get(reverse("organisation:home")).content.decode()
    )


def test_the_sector_page_loads_its_panels_only_for_readers_who_may_open_them(tree, persona, client_for):
    url = reverse("organisation:sector", kwargs={"sector_id": tree.n1a.pk})
    for name, shown in (("officer_n1a", True), ("standards", False)):
        client = client_for(name)
        page = client.get(url)
        assert page.status_code == 200, name
        panels = re.findall(r'hx-get="([^"]+)"', page.content.decode())
        assert bool(panels) is shown, (name, panels)
        assert all(client.get(panel).status_code == 200 for panel in panels), name
