"""Records of the partners app made through its own services, as a user would."""

from datetime import date
from decimal import Decimal

from cpis.organisation.access import Actor
from cpis.partners import services
from cpis.partners.models import (
    AgreementKind,
    AgreementStatus,
    InterestGroupKind,
    PartnerKind,
    PartnerLevel,
    RecipientKind,
)

SYSTEM = Actor.system()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def partner(unit, *, name="Komuna e Mitrovicës", level=PartnerLevel.LOCAL, kind=PartnerKind.MUNICIPAL, **kw):
    data = services.PartnerData(kind=kind, name=name, level=level, unit=unit, **kw)
    return services.register_partner(SYSTEM, data=data)


def contact(partner, *, name="Arta Krasniqi", phone="+383 44 123 456", email="arta@example.org", **kw):
    data = services.ContactData(
        name=name, phone=phone, email=email, position="Drejtoreshë", consent=True, **kw
    )
    return services.add_contact(SYSTEM, partner=partner, data=data)


def agreement(unit, partners, *, status=AgreementStatus.SIGNED, signed_on=date(2013, 5, 2), **kw):
    data = services.AgreementData(
        kind=AgreementKind.MEMORANDUM,
        title=kw.pop("title", "Memorandum bashkëpunimi"),
        unit=unit,
        partners=partners,
        status=status,
        signed_on=signed_on if status != AgreementStatus.DRAFT else None,
        **kw,
    )
    return services.record_agreement(SYSTEM, data=data)


def group(
    unit,
    *,
    name="Roja e Lagjes Bair",
    founded_on=date(2013, 3, 1),
    kind=InterestGroupKind.NEIGHBOURHOOD_WATCH,
):
    return services.register_group(
        SYSTEM, data=services.GroupData(kind=kind, name=name, unit=unit, founded_on=founded_on)
    )


def volunteer(unit, *, name="Dritan Berisha", joined_on=date(2013, 1, 10), left_on=None, group=None,
              contact="+383 49 555 111"):  # fmt: skip
    data = services.VolunteerData(
        name=name, unit=unit, joined_on=joined_on, left_on=left_on, group=group, contact=contact
    )
    return services.enrol_volunteer(SYSTEM, data=data)


def recognition_data(
    unit, *, recipient_kind=RecipientKind.CITIZEN, recipient_name="Agim Gashi", reason="Ndihmë", **kw
):
    """What award_recognition takes: a citizen's recognition at `unit`, awarded on 6 September 2014."""
    kw.setdefault("awarded_on", date(2014, 9, 6))
    return services.RecognitionData(
        recipient_kind=recipient_kind, recipient_name=recipient_name, reason=reason, unit=unit, **kw
    )


def hours(volunteer, day, amount, activity="Ndihmë në trafik para shkollës"):
    return services.record_hours(
        SYSTEM, volunteer=volunteer, day=day, hours=Decimal(amount), activity=activity
    )
