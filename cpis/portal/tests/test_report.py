import uuid

from django.core import mail

from cpis.concerns.models import Concern
from cpis.concerns.tests.factories import jpeg_with_gps
from cpis.core import pow
from cpis.core.models import OutboxMessage as Notification


def _form(**overrides):
    data = {
        "category": "public-order",
        "description": "Gara me makina çdo natë në rrugën kryesore.",
        "lat": "42.55",
        "lon": "21.05",
        "place_text": "",
        "language": "sq",
        "submission_key": uuid.uuid4().hex,
        "pow": pow.solve(pow.new_challenge()),
    }
    data.update(overrides)
    return data


def test_the_report_form_renders_with_a_fresh_key_and_a_challenge(tree, client):
    page = client.get("/report/").content.decode()
    assert 'name="submission_key"' in page
    assert 'id="pow-challenge"' in page


def test_an_anonymous_report_gets_a_tracking_code_and_no_code_in_any_url(tree, client):
    response = client.post("/report/", _form())
    assert response.status_code == 200
    concern = Concern.objects.get()
    code = response.context["code"]
    assert concern.reference in code.replace("-", "")
    assert concern.is_anonymous and not concern.is_held
    assert (
        code not in response.content.decode().split('id="tracking-code"')[0]
    )  # only shown once, in the body


def test_a_double_submit_gives_the_same_code_and_one_concern(tree, client):
    data = _form()
    first = client.post("/report/", data)
    data["pow"] = pow.solve(pow.new_challenge())  # the browser solves again on resend
    second = client.post("/report/", data)
    assert first.context["code"] == second.context["code"]
    assert Concern.objects.count() == 1


def test_a_resend_while_the_first_is_still_processed_gets_409_and_no_second_concern(tree, client):
    from cpis.core import idempotency
    from cpis.core.models import IdempotencyRecord

    data = _form()
    assert client.post("/report/", data).status_code == 200
    # The same report under another page key: its fingerprint is the request's own, and
    # the claim on that key has no concern yet, as while the first request is working.
    first = IdempotencyRecord.objects.get(key=f"web:{data['submission_key']}")
    data.update(submission_key=uuid.uuid4().hex, pow=pow.solve(pow.new_challenge()))
    idempotency.claim(f"web:{data['submission_key']}", first.fingerprint)
    response = client.post("/report/", data)
    assert response.status_code == 409
    assert 1 <= int(response["Retry-After"]) <= idempotency.IN_FLIGHT.total_seconds()
    assert "E njëjta dërgesë ende po përpunohet." in response.content.decode()  # "still being processed"
    assert Concern.objects.count() == 1


def test_a_report_without_proof_of_work_is_held_not_lost(tree, client):
    response = client.post("/report/", _form(pow=""))
    assert response.status_code == 200
    concern = Concern.objects.get()
    assert concern.is_held and concern.held_reason == "unverified"


def test_a_replayed_or_forged_proof_is_refused(tree, client):
    proof = pow.solve(pow.new_challenge())
    assert client.post("/report/", _form(pow=proof)).status_code == 200
    response = client.post("/report/", _form(pow=proof), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "security check" in response.content.decode()
    assert client.post("/report/", _form(pow="bm9wZQ==")).status_code == 400
    assert Concern.objects.count() == 1


def test_bad_input_is_explained_and_nothing_is_stored(tree, client):
    response = client.post(
        "/report/", _form(category="", description="", lat="", lon=""), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Mark the place on the map" in page
    assert not Concern.objects.exists()


def test_a_photo_is_accepted_and_a_fake_one_refused(tree, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    assert client.post("/report/", _form(photo=good)).status_code == 200
    fake = SimpleUploadedFile("p.jpg", b"<html>not an image</html>", content_type="image/jpeg")
    response = client.post("/report/", _form(photo=fake), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert Concern.objects.count() == 1


def test_submissions_are_rate_limited_per_client_and_a_forged_header_does_not_help(tree, client, settings):
    settings.SUBMISSION_LIMIT_PER_HOUR = 2
    for i in range(2):
        accepted = client.post("/report/", _form(), HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
        assert accepted.status_code == 200 and accepted.context["code"]
    assert client.post("/report/", _form(), HTTP_X_FORWARDED_FOR="10.0.0.99").status_code == 429


def test_the_citizen_follows_the_concern_with_the_code_and_adds_information(tree, client):
    code = client.post("/report/", _form(reporter_email="a@example.org")).context["code"]
    other = type(client)()  # another browser: only the code opens it
    response = other.post("/track/", {"code": code})
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/track/{concern.pk}/"
    page = other.get(response["Location"]).content.decode()
    assert "Pranuar" in page or concern.get_status_display() in page
    other.post(f"/track/{concern.pk}/", {"text": "Targa e veturës: 01-123-AB"})
    assert concern.events.filter(kind="citizen").exists()


def test_a_concern_opens_only_in_a_browser_that_gave_its_code(tree, client):
    client.post("/report/", _form())
    concern = Concern.objects.get()
    stranger = type(client)()
    assert stranger.get(f"/track/{concern.pk}/").status_code == 302


def test_a_wrong_code_says_so_without_telling_which_part_was_wrong(tree, client):
    client.post("/report/", _form())
    concern = Concern.objects.get()
    response = client.post("/track/", {"code": f"{concern.reference}-000000"}, HTTP_ACCEPT_LANGUAGE="en")
    unknown = client.post("/track/", {"code": "ZZZZ-ZZZZ-000000"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == unknown.status_code == 404
    assert "No concern matches this code" in response.content.decode()


def test_the_receipt_mail_goes_out_after_commit(tree, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/report/", _form(reporter_email="qytetar@example.org"))
    assert Notification.objects.get().sent_at is not None
    assert mail.outbox[0].to == ["qytetar@example.org"]


def test_a_bad_phone_is_refused_in_the_citizens_language_and_nothing_is_stored(tree, client):
    response = client.post("/report/", _form(reporter_phone="44 123"), HTTP_ACCEPT_LANGUAGE="sq")
    assert response.status_code == 400
    assert "Numri i telefonit nuk është i vlefshëm." in response.content.decode()
    assert not Concern.objects.exists()


def test_the_code_holder_answers_whether_a_resolved_concern_is_resolved(tree, client, actor_for):
    from cpis.concerns import services as concerns
    from cpis.concerns.models import ClosureAnswer, Status

    code = client.post("/report/", _form()).context["code"]  # anonymous: no e-mail to ask
    concern = Concern.objects.get()
    client.post("/track/", {"code": code})
    assert 'name="resolved"' not in client.get(f"/track/{concern.pk}/").content.decode()  # still open
    from cpis.organisation.tests.factories import OfficerFactory

    lead = actor_for("leader_n1a")
    concerns.assign_concern(lead, concern=concern, officer=OfficerFactory(unit=tree.n1))
    concerns.close_concern(lead, concern=concern, status=Status.RESOLVED, reason="Fixed.")
    page = client.get(f"/track/{concern.pk}/").content.decode()
    assert 'name="resolved"' in page
    action = "/reports/answer/" + page.split('action="/reports/answer/', 1)[1].split('"', 1)[0]
    assert client.post(action, {"resolved": "yes"}).status_code == 200
    assert ClosureAnswer.objects.get(concern=concern).resolved
    assert 'name="resolved"' not in client.get(f"/track/{concern.pk}/").content.decode()  # asked once
