"""The numbers campaigns live by. Services enforce them and notices quote them, from here."""

from __future__ import annotations

import re

TITLE_LENGTH = (10, 100)
DESCRIPTION_LENGTH = (50, 1000)
TARGET_RANGE = (500_00, 50_000_00)  # ₹500 to ₹50,000, in paise
MIN_CONTRIBUTION = 10_00  # ₹10
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_FORMATS = ("JPEG", "PNG")
ADDRESS_MAX_LENGTH = 255
CITY_MAX_LENGTH = 60
# Locations must be in India: cleanit.geo.INDIA_LATITUDE and INDIA_LONGITUDE, shared with searches.
SPAM_RADIUS_METRES = 100
SPAM_MAX_OPEN_NEARBY = 3  # more than this many open campaigns within the radius get flagged
FUNDED_AT_EXPIRY_RATIO = (8, 10)  # >= 80% raised at expiry counts as funded
# How long a campaign raises funds, by target: (up to this target in paise, days); above the last, the default.
EXPIRY_TIERS = ((2_000_00, 30), (10_000_00, 45))
EXPIRY_DAYS_ABOVE_TIERS = 60
PAYABLE_KIND = "contribution"
_PIN_CODE = re.compile(r"[\s-]*\b\d{3}\s?\d{3}\s*$")


def expiry_days(target_amount: int) -> int:
    for up_to, days in EXPIRY_TIERS:
        if target_amount <= up_to:
            return days
    return EXPIRY_DAYS_ABOVE_TIERS


def funded_at_expiry_percent() -> int:
    return FUNDED_AT_EXPIRY_RATIO[0] * 100 // FUNDED_AT_EXPIRY_RATIO[1]


def city_in_address(address: str) -> str:
    """The city an address names by Indian habit, its last part without a PIN code:
    "Juhu Beach, Gate 2, Mumbai - 400049" -> "Mumbai"."""
    parts = [_PIN_CODE.sub("", part).strip() for part in (address or "").split(",")]
    parts = [part for part in parts if part]
    return parts[-1][:CITY_MAX_LENGTH] if parts else ""
