"""Concerns raised at a community safety forum meeting are recorded through
the concerns service, linked to the meeting and placed at the forum's sector."""

import uuid

import pytest
from django.urls import reverse

from cpis.concerns.models import Channel, Concern
from cpis.concerns.tests.factories import submit
from cpis.core.errors import InvalidInput
from cpis.forums.tests.factories import ForumFactory, MeetingFactory


@pytest.fixture
def meeting(tree):
    return MeetingFactory(forum=ForumFactory(unit=tree.n1a, unit_path=tree.n1a.path))


def test_a_concern_raised_at_a_meeting_goes_to_the_forums_sector(tree, meeting, actor_for, categories):
    concern = submit(
        actor=actor_for("leader_n1a"), channel=Channel.FORUM, lat=None, lon=None, forum_meeting_id=meeting.pk
    ).concern
    assert concern.forum_meeting == meeting
    assert (concern.sector, concern.unit_path) == (tree.n1a, tree.n1a.path)
    assert list(Concern.objects.filter(forum_meeting=meeting)) == [concern]


def test_a_meeting_needs_the_forum_channel(tree, meeting, actor_for, categories):
    with pytest.raises(InvalidInput):
        submit(actor=actor_for("leader_n1a"), channel=Channel.PHONE, forum_meeting_id=meeting.pk)
    assert not Concern.objects.exists()


def test_the_entry_form_comes_prefilled_from_the_meeting_page(tree, meeting, client_for, categories):
    client = client_for("leader_n1a")
    page = client.get(reverse("concerns:enter"), {"meeting": meeting.pk})
    assert page.context["form"].initial["channel"] == "forum"
    response = client.post(
        reverse("concerns:enter"),
        {
            "channel": "forum", "category": "public-order", "description": "Ndriçimi mungon te shkolla.",
            "language": "sq", "submission_key": uuid.uuid4().hex, "meeting": meeting.pk,
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert Concern.objects.get().forum_meeting == meeting
