"""Test helpers for jobs: funded campaigns paid through the simulator, KYC-verified cleaners
(verified through the real service, so they have a RazorpayX fund account), and photos with
the EXIF a phone camera writes."""

import io
import random
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from campaigns import services as campaign_services
from campaigns.tests.factories import CampaignFactory
from jobs import services
from marketplace import services as marketplace_services
from marketplace.tests.factories import AdminFactory, CleanerFactory, UserFactory
from payments import services as payment_services
from payments.simulator import engine

VALID_AADHAAR = "234567890124"


def fund(campaign, amount=None):
    """Contribute ``amount`` (default: all that is missing) and pay it through the simulator."""
    contributor = UserFactory()
    contribution = campaign_services.contribution_start(campaign=campaign, contributor=contributor,
                                                        amount=amount or campaign.remaining_amount)
    result = engine.checkout_pay(order_id=contribution.payment.gateway_order_id, outcome="success")
    payment_services.payment_verify(payer=contributor, order_id=result["razorpay_order_id"],
                                    payment_id=result["razorpay_payment_id"], signature=result["razorpay_signature"])
    campaign.refresh_from_db()
    return contribution


def funded_job(target=10_000_00, **campaign_fields):
    campaign = CampaignFactory(target_amount=target, **campaign_fields)
    fund(campaign)
    return services.job_create_for_campaign(campaign=campaign)


def verified_cleaner(upi=False, **fields):
    cleaner = CleanerFactory(**fields)
    details = {"upi_id": "cleaner@okaxis"} if upi else {"bank_account_number": "123456789012", "bank_ifsc": "HDFC0001234"}
    kyc = marketplace_services.kyc_submit(user=cleaner, id_type="aadhaar", id_number=VALID_AADHAAR,
                                          account_holder_name=cleaner.name, **details)
    marketplace_services.kyc_review(kyc=kyc, admin=AdminFactory(), action="verify")
    return cleaner


def _degrees(value: float):
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 4)
    return (float(degrees), float(minutes), seconds)


def camera_exif(latitude=None, longitude=None, taken_at: datetime | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestPhone"
    exif[ExifTags.Base.Model] = "Camera 1"
    exif[ExifTags.Base.Software] = "secret-editor 2.0"
    if latitude is not None:
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N" if latitude >= 0 else "S", ExifTags.GPS.GPSLatitude: _degrees(latitude),
            ExifTags.GPS.GPSLongitudeRef: "E" if longitude >= 0 else "W",
            ExifTags.GPS.GPSLongitude: _degrees(longitude)}
    if taken_at is not None:
        local = timezone.localtime(taken_at)
        exif[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: local.strftime("%Y:%m:%d %H:%M:%S"),
                                   ExifTags.Base.OffsetTimeOriginal: local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]}
    return exif


def noise_image(seed: int, size=(96, 72)) -> Image.Image:
    """A distinct picture per seed (solid colours would all share one perceptual hash)."""
    rng = random.Random(seed)
    small = Image.new("RGB", (8, 6))
    small.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(48)])
    return small.resize(size, Image.Resampling.BILINEAR)


def photo(seed=1, latitude=None, longitude=None, taken_at=None, fmt="JPEG", exif=None, raw=None) -> SimpleUploadedFile:
    if raw is None:
        buffer = io.BytesIO()
        exif = exif if exif is not None else camera_exif(latitude, longitude, taken_at)
        noise_image(seed).save(buffer, fmt, exif=exif)
        raw = buffer.getvalue()
    ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}[fmt]
    return SimpleUploadedFile(f"after.{ext}", raw, content_type=f"image/{ext.replace('jpg', 'jpeg')}")


def site_photo(job, seed=1, taken_at=None, **kwargs):
    """A photo taken at the job's campaign, after the claim."""
    return photo(seed=seed, latitude=job.campaign.latitude, longitude=job.campaign.longitude,
                 taken_at=taken_at or timezone.now(), **kwargs)
