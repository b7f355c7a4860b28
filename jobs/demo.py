"""Demo jobs in every state: verified cleaners (one still waiting for KYC review), jobs claimed,
waiting in the verification queue with before/after photos (some flagged, one urgent), verified
with a payout pending, paid over the last months (the earnings chart), and a payout the bank
returned. Everything goes through the real services and the payment simulator."""

from __future__ import annotations

import io
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image, ImageDraw

from campaigns import services as campaign_services
from campaigns.demo import DESCRIPTION, _contribute, _photo
from campaigns.models import Campaign
from marketplace import services as marketplace_services
from marketplace.models import CleanerKYC
from payments import services as payment_services
from payments.models import Payout
from payments.simulator import engine

from . import rules, services
from .models import Job

JOB_PLACES = [
    ("Clear the weeds and litter at Cubbon Park's north gate", "Cubbon Park north gate, Bengaluru", 12.9779, 77.5952,
     3_000_00),
    ("Clean the bus shelter and footpath at Koramangala 5th Block", "80 Feet Road, Koramangala, Bengaluru", 12.9352,
     77.6245, 2_500_00),
    ("Remove the dumped waste beside Powai Lake jogging track", "Powai Lake jogging track, Mumbai", 19.1273, 72.9051,
     7_500_00),
    ("Scrub the graffiti off the Marine Drive sea-wall benches", "Marine Drive, Mumbai", 18.9432, 72.8235, 4_000_00),
    ("Clear the construction debris on Lodhi Road service lane", "Lodhi Road service lane, Delhi", 28.5918, 77.2273,
     6_000_00),
    ("Clean the ghat steps at Assi Ghat after the festival", "Assi Ghat, Varanasi", 25.2867, 83.0066, 2_000_00),
    ("Pick up the plastic on Elliot's Beach, south end", "Elliot's Beach, Chennai", 12.9990, 80.2719, 3_500_00),
    ("Clean the lane behind Charminar market", "Charminar market lane, Hyderabad", 17.3616, 78.4747, 1_800_00),
    ("Sweep the park at Sector 17 plaza", "Sector 17 plaza, Chandigarh", 30.7398, 76.7827, 2_200_00),
]


def _degrees(value: float):
    value = abs(value)
    degrees, minutes = int(value), int((value - int(value)) * 60)
    return (float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 3))


