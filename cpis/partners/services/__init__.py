"""Writes for partners: partners and their contacts (`partners`), agreements
(`agreements`), interest groups, volunteers and their hours (`volunteers`)
and recognitions (`recognitions`), with the checks they share (`checks`).
Every service checks the actor's permission at the
record's unit first, validates everything before it writes, and runs in
one transaction: a refused change leaves nothing behind."""

from cpis.core.uploads import Upload

from .agreements import (
    AgreementData,
    DraftHasNoSigningDate,
    PartnerOutsideUnit,
    SignedAgreementNeedsDate,
    ValidBeforeSigned,
    attach_agreement_document,
    record_agreement,
    update_agreement,
)
from .checks import EARLIEST, MAX_DOCUMENT_BYTES, DateInFuture, LevelDoesNotMatchUnit, check_document
from .partners import (
    ContactData,
    PartnerData,
    add_contact,
    register_partner,
    remove_contact,
    update_contact,
    update_partner,
)
from .recognitions import RecognitionData, award_recognition, update_recognition
from .volunteers import (
    DayOverfull,
    GroupData,
    GroupNotOnVolunteersBranch,
    HoursOutOfRange,
    HoursOutsideService,
    LeftBeforeJoining,
    VolunteerData,
    enrol_volunteer,
    record_hours,
    register_group,
    remove_hours,
    update_group,
    update_volunteer,
)

__all__ = [
    "EARLIEST",
    "MAX_DOCUMENT_BYTES",
    "AgreementData",
    "ContactData",
    "DateInFuture",
    "DayOverfull",
    "DraftHasNoSigningDate",
    "GroupData",
    "GroupNotOnVolunteersBranch",
    "HoursOutOfRange",
    "HoursOutsideService",
    "LeftBeforeJoining",
    "LevelDoesNotMatchUnit",
    "PartnerData",
    "PartnerOutsideUnit",
    "RecognitionData",
    "SignedAgreementNeedsDate",
    "Upload",
    "ValidBeforeSigned",
    "VolunteerData",
    "add_contact",
    "attach_agreement_document",
    "award_recognition",
    "check_document",
    "enrol_volunteer",
    "record_agreement",
    "record_hours",
    "register_group",
    "register_partner",
    "remove_contact",
    "remove_hours",
    "update_agreement",
    "update_contact",
    "update_group",
    "update_partner",
    "update_recognition",
    "update_volunteer",
]
