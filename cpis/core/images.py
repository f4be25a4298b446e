"""Photos from citizens: checked to be real JPEG or PNG images, size-capped,
and re-encoded from their pixels so that no metadata survives (EXIF GPS
would reveal where an anonymous reporter stood)."""

import io

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import InvalidInput

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}


def sanitise_image(data: bytes) -> tuple[bytes, str]:
    """(clean bytes, file extension) or InvalidInput with a reason."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(_("The photo is larger than 5 MB."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if kind not in ALLOWED:
                raise InvalidInput(_("Only JPEG and PNG photos are accepted."))
            if probe.width * probe.height > MAX_PIXELS:
                raise InvalidInput(_("The photo has too many pixels."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            # Respect the camera's rotation before the EXIF block is dropped.
            image = ImageOps.exif_transpose(opened)
            if kind == "JPEG":
                image = image.convert("RGB")
            elif image.mode not in {"RGB", "RGBA", "L", "LA"}:
                image = image.convert("RGBA")  # palettes would not survive frombytes
            # A new image from the raw pixels carries no info, EXIF, XMP or ICC.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            out = io.BytesIO()
            if kind == "JPEG":
                clean.save(out, format="JPEG", quality=85, optimize=True)
            else:
                clean.save(out, format="PNG", optimize=True)
    except InvalidInput:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise InvalidInput(_("The file is not a valid JPEG or PNG photo.")) from exc
    return out.getvalue(), ALLOWED[kind][1]
