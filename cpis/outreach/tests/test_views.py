"""The outreach pages: the one-screen log form, the list with totals and
exports, an entry with its edit and delete."""

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cpis.outreach.models import Kind, OutreachActivity, Topic


def add(unit, kind=Kind.SCHOOL_LECTURE, day=date(2014, 3, 10), **fields):
    return OutreachActivity.objects.create(
        kind=kind,
        happened_on=day,
        unit=unit,
        unit_path=unit.path,
        audience=fields.pop("audience", 30),
        **fields,
    )


def test_the_log_form_starts_with_today_my_sector_and_me(tree, client_for, officer_for):
    me = officer_for("officer_n1a", sector=tree.n1a)
    response = client_for("officer_n1a").get(reverse("outreach:log"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["happened_on"] == timezone.localdate()
    assert form.initial["unit"] == tree.n1a.pk
    assert form.initial["officers"] == [me.pk]
    page = response.content.decode()
    assert 'inputmode="numeric"' in page
    assert 'type="radio" name="kind"' in page
    assert "outreach/log.js" in page
    assert "style=" not in page and "<script>" not in page


def test_logging_takes_one_post_and_offers_another(tree, client_for, officer_for):
    me = officer_for("officer_n1a", sector=tree.n1a)
    client = client_for("officer_n1a")
    response = client.post(
        reverse("outreach:log"),
        {
            "kind": Kind.SCHOOL_LECTURE,
            "topic": Topic.TRAFFIC_SAFETY,
            "happened_on": timezone.localdate().isoformat(),
            "unit": tree.n1a.pk,
            "place": "Shkolla e mesme „Sami Frashëri”",
            "audience": "48",
            "officers": [me.pk],
        },
    )
    activity = OutreachActivity.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("outreach:detail", args=[activity.pk]) + "?logged=1"
    page = client.get(response.url)
    assert page.context["just_logged"] and page.context["can_change"]
    assert reverse("outreach:log") in page.content.decode()
    assert (activity.audience, activity.topic, activity.unit) == (48, Topic.TRAFFIC_SAFETY, tree.n1a)


def test_a_bad_entry_is_shown_again_with_its_error_and_saves_nothing(tree, client_for):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client_for("leader_n1a").post(
        reverse("outreach:log"),
        {
            "kind": Kind.SCHOOL_LECTURE,
            "topic": "",
            "happened_on": tomorrow,
            "unit": tree.n1a.pk,
            "audience": "x",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors
    response = client_for("leader_n1a").post(
        reverse("outreach:log"),
        {
            "kind": Kind.SCHOOL_LECTURE,
            "topic": "",
            "happened_on": "2015-03-01",
            "unit": tree.n1a.pk,
            "audience": 9,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not OutreachActivity.objects.exists()


def test_a_place_outside_mine_is_refused_by_the_form(tree, client_for):
    response = client_for("leader_n1a").post(
        reverse("outreach:log"),
        {"kind": Kind.MEDIA, "happened_on": "2015-03-01", "unit": tree.s1a.pk, "audience": 9},
    )
    assert response.status_code == 400
    assert not OutreachActivity.objects.exists()


def test_changing_the_place_refreshes_the_officers_to_tick(tree, client_for, officer_for):
    officer_for("officer_n1a", sector=tree.n1a)
    colleague = officer_for("leader_n1a", sector=tree.n1b)
    response = client_for("commander_n1").get(reverse("outreach:log"), {"unit": tree.n1b.pk})
    assert [pk for pk, _label in response.context["form"].fields["officers"].choices] == [colleague.pk]


def test_the_strategy_coordinator_sees_the_list_but_has_no_log_form(tree, client_for):
    client = client_for("strategy_coordinator")
    add(tree.n1a, audience=45)
    listed = client.get(reverse("outreach:list"), {"period": "2014 H1"})
    assert listed.status_code == 200
    assert listed.context["overall"].audience == 45
    log_link = f'href="{reverse("outreach:log")}"'
    assert log_link not in listed.content.decode()
    assert log_link in client_for("commander_n1").get(reverse("outreach:list")).content.decode()
    assert client.get(reverse("outreach:log")).status_code == 403
    assert client_for("standards").get(reverse("outreach:list")).status_code == 404
    assert client_for("citizen").get(reverse("outreach:log")).status_code == 302


def test_the_list_shows_my_places_with_totals_in_few_queries(tree, client_for, django_assert_max_num_queries):
    for i in range(30):
        activity = add(tree.n1a if i % 2 else tree.n1b, day=date(2014, 1, 1) + timedelta(days=i))
        activity.officers.set([])
    add(tree.s1a, kind=Kind.OPEN_DAY, audience=500)
    client = client_for("commander_n1")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("outreach:list"), {"period": "2014 H1", "kind": Kind.SCHOOL_LECTURE})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 30
    assert response.context["overall"].activities == 30
    assert response.context["overall"].audience == 900


def test_another_places_entry_is_not_found(tree, client_for):
    theirs = add(tree.s1a)
    client = client_for("commander_n1")
    for name in ("outreach:detail", "outreach:edit", "outreach:delete"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.post(reverse("outreach:delete", args=[theirs.pk])).status_code == 404
    assert OutreachActivity.objects.filter(pk=theirs.pk).exists()


def test_the_author_edits_within_the_week_then_only_leads_can(tree, client_for, persona):
    client = client_for("officer_n1a")
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        old = add(tree.n1a, created_by=persona("officer_n1a"))
    fresh = add(tree.n1a, created_by=persona("officer_n1a"))
    assert client.get(reverse("outreach:edit", args=[fresh.pk])).status_code == 200
    response = client.post(
        reverse("outreach:edit", args=[fresh.pk]),
        {"kind": Kind.MEDIA, "happened_on": "2014-03-10", "unit": tree.n1a.pk, "audience": 7},
    )
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert (fresh.kind, fresh.audience) == (Kind.MEDIA, 7)
    assert client.get(reverse("outreach:edit", args=[old.pk])).status_code == 302
    assert client.post(reverse("outreach:delete", args=[old.pk])).status_code == 302
    assert OutreachActivity.objects.filter(pk=old.pk).exists()
    assert client_for("coordinator_n1").post(reverse("outreach:delete", args=[old.pk])).status_code == 302
    assert not OutreachActivity.objects.filter(pk=old.pk).exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_neutralise_formulas_typed_into_notes(tree, client_for, fmt):
    add(tree.n1a, place='=HYPERLINK("http://evil")', notes="+SUM(A1)")
    add(tree.s1a, place="not mine")
    response = client_for("commander_n1").get(reverse("outreach:export", args=[fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        rows = [
            list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        ]
    header, *data = rows
    assert header[0] == "date"
    assert len(data) == 1
    place, notes = data[0][header.index("place")], data[0][header.index("notes")]
    assert place.startswith("'=") and notes.startswith("'+")


def test_an_unknown_export_format_is_not_found(client_for, tree):
    assert client_for("commander_n1").get(reverse("outreach:export", args=["pdf"])).status_code == 404


def test_the_delete_page_asks_first(tree, client_for, persona):
    mine = add(tree.n1a, created_by=persona("leader_n1a"))
    client = client_for("leader_n1a")
    assert client.get(reverse("outreach:delete", args=[mine.pk])).status_code == 200
    assert OutreachActivity.objects.filter(pk=mine.pk).exists()
    assert client.post(reverse("outreach:delete", args=[mine.pk])).url == reverse("outreach:list")
    assert not OutreachActivity.objects.filter(pk=mine.pk).exists()
