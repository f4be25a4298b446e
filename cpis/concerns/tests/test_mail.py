"""E-mail in and out against real SMTP servers on the loopback (aiosmtpd)."""

import smtplib
import socket
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from cpis.concerns.intake import concern_from_email
from cpis.concerns.management.commands.mail_intake import start
from cpis.concerns.models import Concern
from cpis.concerns.tests.factories import submit
from cpis.core import outbox
from cpis.core.i18n import guess_language
from cpis.core.models import OutboxMessage


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _mail(text: str, *, subject: str = "Shqetësim", message_id: str = "<m1@example.org>") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Arben Krasniqi <arben@example.org>"
    message["To"] = "prijave@kosovopolice.com"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message.set_content(text)
    return message


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Në rrugën tonë ka gara me vetura çdo natë dhe askush nuk bën asgjë.", "sq"),
        ("У нашој улици свако вече има трка аутомобила.", "sr"),
        ("U našoj ulici svako veče ima trka automobila i niko ništa ne radi.", "sr-latn"),
        ("There are car races in our street every night and the police do nothing.", "en"),
    ],
)
def test_the_language_of_a_message_is_guessed(text, language):
    assert guess_language(text) == language


def test_a_message_becomes_a_concern_kept_as_written(tree):
    text = "Në rrugën tonë ka gara me vetura çdo natë."
    submission = concern_from_email(_mail(text).as_bytes())
    concern = submission.concern
    assert concern.channel == "email"
    assert text in concern.description
    assert concern.language == "sq"
    assert concern.reporter_email == "arben@example.org"
    assert concern.unit == tree.root  # no place given: the national queue triages it


def test_the_same_message_delivered_twice_is_one_concern(tree):
    raw = _mail("Tekst").as_bytes()
    concern_from_email(raw)
    assert concern_from_email(raw).replayed
    assert Concern.objects.count() == 1


def test_the_listener_accepts_mail_for_the_intake_address_only(transactional_db, tree, categories):
    port = _free_port()
    controller = start("prijave@kosovopolice.com", "127.0.0.1", port)
    try:
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            smtp.send_message(_mail("Ka drita të prishura në rrugë dhe është errësirë."))
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                smtp.send_message(_mail("x", message_id="<m2@example.org>"), to_addrs=["someone@else.org"])
    finally:
        controller.stop()
    concern = Concern.objects.get()
    assert concern.channel == "email" and "drita" in concern.description


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def test_outgoing_mail_goes_through_django_smtp_to_a_real_server(
    tree, settings, django_capture_on_commit_callbacks
):
    collector = Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = submit(reporter_email="qytetar@example.org", language="sr-latn")
    finally:
        controller.stop()
    assert len(collector.messages) == 1
    envelope = collector.messages[0]
    assert envelope.rcpt_tos == ["qytetar@example.org"]
    raw = envelope.content.decode()
    assert "Message-ID: <cpis-outbox-" in raw
    assert result.tracking_code in raw
    assert OutboxMessage.objects.get().sent_at is not None


def test_a_server_that_is_down_leaves_the_message_for_the_sweeper(tree, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _free_port(), 2
    submit(reporter_email="a@example.org")
    assert outbox.deliver_due() == 0
    message = OutboxMessage.objects.get()
    assert message.attempts == 1 and message.sent_at is None and message.next_attempt_at > timezone.now()


def test_the_scheduled_jobs_run_once_for_cron(tree, settings):
    from io import StringIO

    from django.core.management import call_command

    from cpis.concerns import services
    from cpis.organisation.access import Actor

    concern = submit(reporter_email="a@example.org").concern  # its mail task was "lost"
    services.close_concern(Actor.system(), concern=concern, status="rejected", reason="x")
    from cpis.concerns.models import Concern

    Concern.objects.filter(pk=concern.pk).update(closed_at=timezone.now() - timezone.timedelta(days=400))
    out = StringIO()
    call_command("run_scheduled", once=True, stdout=out)
    assert "queued e-mails sent" in out.getvalue()
    concern.refresh_from_db()
    assert concern.reporter_email == ""
