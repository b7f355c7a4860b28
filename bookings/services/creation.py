"""Booking a cleaner: the checks, the price snapshot, and the slot taken race-safely (bookings.holds)."""

from __future__ import annotations

import re
from datetime import datetime

from django.db import IntegrityError
from django.utils import timezone

from cleanit import errors, geo
from cleanit.db import atomic, on_commit
from marketplace import rules as marketplace_rules
from marketplace import selectors as marketplace_selectors
from marketplace.errors import AccountSuspended
from notifications.services import notify

from .. import notices, rules
from ..errors import CleanerUnavailable, NotACustomer, SlotUnavailable
from ..models import Booking
from .holds import holds_take
from .timeline import event_record

_CLOCK = re.compile(r"^(\d{2}):(\d{2})$")
ADDRESS_LIMITS = {"street": marketplace_rules.STREET_MAX, "city": marketplace_rules.CITY_MAX,
                  "state": marketplace_rules.STATE_MAX}


def customer_check(user) -> None:
    """NotACustomer (403) for anyone but a customer; AccountSuspended (403) for a suspended one."""
    if not getattr(user, "is_authenticated", False) or not user.is_customer:
        raise NotACustomer(notices.ONLY_CUSTOMERS_BOOK)
    if user.is_suspended or user.is_deleted or not user.is_active:
        raise AccountSuspended()


def _text(value) -> str:
    return " ".join(str(value).split()) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""


def _address(street, city, state, pincode, field_errors: dict) -> dict:
    address = {}
    for name, value in (("street", street), ("city", city), ("state", state)):
        text = _text(value) if value is not None else ""
        if not text:
            field_errors[name] = [notices.ADDRESS_REQUIRED]
        elif len(text) > ADDRESS_LIMITS[name]:
            field_errors[name] = [f"Keep this to {ADDRESS_LIMITS[name]} characters."]
        address[name] = text
    code = _text(pincode) if pincode is not None else ""
    if not marketplace_rules.PINCODE.match(code):
        field_errors["pincode"] = [notices.PINCODE_INVALID]
    address["pincode"] = code
    return address


def _start_minute(value, field_errors: dict) -> int | None:
    match = _CLOCK.match(str(value or "").strip()) if isinstance(value, str) else None
    if match:
        hour, minute = int(match[1]), int(match[2])
        if hour < 24 and minute < 60 and minute % marketplace_rules.SLOT_STEP_MINUTES == 0:
            return hour * 60 + minute
    field_errors["start_time"] = [notices.TIME_INVALID]
    return None


def _customer_point(latitude, longitude, field_errors: dict) -> dict:
    """The customer's optional point (both or neither, inside India), for coverage figures."""
    if latitude in (None, "") and longitude in (None, ""):
        return {}
    try:
        near = geo.near_from_query(lat=latitude, lng=longitude)
    except errors.ValidationFailed as exc:
        field_errors.update({{"lat": "latitude", "lng": "longitude"}.get(name, name): messages
                             for name, messages in exc.fields.items()})
        return {}
    return {"latitude": near.latitude, "longitude": near.longitude} if near else {}


def booking_create(*, customer, cleaner_id, service_id, booking_date, start_time, street=None, city=None,
                   state=None, pincode=None, special_instructions="", latitude=None, longitude=None,
                   now: datetime | None = None) -> Booking:
    """A pending booking of one of a visible, available cleaner's active services, in one of its free
    slots, with the price snapshot. Exactly one of two overlapping requests wins (the holds' unique
    constraint); the other gets SlotUnavailable (409)."""
    now = now or timezone.now()
    customer_check(customer)
    field_errors: dict[str, list[str]] = {}
    address = _address(street, city, state, pincode, field_errors)
    instructions = str(special_instructions or "").strip() if isinstance(special_instructions, str) else ""
    if special_instructions not in (None, "") and not isinstance(special_instructions, str):
        field_errors["special_instructions"] = ["Enter text."]
    elif len(instructions) > rules.SPECIAL_INSTRUCTIONS_MAX:
        field_errors["special_instructions"] = [notices.special_instructions_too_long()]
    minute = _start_minute(start_time, field_errors)
    point = _customer_point(latitude, longitude, field_errors)
    try:
        day = marketplace_selectors.slots_for(cleaner_id=cleaner_id, date=booking_date, service_id=service_id,
                                              now=now)
    except errors.ValidationFailed as exc:  # the date's messages name the API's field
        if "date" in exc.fields:
            exc.fields["booking_date"] = exc.fields.pop("date")
        exc.fields.update(field_errors)
        raise
    if field_errors:
        raise errors.ValidationFailed(fields=field_errors)
    service = day.service
    profile = service.cleaner
    if not profile.is_available or not profile.listed:
        raise CleanerUnavailable(notices.CLEANER_NOT_AVAILABLE)
    wanted = f"{minute // 60:02d}:{minute % 60:02d}"
    slot = next((slot for slot in day.slots if slot.start_label == wanted), None)
    if slot is None:
        raise SlotUnavailable(notices.NOT_A_FREE_SLOT, fields={"start_time": [notices.NOT_A_FREE_SLOT]})
    fee = rules.platform_fee(service.price)
    booking = Booking(created_at=now, customer=customer, cleaner=profile, service=service, service_name=service.name,
                      service_type=service.service_type, duration_minutes=service.duration_minutes,
                      service_price=service.price, platform_fee=fee, total_price=service.price + fee,
                      starts_at=slot.start, ends_at=slot.end, special_instructions=instructions, **point,
                      **address)
    try:
        with atomic():
            booking.save(force_insert=True)
            holds_take(booking)
            event_record(booking=booking, action="requested", actor=customer, to_status=Booking.Status.PENDING)
    except IntegrityError:
        raise SlotUnavailable(notices.SLOT_TAKEN, fields={"start_time": [notices.SLOT_TAKEN]}) from None
    on_commit(lambda: notify(user=profile.user, event="booking.requested", link=notices.booking_link(booking.pk),
                             **notices.booking_requested(booking)))
    return booking
