from datetime import timedelta
from functools import partial

import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image

from cpis.concerns import selectors, services
from cpis.concerns.models import Concern, ConcernEvent, EventKind, Status
from cpis.concerns.tests.factories import jpeg_with_gps, submit
from cpis.core import idempotency, outbox
from cpis.core.errors import InvalidInput
from cpis.core.models import IdempotencyRecord
from cpis.core.models import OutboxMessage as Notification
from cpis.core.tracking import parse_code
from cpis.organisation.access import Actor
from cpis.organisation.tests.factories import (
    AssignmentFactory,
    MunicipalityFactory,
    OfficerFactory,
    SettlementFactory,
)


def test_a_concern_with_a_point_is_routed_to_its_sector(tree):
    result = submit()
    concern = result.concern
    assert concern.sector == tree.n1a
    assert concern.unit_path == tree.n1a.path
    assert concern.status == Status.RECEIVED
    assert concern.is_anonymous
    assert concern.due_at is not None
    assert ConcernEvent.objects.filter(concern=concern, kind=EventKind.SUBMITTED, is_public=True).exists()
    assert parse_code(result.tracking_code)[0] == concern.reference


def test_a_typed_place_goes_to_the_station_of_its_municipality(tree):
    municipality = MunicipalityFactory(name_sq="Komuna", name_sr="Општина", seat_lon=21.15, seat_lat=42.55)
    tree.n1.municipality = municipality
    tree.n1.save()
    SettlementFactory(
        municipality=municipality, name_sq="Llapnasellë", name_sr="Лапље Село", lon=21.05, lat=42.55
    )
    concern = submit(lat=None, lon=None, place_text="Llapnasellë").concern
    assert concern.unit == tree.n1
    assert concern.sector is None


