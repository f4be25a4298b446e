"""The inbox pages: one's own notifications only, newest first, unread marked;
opening reads and goes on; marking read by POST; the choices per kind; the
badge on the staff bar."""

import pytest
from django.urls import reverse

from cpis.notifications import services
from cpis.notifications.models import Kind, Mode, Notification, Preference


@pytest.fixture
def told(staff):
    """Two notifications for the sector officer, the newer one first."""
    officer = staff("officer_n1a")

    def tell(key, title):
        return services.notify(
            kind=Kind.CONCERN_ASSIGNED, recipients=[officer], key=key, title=title, link="/staff/concerns/"
        )[0]

    older = tell("a", "Older news")
    newer = tell("b", "Newer news")
    return older, newer


def test_the_inbox_lists_my_notifications_newest_first(told, client_for, django_assert_max_num_queries):
    client = client_for("officer_n1a")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("notifications:inbox")).content.decode()
    assert page.index("Newer news") < page.index("Older news")
    assert page.count("notification-unread") == 2


def test_nobody_else_sees_them(told, client_for):
    older, _newer = told
    for name in ("leader_n1a", "commander_n1", "admin"):
        client = client_for(name)
        assert "Older news" not in client.get(reverse("notifications:inbox")).content.decode()
        assert client.get(reverse("notifications:open", args=[older.pk])).status_code == 404
        assert client.post(reverse("notifications:read", args=[older.pk])).status_code == 404
    assert Notification.objects.get(pk=older.pk).read_at is None


def test_a_missing_notification_is_404(client_for, tree):
    assert client_for("officer_n1a").get(reverse("notifications:open", args=[999])).status_code == 404


def test_opening_a_notification_reads_it_and_goes_to_its_link(told, client_for):
    older, _newer = told
    response = client_for("officer_n1a").get(reverse("notifications:open", args=[older.pk]))
    assert response.status_code == 302 and response["Location"] == "/staff/concerns/"
    older.refresh_from_db()
    assert older.read_at is not None


def test_a_link_off_the_site_is_not_followed(staff, client_for):
    [notification] = services.notify(
        kind=Kind.CONCERN_ASSIGNED, recipients=[staff("officer_n1a")], key="x", title="t",
        link="https://evil.example/",
    )  # fmt: skip
    response = client_for("officer_n1a").get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:inbox")


def test_marking_read_takes_a_post(told, client_for):
    older, newer = told
    client = client_for("officer_n1a")
    assert client.get(reverse("notifications:read", args=[older.pk])).status_code == 405
    assert client.post(reverse("notifications:read", args=[older.pk])).status_code == 302
    older.refresh_from_db(), newer.refresh_from_db()
    assert older.read_at is not None and newer.read_at is None
    client.post(reverse("notifications:read_all"))
    newer.refresh_from_db()
    assert newer.read_at is not None
    assert "notification-unread" not in client.get(reverse("notifications:inbox")).content.decode()


def test_marking_read_needs_the_csrf_token(told, persona):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(persona("officer_n1a"))
    assert client.post(reverse("notifications:read_all")).status_code == 403
    assert Notification.objects.unread().count() == 2


def test_the_unread_count_is_a_badge_on_the_staff_bar(told, client_for, settings):
    reader = client_for("officer_n1a")
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = reader.get(reverse("organisation:home")).content.decode()
    assert reverse("notifications:inbox") in page
    assert '<span class="badge badge-danger">2<span class="visually-hidden"> unread notifications' in page
    other = client_for("leader_n1a")
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    quiet = other.get(reverse("organisation:home")).content.decode()
    assert "unread notifications" not in quiet


def test_the_preferences_page_saves_a_mode_per_kind(client_for, persona):
    client = client_for("officer_n1a")
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert str(Kind.CONCERN_ASSIGNED.label) in page
    assert str(Kind.COMPLAINT_ARRIVED.label) not in page  # not for a sector officer
    kinds = (
        "concern_assigned",
        "citizen_wrote",
        "concern_overdue",
        "action_due",
        "high_tension",
        "emerging_cluster",
        "near_repeat",
        "appraisal_submitted",
    )
    data = dict.fromkeys(kinds, Mode.IMMEDIATELY)
    data["concern_overdue"] = Mode.OFF
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    assert Preference.objects.get(user=persona("officer_n1a"), kind="concern_overdue").mode == Mode.OFF


def test_a_bad_choice_changes_nothing(client_for, persona):
    client = client_for("officer_n1a")
    response = client.post(reverse("notifications:preferences"), {"concern_assigned": "sometimes"})
    assert response.status_code == 400
    assert not Preference.objects.exists()


def test_the_pages_are_for_staff(client_for, tree):
    assert client_for("citizen").get(reverse("notifications:inbox")).status_code == 302
    assert client_for("no_role").get(reverse("notifications:inbox")).status_code == 404


def test_unread_notifications_are_on_my_work_today(told, client_for, settings):
    reader = client_for("officer_n1a")
    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = reader.get(reverse("organisation:home")).content.decode()
    assert reverse("notifications:inbox") + "?unread=1" in page and "unread notifications" in page
