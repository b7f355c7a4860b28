"""Demo campaigns in every state, with generated photos and real (simulated) contributions. They are
told as a story over the last three months, each step at its own moment (cleanit.demo.happened_at):
Priya's first campaign waited a day for approval and expired with too little raised, later ones went
live at once, and Meera's first campaign waits for an admin since yesterday."""

from __future__ import annotations

import io
import random
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from cleanit.demo import happened_at, next_at, on_day
from payments import services as payment_services
from payments.simulator import engine
from payments.simulator.tasks import deliver_outbox_in_process

from . import services
from .models import Campaign

# title, address, latitude, longitude, target (paise), description
PLACES = [
    ("Clear the plastic along Ulsoor Lake's east walkway", "Ulsoor Lake east walkway, Bengaluru", 12.9817, 77.6210,
     2_000_00, "Plastic bottles and snack wrappers wash up along the east walkway after every weekend. Two people "
               "with grabbers, gloves and thirty sacks can clear the 600 m stretch in a day; the sorted plastic goes "
               "to the dry-waste collection centre on Kensington Road."),
    ("Clean up the garbage heap at Juhu Beach entrance", "Juhu Beach, Gate 2, Mumbai", 19.0988, 72.8267, 5_000_00,
     "The heap beside Gate 2 has grown to the height of the railing: food waste, thermocol plates and coconut "
     "shells. It needs a team of three with a handcart for a full day and a BMC pickup booked for the evening."),
    ("Sweep and bag the litter under Rajendra Nagar flyover", "Rajendra Nagar flyover, Delhi", 28.6394, 77.1821,
     8_000_00, "Litter and broken glass have collected under the deck of the flyover. The job is to sweep the "
               "200 m under it, bag everything and hand it to the MCD truck that passes at 7 am, leaving the "
               "belongings of the people who sleep there untouched."),
    ("Remove debris from the Adyar riverbank footpath", "Adyar riverbank, Chennai", 13.0067, 80.2574, 12_000_00,
     "Construction rubble and plastic have been dumped on the riverbank footpath between the two bridges, "
     "blocking it for walkers. Clearing it takes a small truck and a team for two days; the rubble goes to the "
     "Corporation's construction-waste yard."),
    ("Restore the children's park at Salt Lake Sector V", "Salt Lake Sector V, Kolkata", 22.5726, 88.4330, 3_000_00,
     "The children's park behind the IT offices has knee-high weeds and litter in the sandpit. The money pays "
     "for clearing the weeds and the litter and for sieving the sandpit; mending the swings is for the "
     "municipality."),
    ("Clean the steps of the old stepwell in Bapu Nagar", "Bapu Nagar stepwell, Jaipur", 26.8936, 75.8120, 1_500_00,
     "The steps of the old stepwell are covered in silt, plastic and pigeon droppings, and the water at the "
     "bottom is choked with waste. A team of four can clean the steps in a day with brooms, buckets and a rope "
     "pulley, with no chemicals near the water."),
    ("Unclog the drain beside the Hussain Sagar promenade", "Necklace Road, Hyderabad", 17.4239, 78.4738, 20_000_00,
     "The storm-water drain beside the promenade is clogged with plastic and silt, and the walkway floods after "
     "every shower. Desilting the 150 m stretch takes a crew of five for a day, their tools and a GHMC truck for "
     "the silt."),
]
CANCEL_REASON = "The municipal corporation has scheduled this clean-up itself."
EXPIRY_SWEEP_AT = "00:00"  # the daily expiry sweep (campaigns.tasks), India time

def campaign_photo(seed: int) -> SimpleUploadedFile:
    rng = random.Random(seed)
    image = Image.new("RGB", (960, 640), (110 + rng.randint(0, 40), 140 + rng.randint(0, 40), 90))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 420, 960, 640], fill=(150, 130, 100))
    for _ in range(160):
        x, y = rng.randint(0, 940), rng.randint(380, 620)
        color = rng.choice([(230, 230, 235), (200, 40, 40), (40, 90, 200), (250, 200, 40), (60, 60, 60)])
        draw.ellipse([x, y, x + rng.randint(8, 26), y + rng.randint(6, 18)], fill=color)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"demo-{seed}.jpg", buffer.getvalue(), content_type="image/jpeg")


