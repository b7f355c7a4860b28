"""Demo campaigns in every state, with generated photos and real (simulated) contributions."""

import io
import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from payments import services as payment_services
from payments.simulator import engine

from . import services
from .models import Campaign

PLACES = [
    ("Clear the plastic along Ulsoor Lake's east walkway", "Ulsoor Lake east walkway, Bengaluru", 12.9817, 77.6210),
    ("Clean up the garbage heap at Juhu Beach entrance", "Juhu Beach, Gate 2, Mumbai", 19.0988, 72.8267),
    ("Sweep and bag the litter under Rajendra Nagar flyover", "Rajendra Nagar flyover, Delhi", 28.6394, 77.1821),
    ("Remove debris from the Adyar riverbank footpath", "Adyar riverbank, Chennai", 13.0067, 80.2574),
    ("Restore the children's park at Salt Lake Sector V", "Salt Lake Sector V, Kolkata", 22.5726, 88.4330),
    ("Clean the steps of the old stepwell in Bapu Nagar", "Bapu Nagar stepwell, Jaipur", 26.8936, 75.8120),
    ("Unclog the drain beside the Hussain Sagar promenade", "Necklace Road, Hyderabad", 17.4239, 78.4738),
]
DESCRIPTION = ("Plastic bottles, food wrappers and construction debris have piled up here for months. "
               "It needs a team with gloves, bags and a small truck for a full day, and the waste taken to "
               "the municipal collection point. Every rupee goes to the cleaner once the after-photo is verified.")


def _photo(seed: int) -> SimpleUploadedFile:
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


def _contribute(campaign, contributor, amount):
    contribution = services.contribution_start(campaign=campaign, contributor=contributor, amount=amount)
    result = engine.checkout_pay(order_id=contribution.payment.gateway_order_id, outcome="success")
    payment_services.payment_verify(payer=contributor, order_id=result["razorpay_order_id"],
                                    payment_id=result["razorpay_payment_id"], signature=result["razorpay_signature"])


def load_demo_campaigns(*, creator, admin, backers) -> int:
    """Idempotent: campaigns are recognised by title."""
    if Campaign.objects.filter(title=PLACES[0][0]).exists():
        return 0
    now = timezone.now()
    made = []
    for index, (title, address, lat, lng) in enumerate(PLACES):
        target = [2_000_00, 5_000_00, 8_000_00, 12_000_00, 3_000_00, 1_500_00, 20_000_00][index]
        campaign = services.campaign_create(creator=creator, title=title, description=DESCRIPTION,
                                            target_amount=target, latitude=lat, longitude=lng, address=address,
                                            photo=_photo(index))
        if campaign.status == Campaign.Status.DRAFT and index > 0:
            services.campaign_approve(campaign=campaign, admin=admin)
        made.append(campaign)
    # index 0 stays a draft waiting for approval (the creator's first campaign)
    active, funded, expiring, cancelled, nearly, fresh = made[1:]
    for backer, amount in zip(backers, (1_200_00, 800_00, 500_00)):
        _contribute(active, backer, amount)
    for backer, amount in zip(backers, (4_000_00, 2_500_00, 1_500_00)):
        _contribute(funded, backer, amount)
    _contribute(expiring, backers[0], 2_000_00)
    _contribute(nearly, backers[1], 1_000_00)
    services.campaign_cancel_by_admin(campaign=cancelled, admin=admin, reason="Duplicate of an existing campaign")
    Campaign.objects.filter(pk=expiring.pk).update(expires_at=now - timedelta(hours=1))
    services.campaigns_expire(now=now)
    return len(made)
