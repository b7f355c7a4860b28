import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from campaigns.models import Campaign
from marketplace.tests.factories import UserFactory


def image_bytes(fmt="JPEG", size=(64, 48), color=(30, 120, 90), exif=None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, color)
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def photo_upload(fmt="JPEG", name=None, **kwargs) -> SimpleUploadedFile:
    ext = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}[fmt]
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name or f"photo.{ext}", image_bytes(fmt, **kwargs), content_type=content_type)


class CampaignFactory(factory.django.DjangoModelFactory):
    """An active campaign (created directly, as if approved); use the services to test creation rules."""

    class Meta:
        model = Campaign

    creator = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Clean the lake path, stretch {n}")
    description = "Plastic and debris along the lake path; needs a team with bags, gloves and a small truck."
    target_amount = 10_000_00
    latitude = factory.Sequence(lambda n: 12.9 + n * 0.01)
    longitude = 77.6
    address = "Lake path, Bengaluru"
    status = Campaign.Status.ACTIVE
    approved_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=45))
    photo = factory.django.ImageField(filename="before.jpg", width=40, height=30)
