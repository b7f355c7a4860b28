"""The demo accounts' bookings (issue 11): one in every state, so every booking page has something to
show on `make run`, each made through the booking services at the moment the story says
(cleanit.demo.happened_at), and paid, refunded and paid out through the payments core and the gateway
simulator, as a person would have done it:

- Ravi (cleaner@demo.cleanit.in) has a request from Meera waiting for his answer (the countdown runs);
- Priya (customer@demo.cleanit.in) has a booking Ravi accepted that she has not paid yet, a paid one
  next week, one completed yesterday waiting for her review, one reviewed (5 stars, paid out), and three
  she cancelled: early (all refunded), late (half) and at the last minute (nothing back);
- Fatima's booking with Ravi is in progress right now (it started half an hour ago), and Arjun reported
  a problem with yesterday's cleaning (an open dispute; Ravi's payout waits for the admin);
- Sunita (sunita@demo.cleanit.in) cancelled one of Meera's bookings, so Meera is shown other cleaners.

The demo cleaners' past work (hundreds of reviewed bookings) is bookings.demo_history's."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from cleanit.demo import happened_at, next_at, on_day
from marketplace import selectors as marketplace_selectors
from marketplace.models import ServicePackage
from payments import services as payment_services
from payments.simulator import engine
from payments.simulator.tasks import deliver_outbox_in_process

from . import services
from .models import Booking

ADDRESSES = {
    "customer@demo.cleanit.in": {"street": "Flat 12B, Prestige Ferns, 27th Main, HSR Layout", "city": "Bengaluru",
                                 "state": "Karnataka", "pincode": "560102"},
    "meera@demo.cleanit.in": {"street": "No. 9, 6th Cross, Jayanagar 4th Block", "city": "Bengaluru",
                              "state": "Karnataka", "pincode": "560011"},
    "arjun@demo.cleanit.in": {"street": "House 221, 17th Main, BTM Layout 2nd Stage", "city": "Bengaluru",
                              "state": "Karnataka", "pincode": "560076"},
    "fatima@demo.cleanit.in": {"street": "Flat 3A, Sobha Lotus, Koramangala 6th Block", "city": "Bengaluru",
                               "state": "Karnataka", "pincode": "560095"},
}
MUMBAI = {"street": "Flat 701, Kalpataru Towers, Lokhandwala, Andheri West", "city": "Mumbai",
          "state": "Maharashtra", "pincode": "400053"}
PAYOUT_BATCH_AT = "10:00"  # payments.tasks' daily batch (IST)
REFUND_BATCH_DELAY = timedelta(minutes=5)


def _service(profile, name: str) -> ServicePackage:
    return ServicePackage.objects.get(cleaner=profile, name=name)


def _slot(service: ServicePackage, day, at: datetime, *, after: str = "00:00") -> str:
    """The first free start on ``day`` at or after ``after`` (HH:MM), as the Book page offers it at ``at``."""
    slots = marketplace_selectors.slots_for(cleaner_id=service.cleaner_id, date=day.isoformat(),
                                            service_id=service.pk, now=at).slots
    start = next(slot for slot in slots if slot.start_label >= after)
    return start.start_label


def _weekday_on_or_after(day, weekdays=range(5)):
    while day.weekday() not in weekdays:
        day += timedelta(days=1)
    return day


def _request(service, customer, *, day, at: datetime, after: str = "09:00", instructions: str = "") -> Booking:
    with happened_at(at):
        return services.booking_create(customer=customer, cleaner_id=service.cleaner_id, service_id=service.pk,
                                       booking_date=day.isoformat(), start_time=_slot(service, day, at, after=after),
                                       special_instructions=instructions, now=at,
                                       **(ADDRESSES.get(customer.email) or MUMBAI))


def _accept(booking: Booking, at: datetime) -> Booking:
    with happened_at(at):
        return services.booking_accept(booking=booking, user=booking.cleaner.user, now=at)


def _pay(booking: Booking, at: datetime) -> Booking:
    """Through the simulated checkout; the gateway's webhook arrives at once."""
    with happened_at(at):
        payment = services.booking_pay_start(booking=booking, user=booking.customer)
        result = engine.checkout_pay(order_id=payment.gateway_order_id, outcome="success")
        payment_services.payment_verify(payer=booking.customer, order_id=result["razorpay_order_id"],
                                        payment_id=result["razorpay_payment_id"],
                                        signature=result["razorpay_signature"])
        deliver_outbox_in_process()
    booking.refresh_from_db()
    return booking


