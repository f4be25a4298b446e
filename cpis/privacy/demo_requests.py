"""The demo's data-subject requests, which the privacy demo loads after the
forums, partners and concerns demos: an open access request from a forum
member who also reported a concern and volunteers (their name, e-mail and
phone typed as a person would, in another script or format), and an erasure
request from a former forum member who reported a concern, answered through
the same services an officer uses (so its steps and access-log entries are
real)."""

from datetime import date, timedelta

from django.utils import translation

from cpis.concerns.models import CLOSED_STATUSES, OPEN_STATUSES, Concern
from cpis.core.i18n import fold, has_cyrillic, to_serbian_cyrillic, to_serbian_latin
from cpis.core.subjects import EMAIL
from cpis.forums.models import ForumMember
from cpis.organisation.access import Actor
from cpis.organisation.models import Role, RoleGrant
from cpis.partners import services as partners

from .models import RequestKind, RequestStatus, SubjectRequest, SubjectRequestStep
from .selectors import requests as selectors
from .services import requests as services


def clear_requests() -> None:
    SubjectRequestStep.objects.all().delete()
    SubjectRequest.objects.all().delete()


def _as_typed(name: str) -> str:
    """A Serbian name as someone types it in Cyrillic ("Željko Rakić" →
    "Жељко Ракић"); any other name without its diacritics."""
    cyrillic = to_serbian_cyrillic(name)
    whole = all(has_cyrillic(char) for char in cyrillic if char.isalpha())
    return cyrillic if whole and to_serbian_latin(cyrillic) == name else fold(name).title()


def _national(phone: str) -> str:
    """+383 44 123 456 → 044 123 456."""
    return "0" + phone.removeprefix("+383").strip() if phone.startswith("+383") else phone


def _concern(member: ForumMember, statuses: frozenset[str], taken: set[int]) -> Concern | None:
    """A concern a citizen left a contact on, near the member's forum if any."""
    concerns = (
        Concern.objects.filter(is_anonymous=False, status__in=statuses, contact_anonymised_at__isnull=True)
        .exclude(pk__in=taken)
        .order_by("pk")
    )
    return concerns.filter(unit_path__startswith=member.forum.unit_path).first() or concerns.first()


def _members() -> tuple[ForumMember | None, ForumMember | None]:
    """A current member of a Serbian-language forum with a Serbian name, and
    a former member of another forum, each with an e-mail address and a phone."""
    members = ForumMember.objects.exclude(email="").exclude(phone="").select_related("forum").order_by("pk")
    serbian = members.filter(forum__language="sr", community="serbian", term_end__isnull=True)[:50]
    current = next((m for m in serbian if not m.name.isascii()), None) or members.first()
    former = members.exclude(forum__language="sr").filter(term_end__isnull=False).first()
    return current, former


def load_requests(*, scale: str, seed: int, today: date) -> list[str]:
    # What the steps say is written in the language of the country's staff.
    with translation.override("sq"):
        return _load(today)


def _load(today: date) -> list[str]:
    grant = RoleGrant.objects.filter(role=Role.DATA_PROTECTION_OFFICER).select_related("user").first()
    current, former = _members()
    if grant is None or current is None or former is None:
        return []
    officer = Actor.for_user(grant.user)
    taken: set[int] = set()

    # The open access request: the person is a forum member, reported a concern
    # by phone last month and volunteers with the police under their e-mail.
    concern = _concern(current, OPEN_STATUSES, taken)
    if concern is not None:
        taken.add(concern.pk)
        Concern.objects.filter(pk=concern.pk).update(
            reporter_name=current.name, reporter_phone=current.phone, reporter_email=""
        )
    partners.enrol_volunteer(
        Actor.system(),
        data=partners.VolunteerData(
            name=current.name,
            unit=current.forum.unit,
            joined_on=today - timedelta(days=400),
            contact=current.email,
        ),
    )
    access = services.record_request(
        officer,
        data=services.RequestData(
            kind=RequestKind.ACCESS,
            requester_name=_as_typed(current.name),
            requester_contact=current.email,
            received_on=today - timedelta(days=9),
            names=_as_typed(current.name),
            emails=current.email.upper(),
            phones=_national(current.phone),
            note="Kërkon një kopje të gjithçkaje që policia mban për të.",
        ),
    )

    # The erasure request, answered: a former forum member who reported a concern.
    concern = _concern(former, CLOSED_STATUSES, taken)
    if concern is not None:
        Concern.objects.filter(pk=concern.pk).update(
            reporter_name=former.name, reporter_email=former.email, reporter_phone=""
        )
    erasure = services.record_request(
        officer,
        data=services.RequestData(
            kind=RequestKind.ERASURE,
            requester_name=former.name,
            requester_contact=former.email,
            received_on=today - timedelta(days=6),
            names=former.name,
            emails=former.email,
            note="U largua nga forumi dhe kërkon që të dhënat e tij të fshihen.",
        ),
    )
    services.run_search(officer, subject_request=erasure, http_request=None)
    services.export_found(officer, subject_request=erasure, http_request=None, download=True)
    reason = "Ligji nr. 06/L-082: të dhënat nuk nevojiten më për qëllimin për të cilin u mblodhën."
    # Records found by the name alone may be namesakes: only those found by the
    # person's e-mail address are theirs.
    for subject_type, subject_id, matched in selectors.found_records(selectors.latest_search(erasure)):
        if EMAIL not in matched:
            continue
        services.erase_record(
            officer,
            subject_request=erasure,
            subject_type=subject_type,
            subject_id=subject_id,
            legal_reason=reason,
        )
    services.close_request(
        officer,
        subject_request=erasure,
        status=RequestStatus.ANSWERED,
        outcome=(
            "I shkruam personit: emri dhe kontaktet e tij u hoqën nga anëtarësia e forumit dhe nga "
            "shqetësimi që raportoi; shqetësimi mbetet si regjistër policor."
        ),
    )
    return [
        f"Data-subject requests: {access.reference} (open, access) and {erasure.reference} "
        "(erasure, answered), for the data-protection officer."
    ]