def _after_photo(seed: int, latitude=None, longitude=None, taken_at=None) -> SimpleUploadedFile:
    """A tidy version of the place, with the GPS and time a phone camera would record."""
    rng = random.Random(1000 + seed)
    image = Image.new("RGB", (960, 640), (120 + rng.randint(0, 30), 170 + rng.randint(0, 30), 110))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 420, 960, 640], fill=(170, 160, 140))
    for _ in range(12):
        x = rng.randint(0, 900)
        draw.rectangle([x, 300, x + 30, 430], fill=(90 + rng.randint(0, 40), 70, 50))
        draw.ellipse([x - 40, 200, x + 70, 320], fill=(40, 120 + rng.randint(0, 60), 50))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "DemoPhone"
    if latitude is not None:
        exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: _degrees(latitude),
                                      ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: _degrees(longitude)}
    if taken_at is not None:
        exif[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: timezone.localtime(taken_at).strftime(
            "%Y:%m:%d %H:%M:%S"), ExifTags.Base.OffsetTimeOriginal: "+05:30"}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, exif=exif)
    return SimpleUploadedFile(f"after-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _verify_kyc(cleaner, admin, **details):
    kyc = marketplace_services.kyc_submit(user=cleaner, id_type=details.pop("id_type", "aadhaar"),
                                          id_number=details.pop("id_number", "234567890124"),
                                          account_holder_name=cleaner.name, **details)
    return marketplace_services.kyc_review(kyc=kyc, admin=admin, action="verify")


def _funded_job(index: int, *, creator, admin, backers) -> Job:
    title, address, lat, lng, target = JOB_PLACES[index]
    campaign = campaign_services.campaign_create(creator=creator, title=title, description=DESCRIPTION,
                                                 target_amount=target, latitude=lat, longitude=lng, address=address,
                                                 photo=_photo(100 + index))
    if campaign.status == Campaign.Status.DRAFT:
        campaign_services.campaign_approve(campaign=campaign, admin=admin)
    campaign.refresh_from_db()
    first = campaign.remaining_amount // 2
    _contribute(campaign, backers[index % len(backers)], first)
    campaign.refresh_from_db()
    _contribute(campaign, backers[(index + 1) % len(backers)], campaign.remaining_amount)
    campaign.refresh_from_db()
    return services.job_create_for_campaign(campaign=campaign)


def _complete(job, cleaner, seed, *, at_site=True, metres_off=0.0):
    """Claimed three days ago, cleaned and sent some hours ago (so verification takes a realistic time)."""
    now = timezone.now()
    job = services.job_claim(job=job, cleaner=cleaner, now=now - timedelta(days=3))
    sent = now - timedelta(hours=2 + 5 * seed)
    latitude = job.campaign.latitude + metres_off / 111_195 if at_site else None
    return services.job_complete(job=job, cleaner=cleaner, now=sent, photo=_after_photo(
        seed, latitude, job.campaign.longitude if at_site else None, sent - timedelta(hours=1)))


def _pay(job, *, months_ago: int = 0):
    payout = Payout.objects.get(source_kind=rules.PAYOUT_SOURCE, source_id=str(job.pk))
    when = payout.due_at + timedelta(minutes=1)
    payment_services.payouts_process(now=when)
    # The simulator's webhook reaches the web app once it runs; ask the gateway now instead.
    payment_services.payouts_process(now=when + payment_services.PAYOUT_LEASE + timedelta(minutes=1))
    payout.refresh_from_db()
    if months_ago and payout.status == Payout.Status.PAID:
        Payout.objects.filter(pk=payout.pk).update(paid_at=timezone.now() - timedelta(days=30 * months_ago))
    return payout


def load_demo_jobs(*, cleaner, admin, creator, backers, extra_cleaners) -> int:
    """Idempotent: recognised by the first job campaign's title."""
    if Campaign.objects.filter(title=JOB_PLACES[0][0]).exists():
        return 0
    sunita, pending_cleaner = extra_cleaners
    if not CleanerKYC.objects.filter(user=cleaner, status=CleanerKYC.Status.VERIFIED).exists():
        _verify_kyc(cleaner, admin, bank_account_number="50100234567891", bank_ifsc="HDFC0000123")
    if not CleanerKYC.objects.filter(user=sunita, status=CleanerKYC.Status.VERIFIED).exists():
        _verify_kyc(sunita, admin, id_type="pan", id_number="BNZPM2501F", upi_id="sunita.m@okaxis")
    if not CleanerKYC.objects.filter(user=pending_cleaner).exists():
        marketplace_services.kyc_submit(user=pending_cleaner, id_type="aadhaar", id_number="499118665246",
                                        account_holder_name=pending_cleaner.name, bank_account_number="001234567890",
                                        bank_ifsc="SBIN0001234")
    jobs = [_funded_job(i, creator=creator, admin=admin, backers=backers) for i in range(len(JOB_PLACES))]
    claimed, queued_clean, queued_urgent, queued_far, pending_payout, paid_1, paid_2, reversed_, available = jobs

    services.job_claim(job=claimed, cleaner=cleaner)
    _complete(queued_clean, cleaner, 1)
    urgent = _complete(queued_urgent, sunita, 2, at_site=False)
    Job.objects.filter(pk=urgent.pk).update(completed_at=timezone.now() - timedelta(hours=53))
    _complete(queued_far, sunita, 3, metres_off=1_800)

    for job, seed in ((paid_1, 5), (paid_2, 6), (reversed_, 7)):
        job = _complete(job, cleaner if job is not reversed_ else sunita, seed)
        services.job_verify(job=job, admin=admin, action="approve", notes="Clean and at the right place.")
    _pay(paid_1, months_ago=2)
    _pay(paid_2, months_ago=1)
    payout = _pay(reversed_)
    if payout.gateway_payout_id:
        engine.payout_outcome(payout_id=payout.gateway_payout_id, outcome="reversed")
        payment_services.payout_reverse(payout=payout, gateway_payout_id=payout.gateway_payout_id,
                                        reason="The bank returned the payout (reversed).")
    # Approved last, so the payout runs above leave it waiting for tomorrow's batch.
    services.job_verify(job=_complete(pending_payout, cleaner, 4), admin=admin, action="approve")
    services.jobs_announce()
    return len(jobs)
