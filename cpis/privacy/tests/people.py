"""The people of the data-subject request tests: the data-protection
officer, and Jelena Petrović, held in every kind of record under other
spellings, scripts and formats, beside people who only look like her."""

import uuid
from dataclasses import dataclass

from django.utils import timezone

from cpis.accounts.tests.factories import UserFactory
from cpis.complaints import services as complaints
from cpis.complaints.models import Complaint
from cpis.concerns.models import Concern
from cpis.concerns.tests.factories import submit
from cpis.forums.models import ForumMember
from cpis.forums.tests.factories import ForumFactory, MemberFactory
from cpis.organisation.access import Actor
from cpis.organisation.models import Role
from cpis.organisation.tests.factories import RoleGrantFactory
from cpis.partners.models import PartnerContact, Volunteer
from cpis.partners.tests import factories as partners
from cpis.privacy.services import requests as services


def officer(tree):
    """The data-protection officer, who holds the role nationally."""
    user = UserFactory(username="data.protection")
    RoleGrantFactory(user=user, unit=tree.root, role=Role.DATA_PROTECTION_OFFICER)
    return user


def officer_actor(tree) -> Actor:
    return Actor.for_user(officer(tree))


@dataclass
class Held:
    concern: Concern
    complaint: Complaint
    member: ForumMember
    contact: PartnerContact
    volunteer: Volunteer
    others: list[object]


def complain(**fields) -> Complaint:
    return complaints.submit_complaint(
        description="Më trajtuan keq në stacion.", language="sr", idempotency_key=uuid.uuid4().hex, **fields
    ).complaint


def jelena(tree) -> Held:
    """Jelena Petrović in each kind of record, each time written differently,
    and people who share a name, an address or most of a number with her."""
    forum = ForumFactory(unit=tree.n1a)
    partner = partners.partner(tree.n1)
    return Held(
        concern=submit(
            reporter_name="Jelena Petrović",
            reporter_email="Jelena.P@Example.org",
            reporter_phone="+383 44 123 456",
        ).concern,
        complaint=complain(name="JELENA PETROVIC", phone="044123456", unit=tree.n1),
        member=MemberFactory(forum=forum, name="Јелена Петровић", email="jelena.p@example.org", phone=""),
        contact=partners.contact(partner, name="Petrović-Ilić Jelena", phone="", email=""),
        volunteer=partners.volunteer(tree.n1a, name="Jelena Petrović", contact="00383 44 123 456"),
        others=[
            submit(reporter_name="Milena Petrović", reporter_email="milena@example.org").concern,
            submit(reporter_name="Jelena Petrovska", reporter_phone="044 123 457").concern,
            MemberFactory(
                forum=forum, name="Jelena Jović", email="jelena.p@example.org.mk", phone="+383 44 999 456"
            ),
            partners.contact(
                partner, name="Arta Krasniqi", phone="+383 49 123 456", email="arta@example.org"
            ),
        ],
    )


def request_for_jelena(actor: Actor, *, kind: str = "access", **fields):
    data = {
        "kind": kind,
        "requester_name": "Jelena Petrović",
        "requester_contact": "Rruga e Dëshmorëve 4, Mitrovicë",
        "received_on": timezone.localdate(),
        "names": "Jelena Petrovic",
        "emails": "JELENA.P@example.org",
        "phones": "044 123 456",
    }
    data.update(fields)
    return services.record_request(actor, data=services.RequestData(**data))
