from datetime import date, timedelta

import factory
from django.utils import timezone

from cpis.forums.models import (
    ActionItem,
    Forum,
    ForumKind,
    ForumMember,
    Gender,
    Meeting,
    MeetingStatus,
    PressRelease,
)


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    kind = ForumKind.LPSC
    name = factory.Sequence(lambda n: f"Komiteti Lokal për Siguri Publike {n}")
    language = "sq"
    unit = None  # required: pass the place
    unit_path = factory.LazyAttribute(lambda o: o.unit.path)
    established_on = date(2012, 1, 1)
    meetings_per_year = 6


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumMember

    forum = factory.SubFactory(ForumFactory)
    name = factory.Sequence(lambda n: f"Anëtari {n}")
    community = "albanian"
    gender = Gender.MALE
    phone = factory.Sequence(lambda n: f"+383 44 100 {n:03d}")
    email = factory.Sequence(lambda n: f"anetari{n}@example.net")
    consent_to_contact = True
    term_start = date(2012, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    forum = factory.SubFactory(ForumFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    place = "Shkolla fillore"
    status = MeetingStatus.PLANNED


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    meeting = factory.SubFactory(MeetingFactory, status=MeetingStatus.HELD)
    text = "Të kontaktohet komuna për ndriçimin"
    owner_name = "Kryetari"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))


class PressReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PressRelease

    forum = factory.SubFactory(ForumFactory)
    title = "Takim me banorët"
    body = "U diskutua për sigurinë në trafik."
