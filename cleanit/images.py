"""Uploaded photos, handled one way everywhere (campaign before-photos, job after-photos):
the type is judged by content (Pillow decodes it), not by name or declared type; the image is
re-encoded, which drops all metadata (EXIF, GPS, comments, ICC) unless told to keep GPS and time,
and it is stored under a random name."""

from __future__ import annotations

import io
import logging
import uuid
import warnings
import zoneinfo
from dataclasses import dataclass
from datetime import datetime

import imagehash
from django.core.files.base import ContentFile
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from cleanit import errors

MAX_PIXELS = 40_000_000  # decompression-bomb guard (a 40 MP photo is plenty)
MAX_SIDE = 2560  # stored images are scaled down to this on their long side
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
FORMAT_NAMES = {"JPEG": "JPG", "PNG": "PNG", "WEBP": "WEBP"}
# A camera's EXIF time has no zone unless OffsetTimeOriginal says so; photos here are taken in India.
CAMERA_TIME_ZONE = zoneinfo.ZoneInfo("Asia/Kolkata")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PhotoMetadata:
    """What the camera recorded, read before the metadata is stripped. Anything missing or
    unreadable is None: a malformed EXIF block is treated as no EXIF, never as an error."""

    latitude: float | None = None
    longitude: float | None = None
    taken_at: datetime | None = None

    @property
    def has_gps(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class ProcessedImage:
    content: ContentFile
    format: str
    width: int
    height: int
    metadata: PhotoMetadata
    phash: str  # perceptual hash, 16 hex digits: near-identical pictures have near-identical hashes


def phash_distance(first: str, second: str) -> int:
    """Bits that differ between two perceptual hashes (0 = the same picture)."""
    return (int(first, 16) ^ int(second, 16)).bit_count()


def _rational(value) -> float:
    if isinstance(value, tuple) and len(value) == 2:  # (numerator, denominator) in older encoders
        return float(value[0]) / float(value[1])
    return float(value)


def _gps_coordinate(parts, ref, negative_ref: str, limit: float) -> float | None:
    if not isinstance(parts, (tuple, list)) or len(parts) != 3:
        return None
    degrees, minutes, seconds = (_rational(part) for part in parts)
    value = degrees + minutes / 60 + seconds / 3600
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "ignore")
    if str(ref).strip().upper() == negative_ref:
        value = -value
    if value != value or abs(value) > limit:  # NaN (0/0) or out of range
        return None
    return value


def _exif_text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "ignore")
    return str(value).strip("\x00 ")


def _exif_time(text, offset) -> datetime:
    taken = datetime.strptime(_exif_text(text)[:19], "%Y:%m:%d %H:%M:%S")
    offset = _exif_text(offset) if offset else ""
    if offset:
        return datetime.strptime(f"{taken:%Y-%m-%d %H:%M:%S} {offset}", "%Y-%m-%d %H:%M:%S %z")
    return taken.replace(tzinfo=CAMERA_TIME_ZONE)


def read_metadata(image: Image.Image) -> PhotoMetadata:
    """GPS position and capture time from EXIF, whatever state the EXIF block is in."""
    try:
        exif = image.getexif()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds on corrupt EXIF; none may reach the user
        logger.info("unreadable EXIF block ignored", exc_info=True)
        return PhotoMetadata()
    latitude = longitude = taken_at = None
    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        latitude = _gps_coordinate(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "S", 90)
        longitude = _gps_coordinate(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "W", 180)
    except Exception:  # noqa: BLE001
        logger.info("unreadable EXIF GPS ignored", exc_info=True)
    if latitude is None or longitude is None:  # half a position is no position
        latitude = longitude = None
    try:
        details = exif.get_ifd(ExifTags.IFD.Exif)
        original = details.get(ExifTags.Base.DateTimeOriginal)
        if original:
            taken_at = _exif_time(original, details.get(ExifTags.Base.OffsetTimeOriginal))
        elif exif.get(ExifTags.Base.DateTime):
            taken_at = _exif_time(exif.get(ExifTags.Base.DateTime), details.get(ExifTags.Base.OffsetTime))
    except Exception:  # noqa: BLE001
        logger.info("unreadable EXIF time ignored", exc_info=True)
        taken_at = None
    return PhotoMetadata(latitude=latitude, longitude=longitude, taken_at=taken_at)


