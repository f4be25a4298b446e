"""Agreements with partners: drafts, signing, validity and the signed document."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import check_choice, clean_text
from cpis.core.uploads import Upload
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from ..models import (
    SIGNED_STATUSES,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Partner,
)
from ..policy import policy
from .checks import check_document, check_past, require_move, save_at


class ValidBeforeSigned(DomainError):
    message = gettext_lazy("An agreement cannot stop being valid before it was signed.")


class DraftHasNoSigningDate(DomainError):
    message = gettext_lazy("A draft is not signed yet: leave the signing date empty.")


class SignedAgreementNeedsDate(DomainError):
    message = gettext_lazy("A signed, expired or terminated agreement needs the date it was signed.")


class PartnerOutsideUnit(DomainError):
    message = gettext_lazy("Every partner of an agreement must be held by its unit or by a unit below it.")


@dataclass(frozen=True)
class AgreementData:
    kind: str
    title: str
    unit: Unit
    partners: Sequence[Partner]
    status: str = AgreementStatus.DRAFT
    signed_on: date | None = None
    valid_until: date | None = None
    notes: str = ""


def _check_agreement(data: AgreementData) -> None:
    check_choice(data.kind, AgreementKind.values, _("Choose the kind of agreement."))
    check_choice(data.status, AgreementStatus.values, _("Choose a status."))
    if not data.partners:
        raise InvalidInput(_("Choose at least one partner."))
    if any(not p.unit_path.startswith(data.unit.path) for p in data.partners):
        raise PartnerOutsideUnit()
    if data.status in SIGNED_STATUSES and data.signed_on is None:
        raise SignedAgreementNeedsDate()
    if data.status == AgreementStatus.DRAFT and data.signed_on is not None:
        raise DraftHasNoSigningDate()
    check_past(data.signed_on)
    if data.signed_on and data.valid_until and data.valid_until < data.signed_on:
        raise ValidBeforeSigned()


def _store_document(agreement: Agreement, name: str, data: bytes) -> None:
    old = agreement.document.name if agreement.document else ""
    agreement.document.save(name, ContentFile(data), save=False)
    agreement.document_name = name
    agreement.document_size = len(data)
    if old:
        storage = agreement.document.storage
        # The old file goes only once the new one is committed.
        transaction.on_commit(lambda: storage.delete(old))


def _save_agreement(agreement: Agreement, data: AgreementData, document: Upload | None) -> Agreement:
    _check_agreement(data)
    checked = check_document(document) if document is not None else None
    agreement.kind = data.kind
    agreement.title = clean_text(data.title, limit=300, required=True, missing=_("Enter a title."))
    agreement.status = data.status
    agreement.signed_on = data.signed_on
    agreement.valid_until = data.valid_until
    agreement.notes = clean_text(data.notes, limit=4000, required=False)
    if checked is not None:
        _store_document(agreement, checked.name, checked.data)
    save_at(agreement, data.unit)
    agreement.partners.set(data.partners)
    return agreement


@transaction.atomic
def record_agreement(actor: Actor, *, data: AgreementData, document: Upload | None = None) -> Agreement:
    """Record an agreement, memorandum or administrative guideline [2.1.2] of
    a unit with partners held by it or below it, with its signed PDF."""
    policy.require(actor, "manage", data.unit.path)
    return _save_agreement(Agreement(created_by_id=actor.user_id), data, document)


@transaction.atomic
def update_agreement(
    actor: Actor, *, agreement: Agreement, data: AgreementData, document: Upload | None = None
) -> Agreement:
    require_move(actor, agreement.unit_path, data.unit)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    return _save_agreement(agreement, data, document)


@transaction.atomic
def attach_agreement_document(actor: Actor, *, agreement: Agreement, upload: Upload) -> Agreement:
    """Attach (or replace) the signed document: a PDF of at most 10 MB. A
    refused file changes nothing."""
    policy.require(actor, "manage", agreement.unit_path)
    checked = check_document(upload)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _store_document(agreement, checked.name, checked.data)
    agreement.save(update_fields=["document", "document_name", "document_size", "updated_at"])
    return agreement
