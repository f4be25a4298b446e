import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from cpis.core import uploads
from cpis.core.errors import InvalidInput
from cpis.core.uploads import Upload

PDF = b"%PDF-1.4\n%test\n"


def _jpeg_with_exif() -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    Image.new("RGB", (8, 8), "red").save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_a_file_is_read_with_its_own_name_only():
    upload = uploads.read_upload(SimpleUploadedFile("C:\\Users\\arta\\raporti.pdf", PDF))
    assert (upload.name, upload.data) == ("raporti.pdf", PDF)


def test_an_oversize_file_is_refused_before_it_is_read():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args, **kwargs):
            raise AssertionError("read")

    big = Unreadable("big.pdf", b"")
    big.size = uploads.MAX_BYTES + 1
    with translation.override("en"), pytest.raises(InvalidInput, match=r"big\.pdf is larger than 10 MB"):
        uploads.read_upload(big)


def test_a_pdf_is_known_by_its_first_bytes_not_its_name():
    checked = uploads.check_content(Upload("a.pdf", PDF), uploads.PDF)
    assert (checked.content_type, checked.data) == (uploads.PDF, PDF)
    with translation.override("en"), pytest.raises(InvalidInput, match=r"a\.pdf is not the kind of file"):
        uploads.check_content(Upload("a.pdf", b"<html>%PDF-</html>"), uploads.PDF)
    with translation.override("en"), pytest.raises(InvalidInput, match=r"^a\.pdf is not a PDF file\.$"):
        uploads.check_content(Upload("a.pdf", b"MZ"), uploads.PDF, wrong="%(name)s is not a PDF file.")


def test_a_photo_goes_through_pillow_and_loses_its_metadata():
    photo = _jpeg_with_exif()
    assert b"Camera maker" in photo
    checked = uploads.check_content(Upload("p.jpg", photo), uploads.JPEG)
    assert checked.content_type == uploads.JPEG and b"Camera maker" not in checked.data
    with Image.open(io.BytesIO(checked.data)) as reopened:
        assert reopened.format == "JPEG" and reopened.size == (8, 8)


def test_a_photo_that_only_starts_like_one_is_refused():
    with pytest.raises(InvalidInput):
        uploads.check_content(Upload("p.jpg", b"\xff\xd8\xff" + b"junk" * 10), uploads.JPEG)
    with pytest.raises(InvalidInput):
        uploads.check_content(Upload("p.png", _jpeg_with_exif()), uploads.PNG)


def test_text_must_be_utf8():
    assert uploads.check_content(Upload("a.txt", "Ëë".encode()), uploads.TEXT).content_type == uploads.TEXT
    with translation.override("en"), pytest.raises(InvalidInput, match="not plain UTF-8 text"):
        uploads.check_content(Upload("a.txt", b"\xff\xfe\x00bad"), uploads.TEXT)