def _gps_and_time_only(source: Image.Image) -> Image.Exif:
    """A fresh EXIF block holding only the GPS position and capture time of ``source``."""
    kept = Image.Exif()
    try:
        exif = source.getexif()
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
        if gps:
            kept[ExifTags.IFD.GPSInfo] = dict(gps)
        details = exif.get_ifd(ExifTags.IFD.Exif)
        times = {tag: details[tag] for tag in (ExifTags.Base.DateTimeOriginal, ExifTags.Base.OffsetTimeOriginal)
                 if tag in details}
        if times:
            kept[ExifTags.IFD.Exif] = times
        if ExifTags.Base.DateTime in exif:
            kept[ExifTags.Base.DateTime] = exif[ExifTags.Base.DateTime]
    except Exception:  # noqa: BLE001
        logger.info("EXIF not copied: unreadable", exc_info=True)
        return Image.Exif()
    return kept


def process_image(upload, *, allowed_formats: tuple[str, ...], max_bytes: int,
                  keep_gps_and_time: bool = False) -> ProcessedImage:
    """Validate and re-encode an uploaded image. Raises TooLarge (413) or UnsupportedMedia (415).
    With ``keep_gps_and_time`` the stored copy keeps the GPS position and capture time (evidence)
    and nothing else of the original metadata."""
    names = "/".join(FORMAT_NAMES[f] for f in allowed_formats)
    if upload is None:
        raise errors.ValidationFailed(fields={"photo": ["Choose a photo to upload."]})
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes:
        raise errors.TooLarge(f"The photo must be at most {max_bytes // (1024 * 1024)} MB.",
                              fields={"photo": [f"The photo must be at most {max_bytes // (1024 * 1024)} MB."]})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Corrupt EXIF data" from odd cameras: unreadable EXIF counts as none
            return _reencode(upload, allowed_formats=allowed_formats, names=names, keep_gps_and_time=keep_gps_and_time)
    except errors.DomainError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise _unsupported(names) from exc


def _reencode(upload, *, allowed_formats, names: str, keep_gps_and_time: bool) -> ProcessedImage:
    upload.seek(0)
    with Image.open(upload) as probe:
        image_format = probe.format
        if image_format not in allowed_formats:
            raise _unsupported(names)
        if probe.width * probe.height > MAX_PIXELS:
            raise _unsupported(names, "The photo has too many pixels.")
        probe.verify()
    upload.seek(0)
    with Image.open(upload) as original:
        original.load()
        metadata = read_metadata(original)
        kept = _gps_and_time_only(original) if keep_gps_and_time else Image.Exif()
        try:
            image = ImageOps.exif_transpose(original)  # keep the orientation the camera meant, then drop EXIF
        except Exception:  # noqa: BLE001 - a corrupt orientation tag: keep the pixels as they are
            image = original.copy()
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        output = io.BytesIO()
        save_options = {"exif": kept} if len(kept) else {}
        if image_format == "JPEG":
            image = image.convert("RGB")
        # Pillow writes what .info carries (JPEG comments, XMP, ICC profiles, PNG text) back out: only the
        # GPS position and capture time passed above may survive.
        image.info = {}
        if image_format == "JPEG":
            image.save(output, "JPEG", quality=85, optimize=True, **save_options)
        elif image_format == "PNG":
            image.save(output, "PNG", optimize=True, **save_options)
        else:
            image.save(output, "WEBP", quality=85, **save_options)
        width, height = image.size
        phash = str(imagehash.phash(image))
    name = f"{uuid.uuid4().hex}.{EXTENSIONS[image_format]}"  # the model field's upload_to adds the folder
    return ProcessedImage(content=ContentFile(output.getvalue(), name=name), format=image_format, width=width,
                          height=height, metadata=metadata, phash=phash)


def _unsupported(names: str, message: str | None = None) -> errors.UnsupportedMedia:
    message = message or f"The photo must be a {names} image."
    return errors.UnsupportedMedia(message, fields={"photo": [message]})