def create_campaign(place: tuple, *, creator, photo_seed: int, at: datetime, admin=None,
                    approved_at: datetime | None = None) -> Campaign:
    """Created at ``at``: a first-time creator's campaign waits, and goes live at ``approved_at`` if given."""
    title, address, latitude, longitude, target, description = place
    with happened_at(at):
        campaign = services.campaign_create(creator=creator, title=title, description=description,
                                            target_amount=target, latitude=latitude, longitude=longitude,
                                            address=address, photo=campaign_photo(photo_seed), now=at)
    if campaign.status == Campaign.Status.DRAFT and approved_at is not None:
        with happened_at(approved_at):
            services.campaign_approve(campaign=campaign, admin=admin, now=approved_at)
    campaign.refresh_from_db()
    return campaign


def contribute(campaign: Campaign, contributor, amount: int, *, at: datetime) -> None:
    """Paid through the simulated checkout at ``at``; the gateway's webhooks arrive at once."""
    with happened_at(at):
        contribution = services.contribution_start(campaign=campaign, contributor=contributor, amount=amount)
        result = engine.checkout_pay(order_id=contribution.payment.gateway_order_id, outcome="success")
        payment_services.payment_verify(payer=contributor, order_id=result["razorpay_order_id"],
                                        payment_id=result["razorpay_payment_id"],
                                        signature=result["razorpay_signature"])
        deliver_outbox_in_process()
    campaign.refresh_from_db()


def load_demo_campaigns(*, creator, admin, backers, now: datetime) -> int:
    """Idempotent: campaigns are recognised by title."""
    if Campaign.objects.filter(title=PLACES[0][0]).exists():
        return 0
    draft, active, funded, expired, cancelled, nearly, fresh = PLACES
    meera, arjun, fatima = backers

    def day(days_ago: int, clock: str) -> datetime:
        return on_day(now, days_ago, clock)

    # The creator's first campaign: approved the next day, it raised too little before it expired.
    campaign = create_campaign(expired, creator=creator, photo_seed=3, at=day(85, "19:40"), admin=admin,
                               approved_at=day(84, "11:15"))
    contribute(campaign, meera, 2_000_00, at=day(80, "08:30"))
    swept = next_at(campaign.expires_at, EXPIRY_SWEEP_AT)
    with happened_at(swept):
        services.campaigns_expire(now=swept)
        # The refund was asked for by the clock, not at ``swept``: it is due by the clock too.
        payment_services.refunds_process(now=timezone.now())
        deliver_outbox_in_process()

    campaign = create_campaign(funded, creator=creator, photo_seed=2, at=day(40, "21:05"))
    for backer, amount, at in ((meera, 4_000_00, day(38, "09:10")), (arjun, 2_500_00, day(20, "13:45")),
                               (fatima, 1_500_00, day(4, "18:20"))):
        contribute(campaign, backer, amount, at=at)

    campaign = create_campaign(active, creator=creator, photo_seed=1, at=day(30, "20:30"))
    for backer, amount, at in ((meera, 1_200_00, day(28, "07:55")), (arjun, 800_00, day(12, "22:10")),
                               (fatima, 500_00, day(2, "12:40"))):
        contribute(campaign, backer, amount, at=at)

    campaign = create_campaign(cancelled, creator=creator, photo_seed=4, at=day(16, "17:25"))
    with happened_at(day(15, "10:05")):
        services.campaign_cancel_by_admin(campaign=campaign, admin=admin, reason=CANCEL_REASON, now=day(15, "10:05"))

    campaign = create_campaign(nearly, creator=creator, photo_seed=5, at=day(9, "19:00"))
    contribute(campaign, arjun, 1_000_00, at=day(6, "08:45"))
    create_campaign(fresh, creator=creator, photo_seed=6, at=day(1, "21:30"))
    create_campaign(draft, creator=meera, photo_seed=0, at=day(1, "18:10"))  # her first: it waits for an admin
    return len(PLACES)