def test_an_unplaceable_concern_waits_in_the_national_queue(tree):
    concern = submit(lat=None, lon=None, place_text="Nowhere at all").concern
    assert concern.unit == tree.root


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"category_code": "nope"}, "category"),
        ({"description": "   "}, "Describe"),
        ({"description": "x" * 4001}, "4000"),
        ({"description": "a\x00b"}, "not allowed"),
        ({"lat": 42.5, "lon": None}, "both"),
        ({"lat": None, "lon": None, "place_text": ""}, "map"),
        ({"lat": 142.0}, "range"),
        ({"reporter_email": "not-an-email"}, "e-mail"),
        ({"reporter_phone": "call me maybe"}, "phone"),
        ({"language": "de"}, "language"),
        ({"channel": "phone"}, "staff"),
        ({"idempotency_key": ""}, "key"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_changes_nothing(tree, overrides, message):
    from django.utils import translation

    with translation.override("en"), pytest.raises(InvalidInput, match=message):
        submit(**overrides)
    assert not Concern.objects.exists()
    assert not IdempotencyRecord.objects.exists()


def test_a_retry_with_the_same_key_returns_the_same_code_and_creates_nothing(tree):
    first = submit(idempotency_key="k-1")
    again = submit(idempotency_key="k-1")
    assert again.replayed
    assert again.tracking_code == first.tracking_code
    assert Concern.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(tree):
    submit(idempotency_key="k-2")
    with pytest.raises(services.IdempotencyKeyReused):
        submit(idempotency_key="k-2", description="Something else entirely")


def test_a_retry_while_the_first_is_in_flight_is_told_to_wait(tree):
    # The same body under another key gives the request's real fingerprint (the key is not
    # part of it); a claim on "k-3" with that fingerprint and no record yet is in flight.
    submit(idempotency_key="probe")
    idempotency.claim("k-3", IdempotencyRecord.objects.get(key="probe").fingerprint)
    with pytest.raises(services.SubmissionInProgress):
        submit(idempotency_key="k-3")
    assert Concern.objects.count() == 1
    assert IdempotencyRecord.objects.get(key="k-3").record_id == ""


def test_an_abandoned_claim_is_taken_over(tree, monkeypatch):
    submit_fields = {"idempotency_key": "k-4"}
    monkeypatch.setattr(idempotency, "fingerprint", lambda fields, photo: "f" * 64)
    IdempotencyRecord.objects.create(key="k-4", fingerprint="f" * 64)
    IdempotencyRecord.objects.filter(key="k-4").update(created_at=timezone.now() - timedelta(minutes=10))
    result = submit(**submit_fields)
    assert not result.replayed
    assert IdempotencyRecord.objects.get(key="k-4").record_id == str(result.concern.pk)


def test_a_failed_submission_releases_its_key(tree, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.submission, "route", boom)
    with pytest.raises(RuntimeError):
        submit(idempotency_key="k-5")
    assert not IdempotencyRecord.objects.exists()
    monkeypatch.undo()
    assert not submit(idempotency_key="k-5").replayed


def test_a_photo_is_kept_without_any_metadata(tree):
    concern = submit(photo=jpeg_with_gps()).concern
    with Image.open(concern.photo.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert "exif" not in stored.info


@pytest.mark.parametrize(
    "payload", [b"<svg onload=alert(1)>", b"GIF89a" + b"\x00" * 20, b"\xff\xd8\xff" + b"junk" * 10]
)
def test_anything_but_a_real_jpeg_or_png_is_refused(tree, payload):
    with pytest.raises(InvalidInput):
        submit(photo=payload)
    assert not Concern.objects.exists()


def test_a_receipt_is_written_in_the_reporters_language_with_the_concern(
    tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = submit(reporter_email="qytetar@example.org", language="sr")
    notification = Notification.objects.get()
    assert notification.record_id == str(result.concern.pk)
    assert notification.language == "sr"
    assert result.tracking_code in notification.body
    assert "примљена" in notification.subject  # Serbian Cyrillic
    assert notification.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<cpis-outbox-")


def test_a_notification_is_never_sent_twice(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(reporter_email="a@example.org")
    notification = Notification.objects.get()
    assert outbox.deliver(notification.pk) is False
    assert outbox.deliver_due() == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_later_by_the_sweeper(tree, settings):
    submit(reporter_email="a@example.org")  # on_commit not run: the task was "lost"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    assert outbox.deliver_due() == 0
    notification = Notification.objects.get()
    assert notification.attempts == 1 and notification.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.update(next_attempt_at=timezone.now())
    assert outbox.deliver_due() == 1
    assert len(mail.outbox) == 1


def test_spam_is_held_for_moderation_never_dropped(tree):
    concern = submit(description="BUY NOW http://a.example http://b.example http://c.example").concern
    assert concern.is_held
    assert Concern.objects.filter(pk=concern.pk).exists()
    assert list(selectors.list_queue(Actor.system())) == []
    assert list(selectors.list_queue(Actor.system(), selectors.QueueFilters(held=True))) == [concern]


def test_staff_enter_phone_concerns_and_the_channel_is_recorded(tree, actor_for, persona):
    concern = submit(actor=actor_for("officer_n1a"), channel="phone").concern
    assert concern.channel == "phone"
    assert concern.entered_by == persona("officer_n1a")


def test_staff_cannot_enter_concerns_outside_their_place(tree, actor_for):
    from django.http import Http404

    with pytest.raises(Http404):
        submit(actor=actor_for("commander_s1"), channel="phone")
    assert not Concern.objects.exists()


@pytest.fixture
def officer(tree):
    officer = OfficerFactory(unit=tree.n1)
    AssignmentFactory(officer=officer, sector=tree.n1a)
    return officer


def test_the_workflow_from_triage_to_resolution_is_recorded(tree, actor_for, officer):
    concern = submit(reporter_email="a@example.org").concern
    lead = actor_for("coordinator_n1")
    services.triage_concern(lead, concern=concern, note="Patrol tonight")
    services.assign_concern(lead, concern=concern, officer=officer)
    services.start_work(lead, concern=concern)
    services.reply_to_citizen(lead, concern=concern, text="We will patrol every evening this week.")
    services.close_concern(
        lead, concern=concern, status=Status.RESOLVED, reason="Patrols stopped the gatherings."
    )
    concern.refresh_from_db()
    assert concern.status == Status.RESOLVED and concern.closed_at
    assert concern.outcome == "Patrols stopped the gatherings."
    statuses = list(concern.events.filter(kind=EventKind.STATUS).values_list("to_status", flat=True))
    assert statuses == [Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED]
    assert concern.events.filter(kind=EventKind.NOTE, is_public=False).exists()
    public = selectors.public_status(concern)
    assert all(e.is_public for e in public["events"])
    assert Notification.objects.count() == 1 + 4 + 1  # receipt, 4 status changes, 1 reply


def test_a_closed_concern_cannot_jump_back_to_received(tree, actor_for):
    concern = submit().concern
    services.close_concern(
        actor_for("coordinator_n1"), concern=concern, status=Status.REJECTED, reason="Not a police matter"
    )
    with pytest.raises(services.TransitionNotAllowed):
        services.start_work(actor_for("coordinator_n1"), concern=concern)


def test_closing_needs_a_reason_the_citizen_sees(tree, actor_for):
    concern = submit().concern
    with pytest.raises(services.ReasonRequired):
        services.close_concern(
            actor_for("coordinator_n1"), concern=concern, status=Status.REFERRED, reason=" "
        )


def test_duplicates_are_linked_never_deleted(tree, actor_for):
    first = submit().concern
    second = submit().concern
    close_as_duplicate_of_first = partial(
        services.close_concern, actor_for("coordinator_n1"), status=Status.DUPLICATE, duplicate_of=first
    )
    close_as_duplicate_of_first(concern=second, reason="Same as earlier report")
    second.refresh_from_db()
    assert second.duplicate_of == first and second.status == Status.DUPLICATE
    with pytest.raises(services.NotADuplicateCandidate):
        close_as_duplicate_of_first(concern=first, reason="x")


def test_the_triaging_officer_sees_similar_open_concerns_nearby(tree):
    concern = submit(lat=42.55, lon=21.05).concern
    near = submit(lat=42.551, lon=21.051).concern
    submit(lat=42.59, lon=21.09)  # 5 km away
    submit(lat=42.5501, lon=21.0501, category_code="traffic-safety")  # other category
    assert [c for c, _d in selectors.list_similar(concern)] == [near]


def test_an_assigned_officer_may_work_the_concern_but_not_others(tree, actor_for, persona):
    officer = OfficerFactory(unit=tree.n1, user=persona("officer_n1a"))
    concern = submit().concern
    other = submit().concern
    services.assign_concern(actor_for("coordinator_n1"), concern=concern, officer=officer)
    services.start_work(actor_for("officer_n1a"), concern=concern)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.start_work(actor_for("officer_n1a"), concern=other)


def test_an_officer_of_another_station_cannot_be_assigned(tree, actor_for):
    stranger = OfficerFactory(unit=tree.s1)
    with pytest.raises(services.OfficerNotServingHere):
        services.assign_concern(actor_for("director_north"), concern=submit().concern, officer=stranger)


def test_contacts_are_for_roles_that_need_them_and_every_view_is_logged(tree, actor_for, rf):
    from django.core.exceptions import PermissionDenied

    from cpis.accounts.models import AccessLogEntry

    concern = submit(reporter_email="a@example.org", reporter_phone="+383 44 123 456").concern
    asked = rf.post("/x", {"purpose": "contact"})
    contact = selectors.get_reporter_contact(actor_for("coordinator_n1"), concern, request=asked)
    assert contact["email"] == "a@example.org"
    [entry] = AccessLogEntry.objects.reads().filter(
        subject_type="concerns.concern", subject_id=str(concern.pk)
    )
    assert entry.purpose == "contact"
    with pytest.raises(PermissionDenied):
        selectors.get_reporter_contact(actor_for("officer_n1a"), concern, request=None)


def test_the_tracking_code_opens_the_concern_and_wrong_pins_are_limited(tree):
    result = submit()
    assert (
        selectors.find_by_tracking_code(result.tracking_code.lower().replace("-", " "), client="1.2.3.4")
        == result.concern
    )
    reference = result.concern.reference
    wrong = f"{reference}000000" if not result.tracking_code.endswith("000000") else f"{reference}111111"
    for _ in range(selectors.TRACK_LIMIT_PER_REFERENCE):
        assert selectors.find_by_tracking_code(wrong, client="5.6.7.8") is None
    # The guesser is stopped, even with the right PIN...
    with pytest.raises(selectors.TrackingLimited):
        selectors.find_by_tracking_code(result.tracking_code, client="5.6.7.8")
    # ...but a stranger's wrong PINs never lock the owner out of their own code.
    assert selectors.find_by_tracking_code(result.tracking_code, client="9.9.9.9") == result.concern
    for _ in range(selectors.TRACK_LIMIT_PER_REFERENCE):
        assert selectors.find_by_tracking_code(wrong, client="9.9.9.9") is None
    with pytest.raises(selectors.TrackingLimited):
        selectors.find_by_tracking_code(wrong, client="9.9.9.9")


def test_one_client_cannot_sweep_references(tree):
    from cpis.core.tracking import new_reference

    for _ in range(selectors.TRACK_LIMIT_PER_CLIENT):
        assert selectors.find_by_tracking_code(f"{new_reference()}000000", client="6.6.6.6") is None
    with pytest.raises(selectors.TrackingLimited):
        selectors.find_by_tracking_code(f"{new_reference()}000000", client="6.6.6.6")


def test_the_citizen_can_add_information_anonymously(tree):
    concern = submit().concern
    event = services.add_citizen_message(concern=concern, text="The car was a red Golf.")
    assert event.is_public and event.actor is None


def test_contacts_are_anonymised_after_the_retention_period_and_it_is_recorded(tree, actor_for, settings):
    concern = submit(reporter_email="a@example.org", reporter_name="Arta").concern
    services.close_concern(actor_for("coordinator_n1"), concern=concern, status=Status.REJECTED, reason="x")
    later = timezone.now() + timedelta(days=settings.CONCERN_CONTACT_RETENTION_DAYS + 1)
    assert services.anonymise_closed_concerns(now=later) == 1
    assert services.anonymise_closed_concerns(now=later) == 0  # idempotent
    concern.refresh_from_db()
    assert (concern.reporter_email, concern.reporter_name) == ("", "")
    assert concern.events.filter(kind=EventKind.ANONYMISED).count() == 1


def test_open_concerns_keep_their_contacts(tree, settings):
    submit(reporter_email="a@example.org")
    later = timezone.now() + timedelta(days=settings.CONCERN_CONTACT_RETENTION_DAYS * 3)
    assert services.anonymise_closed_concerns(now=later) == 0


def test_a_resolved_concern_reopens_to_work_with_its_outcome_cleared(tree, actor_for, officer):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    concern = submit().concern
    lead = actor_for("leader_n1a")
    services.assign_concern(lead, concern=concern, officer=officer)
    services.close_concern(lead, concern=concern, status=Status.RESOLVED, reason="Patrols stopped it.")
    with pytest.raises(PermissionDenied):
        services.reopen_concern(actor_for("officer_n1a"), concern=concern, note="Not mine to reopen")
    with pytest.raises(Http404):
        services.reopen_concern(actor_for("commander_s1"), concern=concern, note="Not my place")
    concern.refresh_from_db()
    assert concern.status == Status.RESOLVED
    sent_before = Notification.objects.count()
    services.reopen_concern(lead, concern=concern, note="The citizen says it started again")
    concern.refresh_from_db()
    assert concern.status == Status.IN_PROGRESS
    assert concern.outcome == "" and concern.closed_at is None
    status, note = concern.events.order_by("-pk")[:2][::-1]
    assert (status.kind, status.from_status, status.to_status, status.is_public) == (
        EventKind.STATUS,
        Status.RESOLVED,
        Status.IN_PROGRESS,
        True,
    )
    assert (note.kind, note.text, note.is_public) == (
        EventKind.NOTE,
        "The citizen says it started again",
        False,
    )
    assert Notification.objects.count() == sent_before  # no e-mail without a contact


def test_a_duplicate_reopens_to_triage_unlinked(tree, actor_for):
    first = submit().concern
    second = submit().concern
    lead = actor_for("coordinator_n1")
    services.close_concern(lead, concern=second, status=Status.DUPLICATE, reason="Same", duplicate_of=first)
    services.reopen_concern(lead, concern=second, note="Another place after all")
    second.refresh_from_db()
    assert second.status == Status.TRIAGED
    assert second.duplicate_of is None and second.outcome == ""
    with pytest.raises(services.TransitionNotAllowed):
        services.reopen_concern(lead, concern=second, note="Twice")


def test_an_internal_note_is_kept_from_the_citizen(tree, actor_for):
    from django.http import Http404

    concern = submit(reporter_email="a@example.org").concern
    sent_before = Notification.objects.count()
    event = services.add_note(actor_for("officer_n1a"), concern=concern, text="  Neighbour knows more.  ")
    assert (event.kind, event.text, event.is_public) == (EventKind.NOTE, "Neighbour knows more.", False)
    assert event.actor_id == actor_for("officer_n1a").user_id
    assert event not in selectors.public_status(concern)["events"]
    assert Notification.objects.count() == sent_before
    with pytest.raises(InvalidInput):
        services.add_note(actor_for("officer_n1a"), concern=concern, text="   ")
    for outsider in ["commander_s1", "standards"]:
        with pytest.raises(Http404):
            services.add_note(actor_for(outsider), concern=concern, text="Not my place")
    assert list(concern.events.filter(kind=EventKind.NOTE)) == [event]