def _work(booking: Booking, *, started: datetime, completed: datetime | None = None) -> Booking:
    with happened_at(started):
        services.booking_start(booking=booking, user=booking.cleaner.user, now=started)
    if completed:
        with happened_at(completed):
            services.booking_complete(booking=booking, user=booking.cleaner.user, now=completed)
    booking.refresh_from_db()
    return booking


def _cancel(booking: Booking, user, *, at: datetime, reason: str = "") -> Booking:
    """Cancelled at ``at``; a refund goes out in the next refund batch, and the gateway confirms it."""
    with happened_at(at):
        services.booking_cancel(booking=booking, user=user, reason=reason, now=at)
    with happened_at(at + REFUND_BATCH_DELAY):
        payment_services.refunds_process(now=timezone.now())
        deliver_outbox_in_process()
    booking.refresh_from_db()
    return booking


def load_demo_bookings(*, customer, cleaner, sunita, backers, now: datetime) -> int:
    """Idempotent: recognised by Priya's bookings. Returns how many bookings were made."""
    if Booking.objects.filter(customer=customer).exists():
        return 0
    meera, arjun, fatima = backers
    ravi = cleaner.cleaner_profile
    basic, kitchen = _service(ravi, "2 BHK basic clean"), _service(ravi, "Kitchen deep clean")
    bathroom = _service(ravi, "Bathroom deep clean (2 bathrooms)")
    today = timezone.localdate(now)
    made = []

    def day(days_ago: int, clock: str) -> datetime:
        return on_day(now, days_ago, clock)

    # Reviewed, paid out: Priya's kitchen, twelve days ago.
    booking = _request(kitchen, customer, day=_weekday_on_or_after(today - timedelta(days=12)), at=day(15, "20:10"),
                       instructions="Please focus on the chimney and the tiles behind the stove.")
    _accept(booking, day(15, "20:34"))
    _pay(booking, day(15, "20:41"))
    _work(booking, started=booking.starts_at, completed=booking.ends_at)
    reviewed = booking.ends_at + timedelta(hours=3)
    with happened_at(reviewed):
        services.review_create(booking=booking, user=customer, rating=5, now=reviewed,
                               comment="Ravi left the kitchen spotless, chimney included. On time and very polite.")
    batch = next_at(reviewed, PAYOUT_BATCH_AT)
    with happened_at(batch):
        payment_services.payouts_process(now=batch)
        deliver_outbox_in_process()
    made.append(booking)

    # Cancelled by Priya: a week ahead (all refunded), 10 hours ahead (half), 2 hours ahead (nothing).
    for days_ago, notice, reason in ((9, timedelta(days=6), "We are travelling that week."),
                                     (6, timedelta(hours=10), "Guests arrived early; we need to move it."),
                                     (4, timedelta(hours=2), "")):
        start_day = _weekday_on_or_after(today - timedelta(days=days_ago))
        asked = timezone.localtime(on_day(now, days_ago + 8, "19:30"))
        booking = _request(basic, customer, day=start_day, at=asked, after="15:00")
        _accept(booking, asked + timedelta(minutes=25))
        _pay(booking, asked + timedelta(minutes=40))
        made.append(_cancel(booking, customer, at=booking.starts_at - notice, reason=reason))

    # Arjun's yesterday: done, and a problem reported the same evening (the payout waits for the admin).
    yesterday = _weekday_on_or_after(today - timedelta(days=1), weekdays=range(6))
    if yesterday >= today:
        yesterday = today - timedelta(days=2)
    booking = _request(bathroom, arjun, day=yesterday, at=day((today - yesterday).days + 3, "18:00"))
    _accept(booking, booking.created_at + timedelta(minutes=50))
    _pay(booking, booking.created_at + timedelta(hours=2))
    _work(booking, started=booking.starts_at, completed=booking.ends_at)
    opened = min(booking.ends_at + timedelta(hours=4), now - timedelta(minutes=30))
    with happened_at(opened):
        services.dispute_open(booking=booking, user=arjun, category="poor_quality", now=opened,
                              text="The second bathroom was not done: the floor and the mirror are as they were.")
    made.append(booking)

    # Priya's completed yesterday (or the working day before), waiting for her review.
    booking = _request(basic, customer, day=yesterday, at=day((today - yesterday).days + 4, "21:15"), after="15:00")
    _accept(booking, booking.created_at + timedelta(minutes=12))
    _pay(booking, booking.created_at + timedelta(minutes=30))
    made.append(_work(booking, started=booking.starts_at, completed=booking.ends_at))

    # In progress now, if Ravi works at this hour; else tomorrow's paid booking stands for it.
    made += _in_progress_or_upcoming(basic, fatima, now)

    # Upcoming: paid (next week), accepted but unpaid (in two days), and a request waiting for Ravi.
    booking = _request(kitchen, customer, day=_weekday_on_or_after(today + timedelta(days=7)), at=day(2, "09:05"))
    _accept(booking, day(2, "09:50"))
    made.append(_pay(booking, day(2, "10:05")))
    booking = _request(bathroom, customer, day=_weekday_on_or_after(today + timedelta(days=2)), at=day(1, "19:40"),
                       after="15:00")
    made.append(_accept(booking, day(1, "20:05")))
    asked = now - timedelta(hours=3)
    made.append(_request(basic, meera, day=_weekday_on_or_after(today + timedelta(days=3)), at=asked,
                         instructions="There is a friendly dog at home."))

    # Sunita cancels one of Meera's Mumbai bookings (visiting her sister): Meera is shown other cleaners.
    sunita_basic = _service(sunita.cleaner_profile, "2 BHK basic clean")
    booking = _request(sunita_basic, meera, day=today + timedelta(days=4), at=day(3, "08:20"), after="07:00")
    _accept(booking, day(3, "08:45"))
    _pay(booking, day(3, "09:00"))
    made.append(_cancel(booking, sunita, at=day(1, "07:30"), reason="Family emergency, I am away that day."))
    return len(made)


