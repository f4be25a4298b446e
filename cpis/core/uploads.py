"""Files people upload: read with the size checked before a byte is read, and
kept only when their content (never their name) shows them to be what they
claim. Every app keeps its own list of accepted kinds; the checks live here."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .errors import InvalidInput
from .images import sanitise_image

MAX_BYTES = 10 * 1024 * 1024
NAME_LIMIT = 200

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
TEXT = "text/plain"

# The first bytes each kind of file starts with (text has none: it must decode).
SIGNATURES: Mapping[str, tuple[bytes, ...]] = {
    PDF: (b"%PDF-",),
    JPEG: (b"\xff\xd8\xff",),
    PNG: (b"\x89PNG\r\n\x1a\n",),
    DOCX: (b"PK\x03\x04",),
    XLSX: (b"PK\x03\x04",),
    ODT: (b"PK\x03\x04",),
    TEXT: (),
}


@dataclass(frozen=True)
class Upload:
    """An uploaded file: its own name (no folders), its bytes and, once
    `check_content` has looked at them, the content type they really have."""

    name: str
    data: bytes
    content_type: str = ""

    @property
    def suffix(self) -> str:
        return PurePath(self.name).suffix.lower()


def base_name(name: str, default: str) -> str:
    """The file's own name without any folder (either slash), at most 200
    characters; `default` when nothing is left."""
    return PurePath((name or "").replace("\\", "/")).name[-NAME_LIMIT:] or default


def check_size(upload: Upload) -> Upload:
    if len(upload.data) > MAX_BYTES:
        raise InvalidInput(_("%(name)s is larger than 10 MB.") % {"name": upload.name})
    return upload


def read_upload(file: UploadedFile, *, default_name: str = "") -> Upload:
    """Read an uploaded file, refusing an oversize one before reading it."""
    name = base_name(file.name or "", default_name)
    if (file.size or 0) > MAX_BYTES:
        raise InvalidInput(_("%(name)s is larger than 10 MB.") % {"name": name})
    return check_size(Upload(name, file.read(MAX_BYTES + 1)))


def is_pdf(data: bytes) -> bool:
    return data.startswith(SIGNATURES[PDF])


def check_content(upload: Upload, content_type: str, *, wrong: str | Promise | None = None) -> Upload:
    """The upload with `content_type` set when its bytes really are of that
    kind: PDF and office files by their first bytes, text by decoding as UTF-8,
    photos by their first bytes and then through Pillow (re-encoded, so no
    metadata, GPS included, survives). `wrong` (with %(name)s) is the message
    for a file that is not what it claims."""
    signatures = SIGNATURES[content_type]
    if signatures and not upload.data.startswith(signatures):
        message = wrong or _("%(name)s is not the kind of file its name says.")
        raise InvalidInput(str(message) % {"name": upload.name})
    data = upload.data
    if content_type == TEXT:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(_("%(name)s is not plain UTF-8 text.") % {"name": upload.name}) from None
    if content_type in {JPEG, PNG}:
        data, _extension = sanitise_image(data)
    return replace(upload, data=data, content_type=content_type)
