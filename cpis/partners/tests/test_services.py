"""Writes of the partners app against the database: who may make them, and
that a refused change leaves nothing behind."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from cpis.core.errors import InvalidInput
from cpis.organisation.tests.factories import MunicipalityFactory
from cpis.partners import services
from cpis.partners.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    InterestGroup,
    InterestGroupKind,
    Partner,
    PartnerContact,
    PartnerKind,
    PartnerLevel,
    RecipientKind,
    Recognition,
    VolunteerHours,
)
from cpis.partners.tests.factories import PDF, agreement, group, hours, partner, recognition_data, volunteer


def _data(unit, **overrides):
    fields = {
        "kind": PartnerKind.NGO,
        "name": "Shoqata e Grave Bair",
        "level": PartnerLevel.LOCAL,
        "unit": unit,
    }
    fields.update(overrides)
    return services.PartnerData(**fields)


def _media_files(media_root):
    return sorted(p.name for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


# --- partners ---------------------------------------------------------------------------


def test_a_station_coordinator_registers_a_local_partner_of_a_sector(tree, actor_for):
    tree.n1.municipality = MunicipalityFactory()
    tree.n1.save()
    tree.n1a.municipality = tree.n1.municipality
    tree.n1a.save()
    registered = services.register_partner(actor_for("coordinator_n1"), data=_data(tree.n1a))
    assert registered.unit_path == tree.n1a.path
    assert registered.municipality == tree.n1.municipality
    assert registered.identified_on == timezone.localdate()
    assert registered.created_by is not None


def test_a_central_partner_is_held_by_the_general_directorate_and_a_local_one_below_it(tree, actor_for):
    directorate = actor_for("directorate")
    central = services.register_partner(
        directorate, data=_data(tree.root, level=PartnerLevel.CENTRAL, kind=PartnerKind.MINISTRY)
    )
    assert central.level == PartnerLevel.CENTRAL and central.municipality is None
    with pytest.raises(services.LevelDoesNotMatchUnit):
        services.register_partner(directorate, data=_data(tree.root, level=PartnerLevel.LOCAL))
    with pytest.raises(services.LevelDoesNotMatchUnit):
        services.register_partner(directorate, data=_data(tree.n1, level=PartnerLevel.CENTRAL))
    assert Partner.objects.count() == 1


def test_a_sector_leader_registers_partners_of_their_own_sector_only(tree, actor_for):
    leader = actor_for("leader_n1a")
    assert services.register_partner(leader, data=_data(tree.n1a)).unit == tree.n1a
    with pytest.raises(Http404):
        services.register_partner(leader, data=_data(tree.n1b))
    with pytest.raises(Http404):
        services.register_partner(leader, data=_data(tree.n1))


def test_a_sector_officer_sees_but_may_not_register_partners(tree, actor_for):
    with pytest.raises(PermissionDenied):
        services.register_partner(actor_for("officer_n1a"), data=_data(tree.n1a))
    assert not Partner.objects.exists()


def test_moving_a_partner_needs_the_right_at_both_places(tree, actor_for):
    local = partner(tree.n1)
    with pytest.raises(Http404):
        services.update_partner(actor_for("coordinator_n1"), partner=local, data=_data(tree.s1))
    local.refresh_from_db()
    assert local.unit == tree.n1
    moved = services.update_partner(actor_for("director_north"), partner=local, data=_data(tree.n1b))
    assert moved.unit_path == tree.n1b.path


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"name": "   "}, InvalidInput),
        ({"name": "x" * 201}, InvalidInput),
        ({"kind": "spy"}, InvalidInput),
        ({"level": "galactic"}, InvalidInput),
        ({"identified_on": timezone.localdate() + timedelta(days=2)}, services.DateInFuture),
    ],
)
def test_bad_partner_input_is_refused_and_nothing_is_saved(tree, actor_for, overrides, error):
    with pytest.raises(error):
        services.register_partner(actor_for("coordinator_n1"), data=_data(tree.n1, **overrides))
    assert not Partner.objects.exists()


def test_a_contact_with_a_bad_phone_or_e_mail_is_refused(tree, actor_for):
    local = partner(tree.n1)
    coordinator = actor_for("coordinator_n1")
    for data in [
        services.ContactData(name="Arta", phone="call me maybe"),
        services.ContactData(name="Arta", email="arta@"),
        services.ContactData(name=""),
    ]:
        with pytest.raises(InvalidInput):
            services.add_contact(coordinator, partner=local, data=data)
    assert not PartnerContact.objects.exists()
    saved = services.add_contact(
        coordinator, partner=local, data=services.ContactData(name="Arta", phone="+383 (44) 123-456")
    )
    assert saved.phone == "+383 (44) 123-456"


def test_an_officer_may_not_add_or_remove_contacts(tree, actor_for):
    local = partner(tree.n1a)
    with pytest.raises(PermissionDenied):
        services.add_contact(actor_for("officer_n1a"), partner=local, data=services.ContactData(name="Arta"))
    kept = services.add_contact(
        actor_for("leader_n1a"), partner=local, data=services.ContactData(name="Arta")
    )
    with pytest.raises(PermissionDenied):
        services.remove_contact(actor_for("officer_n1a"), contact=kept)
    services.remove_contact(actor_for("leader_n1a"), contact=kept)
    assert not PartnerContact.objects.exists()


# --- agreements -----------------------------------------------------------------------


def test_an_agreement_is_recorded_with_its_partners_and_signed_pdf(tree, actor_for):
    municipality, school = partner(tree.n1), partner(tree.n1a, name="Shkolla Naim Frashëri")
    data = services.AgreementData(
        kind="memorandum",
        title="Memorandum për sigurinë në shkolla",
        unit=tree.n1,
        partners=[municipality, school],
        status=AgreementStatus.SIGNED,
        signed_on=date(2013, 4, 2),
        valid_until=date(2017, 4, 2),
    )
    recorded = services.record_agreement(
        actor_for("commander_n1"), data=data, document=services.Upload("memorandumi.pdf", PDF)
    )
    assert set(recorded.partners.all()) == {municipality, school}
    assert recorded.unit_path == tree.n1.path
    assert recorded.document_name == "memorandumi.pdf"
    assert recorded.document_size == len(PDF)
    assert recorded.document.read() == PDF


@pytest.mark.parametrize(
    ("status", "signed_on", "valid_until", "error"),
    [
        (AgreementStatus.SIGNED, None, None, services.SignedAgreementNeedsDate),
        (AgreementStatus.TERMINATED, None, None, services.SignedAgreementNeedsDate),
        (AgreementStatus.DRAFT, date(2013, 1, 1), None, services.DraftHasNoSigningDate),
        (AgreementStatus.SIGNED, date(2014, 1, 1), date(2013, 1, 1), services.ValidBeforeSigned),
        (AgreementStatus.SIGNED, timezone.localdate() + timedelta(days=3), None, services.DateInFuture),
        ("lost", None, None, InvalidInput),
    ],
)
def test_agreement_dates_and_status_must_agree(tree, actor_for, status, signed_on, valid_until, error):
    data = services.AgreementData(
        kind="agreement",
        title="Marrëveshje",
        unit=tree.n1,
        partners=[partner(tree.n1)],
        status=status,
        signed_on=signed_on,
        valid_until=valid_until,
    )
    with pytest.raises(error):
        services.record_agreement(actor_for("commander_n1"), data=data)
    assert not Agreement.objects.exists()


def test_an_agreement_names_only_partners_held_by_its_unit_or_below(tree, actor_for):
    station_partner, sector_partner = partner(tree.n1), partner(tree.n1a)
    data = services.AgreementData(
        kind="agreement", title="Marrëveshje", unit=tree.n1a, partners=[station_partner, sector_partner]
    )
    with pytest.raises(services.PartnerOutsideUnit):
        services.record_agreement(actor_for("coordinator_n1"), data=data)
    with pytest.raises(InvalidInput):
        services.record_agreement(
            actor_for("coordinator_n1"),
            data=services.AgreementData(kind="agreement", title="Marrëveshje", unit=tree.n1, partners=[]),
        )
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("memorandumi.docx", b"PK\x03\x04 a word document"),
        ("memorandumi.pdf", b"MZ\x90\x00 an executable named .pdf"),
        ("memorandumi.pdf.exe", PDF),
        ("memorandumi.pdf", PDF + b"\0" * (services.MAX_DOCUMENT_BYTES - len(PDF) + 1)),
    ],
)
def test_a_document_that_is_not_a_small_pdf_is_refused_and_changes_nothing(
    tree, actor_for, media_root, name, data
):
    signed = agreement(tree.n1, [partner(tree.n1)])
    signed = services.attach_agreement_document(
        actor_for("coordinator_n1"), agreement=signed, upload=services.Upload("first.pdf", PDF)
    )
    before = _media_files(media_root)
    with pytest.raises(InvalidInput):
        services.attach_agreement_document(
            actor_for("coordinator_n1"), agreement=signed, upload=services.Upload(name, data)
        )
    signed.refresh_from_db()
    assert signed.document_name == "first.pdf"
    assert signed.document.read() == PDF
    assert _media_files(media_root) == before


def test_a_refused_document_on_a_new_agreement_saves_no_agreement(tree, actor_for, media_root):
    data = services.AgreementData(
        kind="agreement",
        title="Marrëveshje",
        unit=tree.n1,
        partners=[partner(tree.n1)],
        status=AgreementStatus.SIGNED,
        signed_on=date(2015, 1, 1),
    )
    with pytest.raises(InvalidInput):
        services.record_agreement(
            actor_for("coordinator_n1"), data=data, document=services.Upload("scan.jpg", b"\xff\xd8\xff")
        )
    assert not Agreement.objects.exists()
    assert _media_files(media_root) == []


def test_replacing_the_document_removes_the_old_file_once_committed(
    tree, actor_for, media_root, django_capture_on_commit_callbacks
):
    signed = agreement(tree.n1, [partner(tree.n1)])
    coordinator = actor_for("coordinator_n1")
    signed = services.attach_agreement_document(
        coordinator, agreement=signed, upload=services.Upload("first.pdf", PDF)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.attach_agreement_document(
            coordinator, agreement=signed, upload=services.Upload("second.pdf", PDF + b"%2")
        )
    assert _media_files(media_root) == ["second.pdf"]


def test_a_sector_officer_may_not_attach_a_document(tree, actor_for):
    signed = agreement(tree.n1a, [partner(tree.n1a)])
    with pytest.raises(PermissionDenied):
        services.attach_agreement_document(
            actor_for("officer_n1a"), agreement=signed, upload=services.Upload("a.pdf", PDF)
        )


# --- interest groups, volunteers and hours ---------------------------------------------


def test_a_volunteer_joins_a_group_of_their_own_branch_only(tree, actor_for):
    watch = group(tree.n1)
    joined = volunteer(tree.n1a, group=watch)
    assert joined.group == watch and joined.unit_path == tree.n1a.path
    elsewhere = group(tree.s1)
    with pytest.raises(Http404):  # a group the actor cannot see
        services.enrol_volunteer(
            actor_for("director_north"),
            data=services.VolunteerData(
                name="Besa", unit=tree.n1, joined_on=date(2014, 1, 1), group=elsewhere
            ),
        )
    with pytest.raises(services.GroupNotOnVolunteersBranch):
        services.enrol_volunteer(
            actor_for("directorate"),
            data=services.VolunteerData(
                name="Besa", unit=tree.n1, joined_on=date(2014, 1, 1), group=elsewhere
            ),
        )


def test_a_volunteer_cannot_leave_before_joining(tree, actor_for):
    with pytest.raises(services.LeftBeforeJoining):
        services.enrol_volunteer(
            actor_for("coordinator_n1"),
            data=services.VolunteerData(
                name="Besa", unit=tree.n1, joined_on=date(2014, 1, 1), left_on=date(2013, 12, 31)
            ),
        )


def test_hours_of_a_quarter_up_to_a_whole_day_are_recorded(tree, actor_for):
    helper = volunteer(tree.n1a)
    entry = services.record_hours(
        actor_for("leader_n1a"), volunteer=helper, day=date(2014, 5, 1), hours="0,25", activity="Patrullim"
    )
    assert entry.hours == Decimal("0.25") and entry.recorded_by is not None
    assert hours(helper, date(2014, 5, 2), "24").hours == Decimal(24)


@pytest.mark.parametrize("amount", ["0", "-1", "24.01", "25", "abc", "1.234", "NaN", "Infinity", ""])
def test_hours_out_of_range_are_refused_and_nothing_is_saved(tree, actor_for, amount):
    helper = volunteer(tree.n1)
    with pytest.raises(services.HoursOutOfRange):
        services.record_hours(
            actor_for("coordinator_n1"), volunteer=helper, day=date(2014, 5, 1), hours=amount, activity="x"
        )
    assert not VolunteerHours.objects.exists()


def test_one_volunteer_cannot_give_more_than_24_hours_on_one_day(tree):
    helper = volunteer(tree.n1)
    hours(helper, date(2014, 5, 1), "20")
    with pytest.raises(services.DayOverfull):
        hours(helper, date(2014, 5, 1), "4.5")
    assert hours(helper, date(2014, 5, 1), "4").hours == Decimal(4)
    assert VolunteerHours.objects.count() == 2


def test_hours_outside_the_volunteers_service_or_in_the_future_are_refused(tree):
    helper = volunteer(tree.n1, joined_on=date(2013, 1, 10), left_on=date(2015, 6, 30))
    with pytest.raises(services.HoursOutsideService):
        hours(helper, date(2013, 1, 9), "2")
    with pytest.raises(services.HoursOutsideService):
        hours(helper, date(2015, 7, 1), "2")
    current = volunteer(tree.n1, name="Arbër Hoxha")
    with pytest.raises(services.DateInFuture):
        hours(current, timezone.localdate() + timedelta(days=1), "2")
    with pytest.raises(InvalidInput):
        hours(current, date(2014, 1, 1), "2", activity="  ")
    assert not VolunteerHours.objects.exists()


def test_a_sector_officer_may_not_record_hours(tree, actor_for):
    helper = volunteer(tree.n1a)
    with pytest.raises(PermissionDenied):
        services.record_hours(
            actor_for("officer_n1a"), volunteer=helper, day=date(2014, 5, 1), hours="2", activity="x"
        )


def test_service_dates_cannot_be_moved_past_recorded_hours(tree, actor_for):
    helper = volunteer(tree.n1, joined_on=date(2013, 1, 10))
    hours(helper, date(2013, 2, 1), "2")
    with pytest.raises(InvalidInput):
        services.update_volunteer(
            actor_for("coordinator_n1"),
            volunteer=helper,
            data=services.VolunteerData(name=helper.name, unit=tree.n1, joined_on=date(2013, 3, 1)),
        )
    helper.refresh_from_db()
    assert helper.joined_on == date(2013, 1, 10)


# --- recognitions ---------------------------------------------------------------------


def _recognition(unit, **fields):
    """A recognition awarded at the unit on Police Day 2014: of the partner
    (under its own name) when one is given, else of the citizen Agim Gashi."""
    if "partner" in fields:
        recipient = {"recipient_kind": RecipientKind.PARTNER, "recipient_name": ""}
    else:
        recipient = {"recipient_kind": RecipientKind.CITIZEN, "recipient_name": "Agim Gashi"}
    return services.RecognitionData(**recipient, awarded_on=date(2014, 9, 6), unit=unit, **fields)


def test_a_recognition_of_a_partner_takes_its_name_and_needs_a_reason(tree, actor_for):
    school = partner(tree.n1, name="Shkolla Sami Frashëri")
    commander = actor_for("commander_n1")
    data = recognition_data(
        tree.n1,
        recipient_kind=RecipientKind.PARTNER,
        recipient_name="",
        partner=school,
        reason="Për kontributin në sigurinë e shkollave",
        is_published=True,
    )
    recognition = services.award_recognition(commander, data=data)
    assert recognition.recipient_name == "Shkolla Sami Frashëri" and recognition.unit_path == tree.n1.path
    with pytest.raises(InvalidInput):
        services.award_recognition(commander, data=recognition_data(tree.n1, reason=""))
    assert Recognition.objects.count() == 1


def test_a_recognition_cannot_name_a_partner_the_actor_cannot_see(tree, actor_for):
    theirs = partner(tree.s1)
    with pytest.raises(Http404):
        services.award_recognition(
            actor_for("commander_n1"),
            data=recognition_data(
                tree.n1, recipient_kind=RecipientKind.PARTNER, recipient_name="", partner=theirs
            ),
        )


# --- editing agreements, groups and recognitions -----------------------------------------


def _agreement_data(unit, partners, **overrides):
    fields = {
        "kind": AgreementKind.MEMORANDUM,
        "title": "Memorandum bashkëpunimi",
        "unit": unit,
        "partners": partners,
        "status": AgreementStatus.SIGNED,
        "signed_on": date(2013, 5, 2),
    }
    fields.update(overrides)
    return services.AgreementData(**fields)


def test_editing_an_agreement_saves_its_fields_and_moves_it_only_with_the_right_at_both_places(
    tree, actor_for
):
    school = partner(tree.n1a, name="Shkolla Sami Frashëri")
    kept = agreement(tree.n1a, [school])
    with pytest.raises(Http404):  # a sector leader has no right at the station above
        services.update_agreement(
            actor_for("leader_n1a"), agreement=kept, data=_agreement_data(tree.n1, [school], title="Moved")
        )
    with pytest.raises(PermissionDenied):
        services.update_agreement(
            actor_for("officer_n1a"), agreement=kept, data=_agreement_data(tree.n1a, [school], title="Mine")
        )
    with pytest.raises(services.ValidBeforeSigned):
        services.update_agreement(
            actor_for("coordinator_n1"),
            agreement=kept,
            data=_agreement_data(tree.n1a, [school], valid_until=date(2012, 1, 1)),
        )
    kept.refresh_from_db()
    assert (kept.title, kept.unit_path, kept.valid_until) == ("Memorandum bashkëpunimi", tree.n1a.path, None)
    updated = services.update_agreement(
        actor_for("coordinator_n1"),
        agreement=kept,
        data=_agreement_data(
            tree.n1,
            [school],
            title="Memorandum i ripërtërirë",
            valid_until=date(2018, 5, 2),
            notes="Rishikuar",
        ),
        document=services.Upload("memorandumi.pdf", PDF),
    )
    updated.refresh_from_db()
    assert (updated.title, updated.unit, updated.unit_path, updated.valid_until, updated.notes) == (
        "Memorandum i ripërtërirë",
        tree.n1,
        tree.n1.path,
        date(2018, 5, 2),
        "Rishikuar",
    )
    assert list(updated.partners.all()) == [school]
    assert (updated.document_name, updated.document.read()) == ("memorandumi.pdf", PDF)
    assert Agreement.objects.count() == 1


def test_editing_a_group_saves_its_fields_and_a_refused_edit_changes_nothing(tree, actor_for):
    watch = group(tree.n1a)
    data = services.GroupData(
        kind=InterestGroupKind.SCHOOL_SAFETY_PATROL,
        name="Patrulla e shkollës Bair",
        unit=tree.n1a,
        founded_on=date(2014, 2, 1),
        is_active=False,
        description="Para dhe pas mësimit",
    )
    with pytest.raises(PermissionDenied):
        services.update_group(actor_for("officer_n1a"), group=watch, data=data)
    with pytest.raises(Http404):
        services.update_group(actor_for("leader_n1a"), group=watch, data=replace(data, unit=tree.n1b))
    with pytest.raises(InvalidInput):
        services.update_group(
            actor_for("leader_n1a"), group=InterestGroup.objects.get(), data=replace(data, name=" ")
        )
    watch.refresh_from_db()
    assert (watch.name, watch.kind, watch.is_active) == (
        "Roja e Lagjes Bair",
        InterestGroupKind.NEIGHBOURHOOD_WATCH,
        True,
    )
    services.update_group(actor_for("leader_n1a"), group=watch, data=data)
    watch.refresh_from_db()
    assert (
        watch.kind,
        watch.name,
        watch.unit_path,
        watch.founded_on,
        watch.is_active,
        watch.description,
    ) == (
        InterestGroupKind.SCHOOL_SAFETY_PATROL,
        "Patrulla e shkollës Bair",
        tree.n1a.path,
        date(2014, 2, 1),
        False,
        "Para dhe pas mësimit",
    )


def test_editing_a_recognition_saves_its_fields_and_checks_both_places(tree, actor_for):
    commander = actor_for("commander_n1")
    data = recognition_data(tree.n1, reason="Ndihmë në kërkimin e fëmijës së humbur")
    recognition = services.award_recognition(commander, data=data)
    school = partner(tree.n1a, name="Shkolla Sami Frashëri")
    changed = replace(
        data,
        recipient_kind=RecipientKind.PARTNER,
        recipient_name="",
        partner=school,
        unit=tree.n1a,
        is_published=True,
    )
    with pytest.raises(Http404):
        services.update_recognition(actor_for("commander_s1"), recognition=recognition, data=changed)
    with pytest.raises(Http404):
        services.update_recognition(commander, recognition=recognition, data=replace(changed, unit=tree.s1))
    with pytest.raises(InvalidInput):
        services.update_recognition(
            commander, recognition=Recognition.objects.get(), data=replace(changed, reason="")
        )
    recognition.refresh_from_db()
    assert (recognition.recipient_name, recognition.unit_path, recognition.is_published) == (
        "Agim Gashi",
        tree.n1.path,
        False,
    )
    services.update_recognition(commander, recognition=recognition, data=changed)
    recognition.refresh_from_db()
    assert (
        recognition.recipient_kind,
        recognition.recipient_name,
        recognition.partner,
        recognition.unit_path,
        recognition.is_published,
    ) == (RecipientKind.PARTNER, "Shkolla Sami Frashëri", school, tree.n1a.path, True)


def test_a_bad_phone_is_refused_with_a_translated_reason_and_nothing_is_saved(tree, actor_for):
    from django.utils import translation

    from cpis.partners.models import PartnerContact

    local = partner(tree.n1)
    with translation.override("sr"), pytest.raises(InvalidInput, match=r"Број телефона није исправан\."):
        services.add_contact(
            actor_for("coordinator_n1"),
            partner=local,
            data=services.ContactData(name="Arta", phone="+383 44"),
        )
    assert not PartnerContact.objects.exists()
