"""Uploaded photos, handled one way everywhere (campaign before-photos, job after-photos):
the type is judged by content (Pillow decodes it), not by name or declared type; the image is
re-encoded, which drops all metadata (EXIF, GPS, comments, ICC) unless told to keep GPS and time,
and it is stored under a random name."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from cleanit import errors

MAX_PIXELS = 40_000_000  # decompression-bomb guard (a 40 MP photo is plenty)
MAX_SIDE = 2560  # stored images are scaled down to this on their long side
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
FORMAT_NAMES = {"JPEG": "JPG", "PNG": "PNG", "WEBP": "WEBP"}


@dataclass(frozen=True)
class ProcessedImage:
    content: ContentFile
    format: str
    width: int
    height: int


def process_image(upload, *, allowed_formats: tuple[str, ...], max_bytes: int) -> ProcessedImage:
    """Validate and re-encode an uploaded image. Raises TooLarge (413) or UnsupportedMedia (415)."""
    names = "/".join(FORMAT_NAMES[f] for f in allowed_formats)
    if upload is None:
        raise errors.ValidationFailed(fields={"photo": ["Choose a photo to upload."]})
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes:
        raise errors.TooLarge(f"The photo must be at most {max_bytes // (1024 * 1024)} MB.", code="file_too_large",
                              fields={"photo": [f"The photo must be at most {max_bytes // (1024 * 1024)} MB."]})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            if image_format not in allowed_formats:
                raise _unsupported(names)
            if probe.width * probe.height > MAX_PIXELS:
                raise _unsupported(names, "The photo has too many pixels.")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant, then drop EXIF
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            output = io.BytesIO()
            if image_format == "JPEG":
                image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
            elif image_format == "PNG":
                image.save(output, "PNG", optimize=True)
            else:
                image.save(output, "WEBP", quality=85)
            width, height = image.size
    except errors.DomainError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise _unsupported(names) from exc
    name = f"{uuid.uuid4().hex}.{EXTENSIONS[image_format]}"  # the model field's upload_to adds the folder
    return ProcessedImage(content=ContentFile(output.getvalue(), name=name), format=image_format, width=width,
                          height=height)


def _unsupported(names: str, message: str | None = None) -> errors.UnsupportedMedia:
    message = message or f"The photo must be a {names} image."
    return errors.UnsupportedMedia(message, fields={"photo": [message]})
