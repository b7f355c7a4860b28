"""Demo jobs in every state: verified cleaners (one still waiting for KYC review), jobs claimed,
waiting in the verification queue with before/after photos (some flagged, one urgent), verified
with a payout pending, paid over the last months (the earnings chart), and a payout the bank
returned. Everything goes through the real services and the payment simulator, as a story in
which every step happens at its own moment (cleanit.demo.happened_at) and in the order of the story,
so that what the services derive from history (a cleaner's first verified job, completion rates,
the creator's approved campaigns) is what that history says."""

from __future__ import annotations

import io
import random
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image, ImageDraw

from campaigns.demo import PLACES, contribute, create_campaign
from campaigns.models import Campaign
from cleanit.demo import happened_at, next_at, on_day
from marketplace import services as marketplace_services
from marketplace.models import CleanerKYC
from payments import services as payment_services
from payments.models import Payout
from payments.simulator import engine
from payments.simulator.tasks import deliver_outbox_in_process
from payments.tasks import PAYOUTS_AT

from . import rules, services
from .models import Job

# title, address, latitude, longitude, target (paise), description
JOB_PLACES = [
    ("Clear the weeds and litter at Cubbon Park's north gate", "Cubbon Park north gate, Bengaluru", 12.9779, 77.5952,
     3_000_00, "Weeds have overgrown the footpath at the north gate and visitors leave litter on the benches. One "
               "cleaner with a sickle, gloves and twenty bags can clear the stretch from the gate to the bandstand "
               "in a morning."),
    ("Clean the bus shelter and footpath at Koramangala 5th Block", "80 Feet Road, Koramangala, Bengaluru", 12.9352,
     77.6245, 2_500_00, "The bus shelter is stained with paan and the footpath behind it is full of wrappers and "
                        "paper cups. The job: scrub the seats and panels of the shelter and clear 50 m of footpath "
                        "on either side."),
    ("Remove the dumped waste beside Powai Lake jogging track", "Powai Lake jogging track, Mumbai", 19.1273, 72.9051,
     7_500_00, "Someone has dumped sacks of household waste and a broken sofa beside the jogging track. It takes a "
               "cleaner with a helper, a tempo for the furniture and a day's work; the waste goes to the BMC "
               "collection point at the lake gate."),
    ("Scrub the graffiti off the Marine Drive sea-wall benches", "Marine Drive, Mumbai", 18.9432, 72.8235, 4_000_00,
     "Twelve benches along the sea wall carry spray-painted tags. The job is to scrub them clean with a "
     "biodegradable remover and a stiff brush, leaving no paint residue on the promenade."),
    ("Clear the construction debris on Lodhi Road service lane", "Lodhi Road service lane, Delhi", 28.5918, 77.2273,
     6_000_00, "Bricks, cement bags and broken tiles from a finished building site were left on the service lane, "
               "narrowing it to one car. It takes a small truck and two people for a day; the debris goes to the "
               "construction-waste plant at Burari."),
    ("Clean the ghat steps at Assi Ghat after the festival", "Assi Ghat, Varanasi", 25.2867, 83.0066, 2_000_00,
     "After the festival the steps are covered with flowers, clay lamps, plastic bags and leaf plates. Three "
     "cleaners can sweep and wash them from the top landing to the water in a day; the flowers go to the compost "
     "unit, the plastic to the Nagar Nigam truck."),
    ("Pick up the plastic on Elliot's Beach, south end", "Elliot's Beach, Chennai", 12.9990, 80.2719, 3_500_00,
     "The south end of the beach collects plastic bottles, cups and tangled fishing line. One cleaner with a sieve "
     "rake and thirty bags can clean the 300 m stretch in a day, working before the sun is high."),
    ("Clean the lane behind Charminar market", "Charminar market lane, Hyderabad", 17.3616, 78.4747, 1_800_00,
     "The lane behind the market is lined with cardboard, plastic sheets and vegetable waste left after closing. "
     "One cleaner with a handcart can clear and sweep it in a morning, before the shops open."),
    ("Sweep the park at Sector 17 plaza", "Sector 17 plaza, Chandigarh", 30.7398, 76.7827, 2_200_00,
     "Litter lies around the fountain and under the trees, dry leaves clog the paths and the bins overflow. The "
     "job is a thorough sweep of the park and its paths, and emptying the bins into the municipal compactor."),
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


PHOTO_BEFORE_SENDING = timedelta(minutes=40)  # the after-photo is taken on site, sent once the kit is packed


def _verify_kyc(cleaner, admin, *, submitted: datetime, reviewed: datetime, **details) -> None:
    if CleanerKYC.objects.filter(user=cleaner, status=CleanerKYC.Status.VERIFIED).exists():
        return
    with happened_at(submitted):
        kyc = marketplace_services.kyc_submit(user=cleaner, id_type=details.pop("id_type", "aadhaar"),
                                              id_number=details.pop("id_number", "234567890124"),
                                              account_holder_name=cleaner.name, now=submitted, **details)
    with happened_at(reviewed):
        marketplace_services.kyc_review(kyc=kyc, admin=admin, action="verify", now=reviewed)


def _funded_job(index: int, *, creator, backers, created: datetime, contributed: tuple[datetime, datetime]) -> Job:
    """A campaign created live at ``created``, funded by two backers; its job appears with the funding."""
    campaign = create_campaign(JOB_PLACES[index], creator=creator, photo_seed=100 + index, at=created)
    first_at, second_at = contributed
    contribute(campaign, backers[index % len(backers)], campaign.target_amount // 2, at=first_at)
    contribute(campaign, backers[(index + 1) % len(backers)], campaign.remaining_amount, at=second_at)
    return services.job_create_for_campaign(campaign=campaign)


def _claim(job, cleaner, *, at: datetime) -> Job:
    with happened_at(at):
        return services.job_claim(job=job, cleaner=cleaner, now=at)


def _complete(job, cleaner, seed, *, at: datetime, at_site=True, metres_off=0.0) -> Job:
    """Sent at ``at`` with a photo taken a little earlier, at the place (or ``metres_off`` north of
    it, or with the phone's location off)."""
    latitude = job.campaign.latitude + metres_off / 111_195 if at_site else None
    photo = _after_photo(seed, latitude, job.campaign.longitude if at_site else None, at - PHOTO_BEFORE_SENDING)
    with happened_at(at):
        return services.job_complete(job=job, cleaner=cleaner, now=at, photo=photo)


def _approve(job, admin, *, at: datetime, notes: str = "") -> Job:
    with happened_at(at):
        return services.job_verify(job=job, admin=admin, action="approve", notes=notes, now=at)


def _pay(job) -> Payout:
    """Sent in the first daily payout batch after it is due; the gateway's webhook arrives at once."""
    payout = Payout.objects.get(source_kind=rules.PAYOUT_SOURCE, source_id=str(job.pk))
    hour, minute = PAYOUTS_AT
    batch = next_at(payout.due_at, f"{hour:02d}:{minute:02d}")
    with happened_at(batch):
        payment_services.payouts_process(now=batch)
        deliver_outbox_in_process()
    payout.refresh_from_db()
    return payout


def _offers_run_from_funding() -> None:
    """A job is offered for JOB_LIFETIME from its campaign's funding. It is made when the funding is
    announced, from the funding time the clock stamped; a date that far ahead is not among the times
    happened_at moves, so it is set again here from the campaign's (moved) funding time."""
    titles = [place[0] for place in PLACES + JOB_PLACES]
    for job in Job.objects.filter(campaign__title__in=titles).select_related("campaign"):
        Job.objects.filter(pk=job.pk).update(expires_at=job.campaign.funded_at + rules.JOB_LIFETIME)


def load_demo_jobs(*, cleaner, admin, creator, backers, extra_cleaners, now: datetime) -> int:
    """Idempotent: recognised by the first job campaign's title."""
    if Campaign.objects.filter(title=JOB_PLACES[0][0]).exists():
        return 0
    sunita, pending_cleaner = extra_cleaners

    def day(days_ago: int, clock: str) -> datetime:
        return on_day(now, days_ago, clock)

    def hours_ago(hours: float) -> datetime:
        return now - timedelta(hours=hours)

    _verify_kyc(cleaner, admin, submitted=day(94, "10:20"), reviewed=day(93, "12:05"),
                bank_account_number="50100234567891", bank_ifsc="HDFC0000123")
    if not CleanerKYC.objects.filter(user=pending_cleaner).exists():
        with happened_at(day(2, "20:15")):
            marketplace_services.kyc_submit(user=pending_cleaner, id_type="aadhaar", id_number="499118665246",
                                            account_holder_name=pending_cleaner.name,
                                            bank_account_number="001234567890", bank_ifsc="SBIN0001234",
                                            now=day(2, "20:15"))

    def funded(index: int, created: datetime, first: datetime, second: datetime) -> Job:
        return _funded_job(index, creator=creator, backers=backers, created=created, contributed=(first, second))

    # In the order of the story's decisions: each cleaner's first job is verified before the next is sent.
    paid_1 = funded(5, day(78, "20:10"), day(77, "09:40"), day(75, "19:25"))  # Ravi's first job
    _claim(paid_1, cleaner, at=day(74, "08:15"))
    _complete(paid_1, cleaner, 5, at=day(72, "16:50"))
    _approve(paid_1, admin, at=day(71, "11:30"), notes="Clean and at the right place.")
    _pay(paid_1)

    paid_2 = funded(6, day(50, "18:45"), day(48, "07:30"), day(42, "21:15"))
    _claim(paid_2, cleaner, at=day(41, "09:05"))
    _complete(paid_2, cleaner, 6, at=day(39, "17:35"))
    _approve(paid_2, admin, at=day(38, "10:40"), notes="Clean and at the right place.")
    _pay(paid_2)

    # Sunita joins the platform; her first job is paid to her UPI id, then returned by the bank.
    _verify_kyc(sunita, admin, submitted=day(39, "16:40"), reviewed=day(38, "11:30"), id_type="pan",
                id_number="BNZPM2501F", upi_id="sunita.m@okaxis")
    reversed_ = funded(7, day(22, "19:55"), day(21, "10:25"), day(18, "20:05"))
    _claim(reversed_, sunita, at=day(17, "07:50"))
    _complete(reversed_, sunita, 7, at=day(15, "12:20"))
    _approve(reversed_, admin, at=day(14, "16:15"), notes="Clean and at the right place.")
    payout = _pay(reversed_)
    if payout.gateway_payout_id:
        with happened_at(day(10, "14:30")):
            engine.payout_outcome(payout_id=payout.gateway_payout_id, outcome="reversed")
            deliver_outbox_in_process()

    pending_payout = funded(4, day(16, "21:40"), day(14, "09:20"), day(10, "18:35"))
    _claim(pending_payout, cleaner, at=day(9, "08:30"))
    _complete(pending_payout, cleaner, 4, at=day(3, "15:45"))
    _approve(pending_payout, admin, at=hours_ago(10))  # paid in the first batch after tomorrow's due time

    queued_urgent = funded(2, day(13, "20:25"), day(11, "08:10"), day(8, "19:50"))  # sent without location
    _claim(queued_urgent, sunita, at=day(7, "07:40"))
    _complete(queued_urgent, sunita, 2, at=day(3, "11:05"), at_site=False)  # over 48 hours ago at any hour

    queued_far = funded(3, day(11, "18:30"), day(9, "12:15"), day(6, "21:05"))
    _claim(queued_far, sunita, at=day(5, "08:20"))
    _complete(queued_far, sunita, 3, at=hours_ago(17), metres_off=1_800)

    queued_clean = funded(1, day(10, "19:15"), day(8, "10:50"), day(5, "20:40"))
    _claim(queued_clean, cleaner, at=day(4, "09:35"))
    _complete(queued_clean, cleaner, 1, at=hours_ago(7))

    claimed = funded(0, day(8, "17:55"), day(6, "08:25"), day(3, "19:10"))
    _claim(claimed, cleaner, at=day(1, "09:45"))

    funded(8, day(7, "20:50"), day(5, "11:35"), day(2, "18:05"))  # on the board
    _offers_run_from_funding()
    services.jobs_announce(now=now)
    return len(JOB_PLACES)
