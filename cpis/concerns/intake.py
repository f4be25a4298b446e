"""E-mail intake: a message sent to the intake address becomes a concern,
its text kept as written, its language guessed. The Message-ID (or the
message's digest) is the submission key, so a message delivered twice is
one concern."""

import hashlib
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr
from html import unescape

from cpis.core.i18n import guess_language
from cpis.organisation.access import Actor

from . import services

MAX_TEXT = 4000


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_type() == "text/html":
        content = unescape(re.sub(r"<[^>]+>", " ", content))
    # Quoted replies and signatures stay: staff read the text as written.
    return content.strip()


def concern_from_email(raw: bytes) -> services.Submission:
    """Turn one e-mail into a concern in the national queue (category
    "other", for triage). Raises InvalidInput for a message with no text."""
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)  # noqa: S101 - policy.default guarantees it
    subject = str(message.get("Subject", "")).strip()
    body = _text_of(message)
    text = f"{subject}\n\n{body}".strip() if subject and subject not in body else body or subject
    language = guess_language(text)
    sender_name, sender = parseaddr(str(message.get("From", "")))
    message_id = str(message.get("Message-ID", "")).strip() or hashlib.sha256(raw).hexdigest()
    return services.submit_concern(
        Actor.anonymous(),
        category_code="other",
        description=text[:MAX_TEXT],
        language=language,
        text_language=language,
        channel="email",
        idempotency_key=f"email:{hashlib.sha256(message_id.encode()).hexdigest()}",
        reporter_name=sender_name[:200],
        reporter_email=sender if "@" in sender else "",
    )
