import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns.tests.factories import image_bytes, photo_upload
from cleanit import errors
from cleanit.images import process_image

JPG_PNG = ("JPEG", "PNG")


def exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (12.0, 58.0, 0.0), "E", (77.0, 35.0, 0.0)
    return exif


@pytest.mark.parametrize("fmt", JPG_PNG)
def test_accepts_and_re_encodes(fmt):
    result = process_image(photo_upload(fmt), allowed_formats=JPG_PNG, max_bytes=5 * 1024 * 1024)
    assert result.format == fmt and result.content.name.endswith((".jpg", ".png"))
    assert len(result.content.name) == 32 + 4  # random hex name, nothing of the uploaded name


def test_metadata_is_stripped():
    upload = SimpleUploadedFile("p.jpg", image_bytes("JPEG", exif=exif_with_gps()), content_type="image/jpeg")
    with Image.open(io.BytesIO(image_bytes("JPEG", exif=exif_with_gps()))) as original:
        assert original.getexif().get(0x010F) == "SpyCam"
    result = process_image(upload, allowed_formats=JPG_PNG, max_bytes=5 * 1024 * 1024)
    with Image.open(io.BytesIO(result.content.read())) as stored:
        assert not stored.getexif() and "exif" not in stored.info


def test_type_is_judged_by_content_not_name():
    fake = SimpleUploadedFile("photo.jpg", b"this is not an image at all", content_type="image/jpeg")
    with pytest.raises(errors.UnsupportedMedia):
        process_image(fake, allowed_formats=JPG_PNG, max_bytes=5 * 1024 * 1024)
    png_named_jpg = photo_upload("PNG", name="photo.jpg")
    assert process_image(png_named_jpg, allowed_formats=JPG_PNG, max_bytes=5 * 1024 * 1024).format == "PNG"


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_other_formats_refused(fmt):
    with pytest.raises(errors.UnsupportedMedia) as exc:
        process_image(photo_upload(fmt), allowed_formats=JPG_PNG, max_bytes=5 * 1024 * 1024)
    assert "JPG/PNG" in exc.value.message


def test_too_large():
    with pytest.raises(errors.TooLarge):
        process_image(photo_upload("PNG", size=(400, 400)), allowed_formats=JPG_PNG, max_bytes=1000)


def test_truncated_image_refused():
    data = image_bytes("JPEG", size=(200, 200))
    with pytest.raises(errors.UnsupportedMedia):
        process_image(SimpleUploadedFile("p.jpg", data[: len(data) // 3]), allowed_formats=JPG_PNG,
                      max_bytes=5 * 1024 * 1024)


def test_missing_upload():
    with pytest.raises(errors.ValidationFailed):
        process_image(None, allowed_formats=JPG_PNG, max_bytes=100)


@pytest.mark.parametrize("keep_gps_and_time", [False, True])
def test_comments_and_other_metadata_do_not_survive(keep_gps_and_time):
    source = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(source, "JPEG", comment=b"owner: Asha, +919812345678",
                                              exif=exif_with_gps(), xmp=b"<x:xmpmeta>secret-xmp</x:xmpmeta>")
    assert b"\xff\xfe" in source.getvalue() and b"Asha" in source.getvalue()
    upload = SimpleUploadedFile("p.jpg", source.getvalue(), content_type="image/jpeg")
    stored = process_image(upload, allowed_formats=JPG_PNG, max_bytes=5 * 1024 * 1024,
                           keep_gps_and_time=keep_gps_and_time).content.read()
    assert b"Asha" not in stored and b"secret-xmp" not in stored and b"SpyCam" not in stored
    assert b"\xff\xfe" not in stored.split(b"\xff\xda", 1)[0]  # no COM segment before the image data
    with Image.open(io.BytesIO(stored)) as reopened:
        assert "comment" not in reopened.info and "xmp" not in reopened.info
