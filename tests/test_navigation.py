"""The staff side's navigation bars: every link leads somewhere, and the link of the
page one is on is marked for screen readers."""

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
