"""Staff pages of forums: who sees what, contacts that are logged, the
meeting from planning to minutes, action items, sites, exports."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cpis.accounts.models import AccessLogEntry
from cpis.forums.models import (
    ActionItem,
    ActionStatus,
    Forum,
    ForumMember,
    Meeting,
    MeetingStatus,
    ProposedSite,
    SiteStatus,
)

from .factories import ActionItemFactory, ForumFactory, MeetingFactory, MemberFactory


def _past(days: int):
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def forum(tree):
    return ForumFactory(unit=tree.n1a, name="Komiteti Lokal për Siguri Publike Sektori A")


@pytest.fixture
def member(forum):
    return MemberFactory(forum=forum, name="Drita Gashi", phone="+383 44 555 111", email="drita@example.net")


# --- the forums list ---------------------------------------------------------------------


def _populate(tree, count: int) -> None:
    for i in range(count):
        forum = ForumFactory(unit=tree.n1a if i % 2 else tree.n1b)
        members = [MemberFactory(forum=forum) for _ in range(3)]
        meeting = MeetingFactory(forum=forum, starts_at=_past(20 + i), status=MeetingStatus.HELD)
        meeting.members_present.set(members)
        ActionItemFactory(meeting=meeting, due_on=timezone.localdate() - timedelta(days=1))


def test_the_forum_list_shows_the_places_forums_in_a_fixed_number_of_queries(
    tree, client_for, django_assert_max_num_queries
):
    client = client_for("commander_n1")
    _populate(tree, 3)
    with django_assert_max_num_queries(20):
        first = client.get(reverse("forums:list"))
    _populate(tree, 6)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("forums:list"))
    assert first.status_code == response.status_code == 200
    assert len(response.context["page"]) == 9
    assert response.context["actions"].overdue == 9
    assert response.context["figures"].members_now == 27


def test_the_forum_list_filters_by_place(tree, client_for):
    in_a, in_b = ForumFactory(unit=tree.n1a), ForumFactory(unit=tree.n1b)
    response = client_for("commander_n1").get(reverse("forums:list"), {"unit": tree.n1.pk, "kind": "lpsc"})
    assert {f.pk for f in response.context["page"]} == {in_a.pk, in_b.pk}
    response = client_for("directorate").get(reverse("forums:list"), {"unit": tree.s1.pk})
    assert list(response.context["page"]) == []


def test_professional_standards_do_not_see_forums_and_citizens_must_sign_in(forum, client_for):
    assert client_for("standards").get(reverse("forums:list")).status_code == 404
    assert client_for("standards").get(reverse("forums:detail", args=[forum.pk])).status_code == 404
    assert client_for("citizen").get(reverse("forums:list")).status_code == 302


def test_a_forum_of_another_station_is_not_found(forum, client_for):
    assert client_for("commander_s1").get(reverse("forums:detail", args=[forum.pk])).status_code == 404
    page = client_for("commander_n1").get(reverse("forums:detail", args=[forum.pk]))
    assert page.status_code == 200
    assert forum.name in page.content.decode()


def _forum_form(unit, name):
    """The new-forum form: an active LPSC of `unit` in Albanian, established on 2 April
    2013, meeting six times a year."""
    return {
        "kind": "lpsc",
        "name": name,
        "language": "sq",
        "unit": unit.pk,
        "established_on": "2013-04-02",
        "meetings_per_year": "6",
        "status": "active",
    }


def test_a_sector_leader_registers_a_forum(tree, client_for):
    form = _forum_form(tree.n1a, "Komiteti Lokal për Siguri Publike Sektori A")
    response = client_for("leader_n1a").post(reverse("forums:create"), form)
    forum = Forum.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("forums:detail", args=[forum.pk])
    assert forum.unit_path == tree.n1a.path


def test_a_forum_for_a_place_the_leader_does_not_keep_is_refused_and_not_saved(tree, client_for):
    client = client_for("leader_n1a")
    assert client.post(reverse("forums:create"), _forum_form(tree.n1b, "Forum")).status_code == 400
    assert client_for("officer_n1a").get(reverse("forums:create")).status_code == 403
    assert not Forum.objects.exists()


# --- members and their contacts -------------------------------------------------------------


def test_a_members_contact_is_shown_to_the_sector_leader_and_logged(forum, member, client_for, persona):
    client = client_for("leader_n1a")
    page = client.get(reverse("forums:detail", args=[forum.pk]))
    assert member.name in page.content.decode()
    assert member.phone not in page.content.decode()
    assert not AccessLogEntry.objects.reads().exists()
    shown = client.post(reverse("forums:contacts", args=[forum.pk]))
    assert shown.status_code == 200
    assert member.phone in shown.content.decode() and member.email in shown.content.decode()
    entry = AccessLogEntry.objects.reads().get()
    assert (entry.user, entry.subject_type, entry.subject_id) == (
        persona("leader_n1a"),
        "forums.forummember",
        str(member.pk),
    )
    assert entry.source == reverse("forums:contacts", args=[forum.pk])


def test_a_members_contact_is_hidden_from_a_sector_officer_and_another_stations_commander(
    forum, member, client_for
):
    officer = client_for("officer_n1a")
    page = officer.get(reverse("forums:detail", args=[forum.pk]))
    assert page.status_code == 200
    assert member.phone not in page.content.decode()
    assert "contacts" not in page.context or not page.context["can_view_contacts"]
    assert officer.post(reverse("forums:contacts", args=[forum.pk])).status_code == 403
    other = client_for("commander_s1")
    assert other.post(reverse("forums:contacts", args=[forum.pk])).status_code == 404
    assert other.get(reverse("forums:member_edit", args=[member.pk])).status_code == 404
    assert not AccessLogEntry.objects.reads().exists()


def test_editing_a_member_shows_the_contact_only_to_roles_that_may_see_it(forum, member, client_for):
    leader = client_for("leader_n1a").get(reverse("forums:member_edit", args=[member.pk]))
    assert member.phone in leader.content.decode()
    assert AccessLogEntry.objects.reads().count() == 1
    director = client_for("director_north").get(reverse("forums:member_edit", args=[member.pk]))
    assert director.status_code == 200
    assert member.phone not in director.content.decode()
    assert AccessLogEntry.objects.reads().count() == 1


def test_a_member_is_added_with_contact_by_the_sector_leader(forum, client_for):
    response = client_for("leader_n1a").post(
        reverse("forums:member_create", args=[forum.pk]),
        {
            "name": "Milica Jovanović",
            "role": "secretary",
            "community": "serbian",
            "gender": "female",
            "age_band": "25_39",
            "phone": "+383 45 222 333",
            "email": "milica@example.net",
            "consent_to_contact": "on",
            "skills": "Говори албански",
            "term_start": "2014-05-01",
        },
    )
    assert response.status_code == 302
    member = ForumMember.objects.get()
    assert (member.phone, member.consent_to_contact, member.skills) == (
        "+383 45 222 333",
        True,
        "Говори албански",
    )


# --- meetings -------------------------------------------------------------------------------


def _record(client, meeting, *actions, forms=None, **fields):
    """Post the meeting's record: `fields` (attendance, minutes, decisions) and the
    formset of action items, `actions` filled in, of `forms` forms in all."""
    data = {
        **fields,
        "actions-TOTAL_FORMS": str(forms or len(actions)),
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "20",
    }
    for i, action in enumerate(actions):
        data.update({f"actions-{i}-{name}": value for name, value in action.items()})
    return client.post(reverse("forums:meeting_record", args=[meeting.pk]), data)


def test_a_meeting_is_scheduled_then_recorded_with_attendance_minutes_decisions_and_actions(
    forum, member, client_for
):
    client = client_for("leader_n1a")
    start = timezone.localtime(_past(1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("forums:meeting_create", args=[forum.pk]),
        {
            "kind": "regular",
            "starts_at": start,
            "duration_minutes": "120",
            "place": "Shkolla",
            "is_public": "on",
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("forums:meeting", args=[meeting.pk])
    page = client.get(reverse("forums:meeting", args=[meeting.pk]))
    # The concerns app's entry form, named "enter" (no import of concerns).
    assert f"{reverse('concerns:enter')}?channel=forum&amp;meeting={meeting.pk}" in page.content.decode()
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    response = _record(
        client,
        meeting,
        {"text": "Shkresa për komunën", "owner_name": "Kryetari", "due_on": due},
        forms=3,
        present=[member.pk],
        other_attendees="9",
        minutes="U diskutua për ndriçimin e rrugës.",
        decisions="Shkresë për komunën\n\nTakim me shkollën",
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert list(meeting.members_present.all()) == [member]
    assert meeting.decisions.count() == 2
    assert meeting.action_items.get().owner_name == "Kryetari"


def test_an_incomplete_action_row_is_refused_and_the_meeting_stays_planned(forum, client_for):
    meeting = MeetingFactory(forum=forum, starts_at=_past(1))
    response = _record(
        client_for("leader_n1a"),
        meeting,
        {"text": "Pa përgjegjës"},
        other_attendees="0",
        minutes="Procesverbali",
    )
    assert response.status_code == 400
    assert Meeting.objects.get().status == MeetingStatus.PLANNED
    assert not ActionItem.objects.exists()


def test_meeting_steps_publish_and_cancel_and_refuse_unknown_steps(forum, client_for):
    client = client_for("leader_n1a")
    held = MeetingFactory(forum=forum, starts_at=_past(3), status=MeetingStatus.HELD, minutes="Procesverbali")
    assert client.post(reverse("forums:meeting_act", args=[held.pk, "publish"])).status_code == 302
    held.refresh_from_db()
    assert held.minutes_published
    assert client.post(reverse("forums:meeting_act", args=[held.pk, "cancel"])).status_code == 400
    assert client.post(reverse("forums:meeting_act", args=[held.pk, "explode"])).status_code == 404
    assert client.get(reverse("forums:meeting_record", args=[held.pk]))["Location"] == reverse(
        "forums:meeting", args=[held.pk]
    )
    planned = MeetingFactory(forum=forum)
    client.post(reverse("forums:meeting_act", args=[planned.pk, "cancel"]), {"reason": "Mungesë kuorumi"})
    planned.refresh_from_db()
    assert (planned.status, planned.cancel_reason) == (MeetingStatus.CANCELLED, "Mungesë kuorumi")
    officer = client_for("officer_n1a")
    assert (
        officer.post(reverse("forums:meeting_act", args=[held.pk, "publish"]), {"publish": "0"}).status_code
        == 403
    )


# --- action items --------------------------------------------------------------------------


def test_the_action_list_shows_overdue_items_and_one_is_marked_done(
    tree, forum, client_for, django_assert_max_num_queries
):
    meeting = MeetingFactory(forum=forum, starts_at=_past(60), status=MeetingStatus.HELD)
    late = ActionItemFactory(meeting=meeting, due_on=timezone.localdate() - timedelta(days=3))
    soon = ActionItemFactory(meeting=meeting, due_on=timezone.localdate() + timedelta(days=3))
    ActionItemFactory(meeting__forum=ForumFactory(unit=tree.s1a), due_on=date(2014, 1, 1))
    client = client_for("leader_n1a")
    with django_assert_max_num_queries(15):
        response = client.get(reverse("forums:actions"), {"show": "overdue"})
    assert [row["item"].pk for row in response.context["rows"]] == [late.pk]
    assert response.context["summary"].open == 2
    assert response.context["summary"].overdue == 1
    opened = client.get(reverse("forums:actions"))
    assert [row["item"].pk for row in opened.context["rows"]] == [late.pk, soon.pk]
    assert all(row["may_complete"] for row in opened.context["rows"])
    done = client.post(
        reverse("forums:action_done", args=[late.pk]), {"note": "U krye", "next": reverse("forums:actions")}
    )
    assert done["Location"] == reverse("forums:actions")
    late.refresh_from_db()
    assert late.status == ActionStatus.DONE and late.note == "U krye"


def test_a_sector_officer_sees_action_items_but_may_not_close_them(forum, client_for):
    item = ActionItemFactory(meeting__forum=forum, meeting__starts_at=_past(9))
    client = client_for("officer_n1a")
    rows = client.get(reverse("forums:actions")).context["rows"]
    assert [(row["item"].pk, row["may_complete"]) for row in rows] == [(item.pk, False)]
    assert client.post(reverse("forums:action_done", args=[item.pk])).status_code == 403
    assert client_for("commander_s1").post(reverse("forums:action_done", args=[item.pk])).status_code == 404


# --- proposed sites -----------------------------------------------------------------------


def test_a_commander_records_a_site_and_marks_it_established(tree, client_for, django_assert_max_num_queries):
    client = client_for("commander_n1")
    response = client.post(
        reverse("forums:sites"),
        {"unit": tree.n1b.pk, "description": "Lagje e re pa forum", "identified_on": "2014-03-01"},
    )
    assert response.status_code == 302
    site = ProposedSite.objects.get()
    forum = ForumFactory(unit=tree.n1b)
    client.post(reverse("forums:site_status", args=[site.pk]), {"status": "established", "forum": forum.pk})
    site.refresh_from_db()
    assert (site.status, site.forum) == (SiteStatus.ESTABLISHED, forum)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("forums:sites"))
    assert page.context["rows"][0]["forums"] == [forum]


def test_a_bad_site_is_refused_and_a_sector_officer_cannot_add_one(tree, client_for):
    assert client_for("commander_n1").post(reverse("forums:sites"), {"unit": tree.n1b.pk}).status_code == 400
    officer = client_for("officer_n1a")
    assert officer.get(reverse("forums:sites")).context["form"] is None
    assert officer.post(reverse("forums:sites"), {"unit": tree.n1a.pk}).status_code == 403
    assert not ProposedSite.objects.exists()


# --- tension reports, trainers, press releases ------------------------------------------------


def test_tension_trainer_and_press_release_forms_save_and_show_on_the_forum(forum, member, client_for):
    client = client_for("leader_n1a")
    client.post(
        reverse("forums:tension_create", args=[forum.pk]),
        {"reported_on": "2015-06-01", "level": "medium", "summary": "Grindje pas ndeshjes", "follow_up": ""},
    )
    client.post(
        reverse("forums:trainer_create", args=[forum.pk]),
        {
            "member": member.pk,
            "on": "2015-06-02",
            "initiative": "Rruga e sigurt, SHFMU",
            "audience": "Nxënës",
        },
    )
    client.post(
        reverse("forums:release_create", args=[forum.pk]),
        {"title": "Takim me banorët", "body": "U diskutua për trafikun.", "language": "sq"},
    )
    release = forum.press_releases.get()
    client.post(reverse("forums:release_publish", args=[release.pk]))
    page = client.get(reverse("forums:detail", args=[forum.pk])).content.decode()
    for text in ("Grindje pas ndeshjes", "Rruga e sigurt, SHFMU", "Takim me banorët"):
        assert text in page
    release.refresh_from_db()
    assert release.is_published


# --- exports ---------------------------------------------------------------------------


def test_a_station_exports_its_meetings_as_csv_with_formulas_defused(tree, forum, client_for):
    MeetingFactory(forum=forum, starts_at=_past(5), status=MeetingStatus.HELD, place='=HYPERLINK("x")')
    MeetingFactory(forum=ForumFactory(unit=tree.s1a), starts_at=_past(5), place="Jugu")
    response = client_for("commander_n1").get(reverse("forums:export", args=["meetings", "csv"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "forum"
    assert len(rows) == 2
    assert rows[1][5].startswith("'=")


def test_action_items_export_as_xlsx_and_a_sector_officer_may_not_export(tree, forum, client_for):
    ActionItemFactory(meeting__forum=forum, meeting__starts_at=_past(5), text="Shkresa")
    response = client_for("leader_n1a").get(
        reverse("forums:export", args=["actions", "xlsx"]), {"unit": tree.n1a.pk}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][3] == "Shkresa"
    assert client_for("officer_n1a").get(reverse("forums:export", args=["actions", "csv"])).status_code == 403
    assert client_for("leader_n1a").get(reverse("forums:export", args=["members", "csv"])).status_code == 404
