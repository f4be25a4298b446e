"""The second factor across the apps: no staff page opens with a password
alone (ASVS v5.0.0-6.3.3); a complaint, a reporter's contact and a forum's
member contacts need a fresh one; and the roles that must enrol by default
are the roles that may read personal data."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cpis.accounts.tests.factories import (
    code_of,
    english,
    give_app,
    give_code,
    next_of,
    sign_in,
    signed_in_with_app,
)
from cpis.core.views import ACCESS_ATTRIBUTE

from .test_url_guards import _routes

STALE = timedelta(seconds=settings.MFA_FRESH_SECONDS + 60)


@pytest.fixture
def commander(persona):
    return english(persona("commander_n1"))


@pytest.fixture
def standards(persona):
    return english(persona("standards"))


def test_no_staff_page_opens_with_the_password_alone(tree, commander):
    give_app(commander)
    client = Client()
    sign_in(client, "commander_n1")
    step_pages = {reverse("accounts:second_factor"), reverse("accounts:second_factor_setup")}
    checked = 0
    for route, callback in _routes():
        if getattr(callback, ACCESS_ATTRIBUTE) != "staff" or route.startswith("accounts/"):
            continue  # public pages, and the second factor's own
        url = "/" + re.sub(r"<\w+:\w+>", "x", re.sub(r"<int:\w+>", str(tree.n1.pk), route))
        response = client.get(url)
        assert response.status_code in {302, 405}, url
        if response.status_code == 302:
            assert urlsplit(response["Location"]).path in step_pages, url
            checked += 1
    assert checked > 50
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:second_factor"))
    assert client.get("/api/v1/concerns").status_code == 401


@pytest.fixture
def complaint(tree):
    from cpis.complaints.tests.test_complaints import complain

    return complain(unit=tree.n1, name="Drita", email="drita@example.org").complaint


def test_a_complaint_opens_while_the_second_factor_is_fresh_and_asks_again_later(standards, complaint):
    client, device = signed_in_with_app(standards)
    detail = reverse("complaints:detail", args=[complaint.pk])
    client.post(detail, {"purpose": "investigation"})
    assert complaint.reference in client.get(detail).content.decode()

    with time_machine.travel(timezone.now() + STALE, tick=False):
        response = client.get(detail)
        assert response["Location"].startswith(reverse("accounts:second_factor"))
        assert next_of(response) == detail
        # The contact is a POST: it comes back to the page the form was on.
        response = client.post(
            reverse("complaints:contact", args=[complaint.pk]), HTTP_REFERER=f"http://testserver{detail}"
        )
        assert next_of(response) == detail
        assert "drita@example.org" not in response.content.decode()
        response = client.get(detail, HTTP_HX_REQUEST="true")
        assert response["HX-Redirect"].startswith(reverse("accounts:second_factor"))

        response = give_code(client, code_of(device), detail)
        assert response["Location"] == detail
        contact = client.post(
            reverse("complaints:contact", args=[complaint.pk]), {"purpose": "investigation"}
        )
        assert "drita@example.org" in contact.content.decode()


def test_a_reporters_contact_needs_a_fresh_second_factor(tree, commander, categories):
    from cpis.concerns.tests.factories import submit

    concern = submit(reporter_email="qytetar@example.org").concern
    client, _app = signed_in_with_app(commander)
    url = reverse("concerns:contact", args=[concern.pk])
    assert "qytetar@example.org" in client.post(url, {"purpose": "contact"}).content.decode()
    with time_machine.travel(timezone.now() + STALE, tick=False):
        response = client.post(url, {"purpose": "contact"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:second_factor"))


def test_a_forums_member_contacts_need_a_fresh_second_factor(tree, commander):
    from cpis.forums.tests.factories import ForumFactory, MemberFactory

    member = MemberFactory(forum=ForumFactory(unit=tree.n1))
    client, _app = signed_in_with_app(commander)
    url = reverse("forums:contacts", args=[member.forum.pk])
    assert member.phone in client.post(url).content.decode()
    with time_machine.travel(timezone.now() + STALE, tick=False):
        response = client.post(url)
        assert response["Location"].startswith(reverse("accounts:second_factor"))


def test_a_user_without_a_second_factor_is_not_stopped_by_the_fresh_check(standards, complaint, client_for):
    client = client_for("standards")
    detail = reverse("complaints:detail", args=[complaint.pk])
    assert client.post(detail, {"purpose": "investigation"})["Location"] == detail
    assert complaint.reference in client.get(detail).content.decode()


def test_the_roles_required_to_enrol_by_default_are_those_that_read_personal_data():
    from cpis.complaints.policy import policy as complaints
    from cpis.concerns.policy import policy as concerns
    from cpis.forums.policy import policy as forums
    from cpis.organisation.policy import policy as organisation
    from cpis.partners.policy import policy as partners
    from cpis.privacy.policy import policy as privacy
    from cpis.problems.policy import policy as problems
    from cpis.settings import base
    from cpis.training.policy import policy as training

    readers = (
        concerns.roles_for("view_contact")
        | complaints.roles_for("view")
        | forums.roles_for("view_contact")
        | partners.roles_for("view_contact")
        | organisation.roles_for("view_personal_data")
        | training.roles_for("view_records")
        | training.roles_for("manage_course")
        | privacy.roles_for("audit")
        | privacy.roles_for("answer_requests")
        | problems.roles_for("vulnerable_read")
    )
    assert set(base.MFA_REQUIRED_ROLES) == {str(role) for role in readers}
