import uuid

import pytest
from django.urls import reverse

from cpis.accounts.models import AccessLogEntry
from cpis.concerns.models import Concern, Status
from cpis.concerns.tests.factories import jpeg_with_gps, submit
from cpis.organisation.tests.factories import AssignmentFactory, OfficerFactory


@pytest.fixture
def officer(tree):
    officer = OfficerFactory(unit=tree.n1, first_name="Besnik", last_name="Gashi")
    AssignmentFactory(officer=officer, sector=tree.n1a)
    return officer


def test_the_queue_shows_the_concerns_of_the_users_places_only(tree, client_for):
    mine = submit().concern
    theirs = submit(lat=41.95, lon=21.05).concern
    page = client_for("coordinator_n1").get(reverse("concerns:queue")).content.decode()
    assert mine.reference in page and theirs.reference not in page


def test_a_concern_of_another_place_answers_404(tree, client_for):
    concern = submit(lat=41.95, lon=21.05).concern
    assert client_for("coordinator_n1").get(reverse("concerns:detail", args=[concern.pk])).status_code == 404


def test_professional_standards_do_not_see_concerns(tree, client_for):
    concern = submit().concern
    assert client_for("standards").get(reverse("concerns:detail", args=[concern.pk])).status_code == 404


def test_the_queue_filters_and_paginates_with_a_fixed_number_of_queries(
    tree, client_for, django_assert_max_num_queries
):
    for _ in range(3):
        submit()
    client = client_for("coordinator_n1")
    client.get(reverse("concerns:queue"))
    for _ in range(30):
        submit()
    with django_assert_max_num_queries(14):
        response = client.get(reverse("concerns:queue"), {"status": "open"})
    assert response.content.decode().count("/staff/concerns/") >= 33


def test_an_officer_triages_assigns_and_replies_through_the_pages(tree, client_for, officer):
    concern = submit(reporter_email="a@example.org").concern
    client = client_for("coordinator_n1")
    act = lambda action: reverse("concerns:act", args=[concern.pk, action])  # noqa: E731
    assert (
        client.post(
            act("triage"), {"category": "public-order", "sector": tree.n1a.pk, "note": ""}
        ).status_code
        == 302
    )
    assert client.post(act("assign"), {"officer": officer.pk, "note": ""}).status_code == 302
    assert client.post(act("reply"), {"reply-text": "Po e shqyrtojmë."}).status_code == 302
    concern.refresh_from_db()
    assert concern.status == Status.ASSIGNED and concern.assigned_officer == officer
    assert concern.events.filter(kind="reply", is_public=True).exists()


def test_closing_without_a_reason_is_refused_with_the_form_shown_again(tree, client_for):
    concern = submit().concern
    response = client_for("coordinator_n1").post(
        reverse("concerns:act", args=[concern.pk, "close"]), {"status": "rejected", "reason": ""}
    )
    assert response.status_code == 400
    concern.refresh_from_db()
    assert concern.status == Status.RECEIVED


def test_a_duplicate_is_linked_by_its_reference(tree, client_for):
    first = submit().concern
    second = submit().concern
    client_for("coordinator_n1").post(
        reverse("concerns:act", args=[second.pk, "close"]),
        {
            "status": "duplicate",
            "reason": "Raportuar më herët",
            "duplicate_of": f"{first.reference[:4]}-{first.reference[4:]}",
        },
    )
    second.refresh_from_db()
    assert second.duplicate_of == first


def test_showing_the_reporters_contact_is_logged_and_only_for_roles_that_need_it(tree, client_for):
    concern = submit(reporter_email="qytetar@example.org").concern
    detail = client_for("coordinator_n1").get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert "qytetar@example.org" not in detail
    coordinator = client_for("coordinator_n1")
    unstated = coordinator.post(reverse("concerns:contact", args=[concern.pk]))
    assert unstated.status_code == 400  # a reporter's identity is read only for a stated reason
    assert "qytetar@example.org" not in unstated.content.decode()
    assert not AccessLogEntry.objects.reads().exists()
    vague = coordinator.post(reverse("concerns:contact", args=[concern.pk]), {"purpose": "other"})
    assert vague.status_code == 400 and not AccessLogEntry.objects.reads().exists()
    response = coordinator.post(
        reverse("concerns:contact", args=[concern.pk]), {"purpose": "other", "purpose_note": "  a witness  "}
    )
    assert "qytetar@example.org" in response.content.decode()
    [entry] = AccessLogEntry.objects.reads().filter(subject_type="concerns.concern")
    assert (entry.purpose, entry.purpose_note) == ("other", "a witness")
    assert client_for("officer_n1a").post(reverse("concerns:contact", args=[concern.pk])).status_code == 403


def test_the_photo_is_served_to_staff_only(tree, client, client_for):
    concern = submit(photo=jpeg_with_gps()).concern
    url = reverse("concerns:photo", args=[concern.pk])
    assert client.get(url).status_code == 302
    response = client_for("coordinator_n1").get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert client_for("commander_s1").get(url).status_code == 404


def test_staff_record_a_phone_concern(tree, client_for):
    response = client_for("officer_n1a").post(
        reverse("concerns:enter"),
        {
            "channel": "phone",
            "category": "traffic-safety",
            "description": "Thirrje: veturë e parkuar në trotuar.",
            "lat": "42.55",
            "lon": "21.05",
            "language": "sq",
            "submission_key": uuid.uuid4().hex,
        },
    )
    assert response.status_code == 302
    assert Concern.objects.get().channel == "phone"


def test_bulk_assignment(tree, client_for, officer):
    concerns = [submit().concern for _ in range(3)]
    response = client_for("coordinator_n1").post(
        reverse("concerns:bulk_assign"), {"concerns": [c.pk for c in concerns], "officer": officer.pk}
    )
    assert response.status_code == 302
    assert Concern.objects.filter(assigned_officer=officer).count() == 3


def test_bulk_assignment_ignores_numbers_no_record_can_have(tree, client_for, officer):
    """More digits than Python converts (4,300) or than a key holds: not a 500,
    a refusal that changes nothing."""
    concern = submit().concern
    for junk in ["9" * 5000, str(10**30), "-1", "١٢"]:
        response = client_for("coordinator_n1").post(
            reverse("concerns:bulk_assign"),
            {"concerns": [junk, concern.pk], "officer": officer.pk},
            follow=True,
        )
        assert response.status_code == 200, junk
        assert [m.level_tag for m in response.context["messages"]] == ["error"], junk
        assert not Concern.objects.filter(assigned_officer=officer).exists(), junk


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/staff/concerns/?status=received", "/staff/concerns/?status=received"),
        ("https://evil.example/phish", None),
        ("//evil.example/phish", None),
        ("", None),
    ],
)
def test_bulk_assignment_returns_to_the_page_it_came_from_but_never_off_site(
    tree, client_for, officer, next_url, expected
):
    concern = submit().concern
    response = client_for("coordinator_n1").post(
        reverse("concerns:bulk_assign"), {"concerns": [concern.pk], "officer": officer.pk, "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == (expected or reverse("concerns:queue"))
    assert Concern.objects.get().assigned_officer == officer


def test_the_moderation_queue_lists_held_concerns(tree, client_for):
    held = submit(description="CLICK http://a.example http://b.example http://c.example").concern
    page = client_for("coordinator_n1").get(reverse("concerns:queue"), {"held": "1"}).content.decode()
    assert held.reference in page