def _in_progress_or_upcoming(service, customer, now: datetime) -> list[Booking]:
    """Fatima's booking: started half an hour ago if a slot of Ravi's schedule allows it now; else a
    paid booking tomorrow (the demo can be loaded at any hour)."""
    local = timezone.localtime(now)
    start = (local - timedelta(minutes=30)).replace(second=0, microsecond=0)
    start = start.replace(minute=0 if start.minute < 30 else 30)
    asked = now - timedelta(days=2)
    try:
        clock = start.strftime("%H:%M")
        slots = marketplace_selectors.slots_for(cleaner_id=service.cleaner_id, date=start.date().isoformat(),
                                                service_id=service.pk, now=asked).slots
        if not any(slot.start_label == clock for slot in slots):
            raise LookupError(clock)
        with happened_at(asked):
            booking = services.booking_create(customer=customer, cleaner_id=service.cleaner_id, service_id=service.pk,
                                              booking_date=start.date().isoformat(), start_time=clock, now=asked,
                                              **ADDRESSES[customer.email])
    except LookupError:
        tomorrow = _weekday_on_or_after(timezone.localdate(now) + timedelta(days=1))
        booking = _request(service, customer, day=tomorrow, at=asked)
        _accept(booking, asked + timedelta(minutes=20))
        return [_pay(booking, asked + timedelta(minutes=45))]
    _accept(booking, asked + timedelta(minutes=20))
    _pay(booking, asked + timedelta(minutes=45))
    started = booking.starts_at + timedelta(minutes=2)
    return [_work(booking, started=min(started, now - timedelta(minutes=1)))]
