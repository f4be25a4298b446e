"""`cpis mail_intake`: an SMTP listener (aiosmtpd) that turns mail to the
intake address into concerns. Run it behind the organisation's mail relay,
which forwards the intake address here."""

import asyncio
import logging
from typing import Any

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from cpis.concerns.intake import concern_from_email
from cpis.core.errors import InvalidInput

logger = logging.getLogger("cpis.mail_intake")


class IntakeHandler:
    def __init__(self, address: str) -> None:
        self.address = address.lower()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.lower() != self.address:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        try:
            submission = await sync_to_async(concern_from_email, thread_sensitive=True)(
                envelope.original_content or envelope.content
            )
        except InvalidInput as exc:
            return f"550 5.6.0 {exc}"[:500]
        except Exception:  # any failure: the sender's server retries, nothing is lost
            logger.exception("mail intake failed")
            return "451 4.3.0 Temporary failure, try again later"
        logger.info(
            "mail intake: concern %s%s",
            submission.concern.reference,
            " (again)" if submission.replayed else "",
        )
        return "250 2.0.0 Message accepted"


def start(address: str, host: str, port: int) -> Controller:
    controller = Controller(
        IntakeHandler(address), hostname=host, port=port, data_size_limit=10 * 1024 * 1024
    )
    controller.start()
    return controller


class Command(BaseCommand):
    help = "Listen for e-mail to the intake address and turn each message into a concern."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument("--address", default=getattr(settings, "MAIL_INTAKE_ADDRESS", ""))

    def handle(self, *args: Any, host: str, port: int, address: str, **options: Any) -> None:
        if not address:
            self.stderr.write("Set MAIL_INTAKE_ADDRESS or pass --address.")
            return
        controller = start(address, host, port)
        self.stdout.write(f"Mail intake for {address} listening on {host}:{port}.")
        try:
            asyncio.run(asyncio.Event().wait())
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
