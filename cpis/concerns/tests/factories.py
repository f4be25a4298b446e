import io
import uuid

from PIL import Image

from cpis.concerns import services
from cpis.organisation.access import Actor


def submit(**overrides):
    """Submit a web concern at sector n1a of the test tree."""
    fields = {
        "category_code": "public-order",
        "description": "Të rinj që pinë alkool natën pranë shkollës.",
        "language": "sq",
        "channel": "web",
        "idempotency_key": uuid.uuid4().hex,
        "lat": 42.55,
        "lon": 21.05,
    }
    fields.update(overrides)
    actor = fields.pop("actor", None) or Actor.anonymous()
    return services.submit_concern(actor, **fields)


def jpeg_with_gps() -> bytes:
    """A small JPEG carrying EXIF GPS coordinates."""
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (42.0, 39.0, 50.0), 3: "E", 4: (21.0, 10.0, 5.0)}
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()
