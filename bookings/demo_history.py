"""The demo cleaners' past work (issue 11): the bookings behind the figures a customer chooses by.

marketplace.demo plans each KYC-verified cleaner's history (``Plan.counters``: bookings completed,
requests answered and declined, cancellations, ratings); this module makes those bookings, so that a
rating of "4.7 from 31 reviews" is 31 reviews one can read, "27 completed" is 27 completed bookings, and
the response time and cancellation rate are computed from the requests' own times. The figures on the
profiles are then set from these rows (never seeded).

Every completed booking was paid and its cleaner paid out, as the payments core would have recorded it:
the customer's payment (captured, held in escrow), the platform's fee, the cleaner's payout (paid), each
with its ledger entry, and the gateway simulator's own record of the order, the payment and the payout,
so that check_ledger and the reconciliation find nothing to report. Cancellations in the history happened
before payment (nothing to refund). It is all history (weeks ago), bulk-inserted for speed (`make run`
starts with it); live bookings of the demo accounts, made through the services, are bookings.demo's.

Customers are generated too (``first.surnameN@customers.demo.cleanit.in``, the demo password), and the
whole set is drawn from one seeded generator: the same history on every machine, made once."""

from __future__ import annotations

import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models import Count, Q, Sum
from django.utils import timezone

from marketplace import demo as marketplace_demo
from marketplace.models import CleanerProfile, Role, ScheduleRange, ServicePackage, User
from payments.ledger import payout_entry_key
from payments.models import LedgerEntry, Payment, Payout
from payments.simulator.engine import new_id
from payments.simulator.models import SimOrder, SimPayment, SimPayout

from . import notices, rules
from .models import Booking, BookingEvent, CleanerCancellation, Party, Review

SEED = 2026_11
CUSTOMER_DOMAIN = "customers.demo.cleanit.in"
CUSTOMERS_PER_CITY = 12
HISTORY_ENDS_DAYS_AGO = 2  # the most recent past booking ended at least this long ago
DECLINE_REASONS = ("Already booked at that time, sorry.", "Too far from my area for that slot.",
                   "I am away that day.", "That day I only take morning work.")
CUSTOMER_CANCEL_REASONS = ("Plans changed.", "We will be travelling that week.", "")
CLEANER_CANCEL_REASONS = ("Family emergency, very sorry.", "I am unwell that day.")
COMMENTS = {
    5: ("Spotless, and on time. Will book again.", "Very thorough with the kitchen and bathrooms.",
        "Polite, quick and careful with our things.", "Best cleaning we have had. Thank you!", ""),
    4: ("Good work, a little late.", "Clean house, missed the balcony.", "Good, would book again.", ""),
    3: ("Okay. Some corners were left.", "Average; the bathroom needed another go.", ""),
    2: ("Came late and rushed the work.", ""),
    1: ("Did not finish the job.",),
}


@dataclass
class History:
    profile: CleanerProfile
    user: User
    counters: dict
    last_rating: int | None
    since: datetime


def _histories(now: datetime, named: dict[str, dict]) -> list[History]:
    """The planned history of each verified demo cleaner with a profile (generated ones, and the demo
    accounts by e-mail -> their story in marketplace.demo), in the plan's order."""
    planned = {person.email: person for person in marketplace_demo.plan(now)}
    for email, story in named.items():
        planned[email] = marketplace_demo.Plan(name="", email=email, phone="", joined=now, set_up=now, profile={},
                                               week=[], packages=[], counters=story["counters"],
                                               last_rating=story["last_rating"])
    profiles = {profile.user.email: profile for profile in CleanerProfile.objects.select_related("user", "user__kyc")
                .filter(user__email__in=list(planned))}
    found = []
    for email, person in planned.items():
        profile = profiles.get(email)
        if profile is None or not person.counters or not profile.verified:
            continue
        found.append(History(profile=profile, user=profile.user, counters=person.counters,
                             last_rating=person.last_rating, since=profile.user.kyc.reviewed_at or profile.created_at))
    return found


def _customers(rng: random.Random, password: str, now: datetime) -> dict[str, list[User]]:
    """Generated customers in each demo city, joined a few months ago."""
    people, by_city, phones = [], {}, set()
    for city in marketplace_demo.CITIES:
        communities, weights = zip(*city.communities)
        for _ in range(CUSTOMERS_PER_CITY):
            community = marketplace_demo.COMMUNITIES[rng.choices(communities, weights)[0]]
            first = rng.choice(community.women + community.men)
            surname = rng.choice(community.surnames)
            number = len(people) + 1
            phone = f"+91{rng.choice('6789')}{rng.randint(0, 999_999_999):09d}"
            while phone in phones:
                phone = f"+91{rng.choice('6789')}{rng.randint(0, 999_999_999):09d}"
            phones.add(phone)
            joined = now - timedelta(days=rng.randint(150, 400), minutes=rng.randint(0, 1440))
            user = User(email=f"{marketplace_demo._ascii(first)}.{marketplace_demo._ascii(surname)}{number}@"
                              f"{CUSTOMER_DOMAIN}", name=f"{first} {surname}", phone=phone, role=Role.CUSTOMER,
                        password=password, date_joined=joined, email_verified_at=joined,
                        terms_version=settings.TERMS_VERSION, terms_accepted_at=joined)
            people.append(user)
            by_city.setdefault(city.name, []).append(user)
    User.objects.bulk_create(people)
    return by_city


def _ratings(rng: random.Random, total: int, count: int) -> list[int]:
    """``count`` ratings of 1-5 summing to ``total``, spread a little around the average, shuffled."""
    if not count:
        return []
    base, extra = divmod(total, count)
    ratings = [base + 1] * extra + [base] * (count - extra)
    for _ in range(count // 3):  # move a point from one to another where both stay in 1-5
        i, j = rng.randrange(count), rng.randrange(count)
        if i != j and ratings[i] < 5 and ratings[j] > 1:
            ratings[i] += 1
            ratings[j] -= 1
    rng.shuffle(ratings)
    return ratings


class _Rows:
    """What one bulk insert of the history writes, table by table."""

    def __init__(self):
        self.bookings, self.events, self.reviews, self.cancellations = [], [], [], []
        self.orders, self.sim_payments, self.payments, self.ledger = [], [], [], []
        self.sim_payouts, self.payouts = [], []


def _starts(rng: random.Random, history: History, count: int, now: datetime, schedule: dict) -> list[datetime]:
    """``count`` distinct past starts (IST, on the cleaner's schedule) between their verification and
    HISTORY_ENDS_DAYS_AGO, one booking a day at most."""
    first = timezone.localdate(history.since) + timedelta(days=1)
    last = timezone.localdate(now) - timedelta(days=HISTORY_ENDS_DAYS_AGO + 1)
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    days = [day for day in days if schedule.get(day.weekday())]
    chosen = sorted(rng.sample(days, min(count, len(days))))
    starts = []
    for day in chosen:
        start_minute, _ = rng.choice(schedule[day.weekday()])
        starts.append(datetime.combine(day, time(start_minute // 60, start_minute % 60),
                                       tzinfo=timezone.get_default_timezone()))
    return starts


def _booking(rng, history: History, service: ServicePackage, customer: User, start: datetime,
             answer_seconds: int) -> Booking:
    fee = rules.platform_fee(service.price)
    created = start - timedelta(hours=rng.randint(20, 120), minutes=rng.randint(0, 59))
    return Booking(created_at=created, updated_at=created, customer=customer, cleaner=history.profile,
                   service=service, service_name=service.name, service_type=service.service_type,
                   duration_minutes=service.duration_minutes, service_price=service.price, platform_fee=fee,
                   total_price=service.price + fee, starts_at=start,
                   ends_at=start + timedelta(minutes=service.duration_minutes),
                   street=f"{rng.randint(1, 300)}, {rng.choice(('Main Road', 'Cross Road', 'Lane', 'Nagar'))}",
                   city=history.profile.city, state=history.profile.state, pincode=history.profile.pincode,
                   confirmed_at=created + timedelta(seconds=answer_seconds))


def _event(booking: Booking, moment: datetime, action: str, party: str, actor, from_status: str = "",
           to_status: str = "", note: str = "") -> BookingEvent:
    return BookingEvent(created_at=moment, updated_at=moment, booking=booking, party=party, actor=actor,
                        action=action, from_status=from_status, to_status=to_status, note=note)


def _completed(rows: _Rows, booking: Booking, rng, rating: int | None) -> None:
    """A paid, done and paid-out booking, with what the payments core and the gateway recorded."""
    S = Booking.Status
    paid = booking.confirmed_at + timedelta(minutes=rng.randint(3, 600))
    done = booking.ends_at
    payout_at = timezone.localtime(done + rules.PAYOUT_AFTER_COMPLETION).replace(hour=10, minute=0) + timedelta(days=1)
    reviewed = done + timedelta(hours=rng.randint(1, 40)) if rating else None
    if reviewed:
        payout_at = timezone.localtime(reviewed).replace(hour=10, minute=0) + timedelta(days=1)
    booking.status, booking.payment_status = S.COMPLETED, Booking.PaymentStatus.PAID
    booking.paid_at, booking.started_at, booking.completed_at = paid, booking.starts_at, done
    booking.payout_due_at, booking.payout_scheduled = reviewed or done + rules.PAYOUT_AFTER_COMPLETION, True
    booking.cleaner_amount, booking.fee_amount = booking.service_price, booking.platform_fee
    booking.updated_at = payout_at
    order = SimOrder(id=new_id("order"), amount=booking.total_price, currency="INR", receipt="", status="paid",
                     attempts=1, created_at=paid)
    sim_payment = SimPayment(id=new_id("pay"), order=order, amount=booking.total_price, status="captured",
                             created_at=paid)
    payment = Payment(created_at=paid, updated_at=paid, payer=booking.customer, payable_kind=rules.PAYABLE_KIND,
                      payable_id=str(booking.pk), escrow_key=booking.escrow_key,
                      description=notices.payment_description(booking)[:200], amount=booking.total_price,
                      status=Payment.Status.CAPTURED, gateway_order_id=order.id, gateway_payment_id=sim_payment.id,
                      captured_at=paid)
    order.receipt = str(payment.pk)
    booking.payment = payment
    payout = Payout(created_at=booking.payout_due_at, updated_at=payout_at, payee=booking.cleaner.user,
                    source_kind=rules.PAYOUT_SOURCE, source_id=str(booking.pk), escrow_key=booking.escrow_key,
                    description=notices.payout_description(booking)[:200], amount=booking.service_price,
                    status=Payout.Status.PAID, due_at=booking.payout_due_at, next_attempt_at=booking.payout_due_at,
                    attempts=1, mode="UPI", paid_at=payout_at)
    sim_payout = SimPayout(id=new_id("pout"), idempotency_key=payout.idempotency_key, fund_account_id="fa_demo",
                           amount=payout.amount, mode="UPI", purpose="payout", reference_id=str(payout.pk)[:40],
                           status="processed", utr=f"DEMO{rng.randint(10**11, 10**12 - 1)}", created_at=payout_at)
    payout.gateway_payout_id, payout.utr = sim_payout.id, sim_payout.utr
    rows.orders.append(order)
    rows.sim_payments.append(sim_payment)
    rows.payments.append(payment)
    rows.sim_payouts.append(sim_payout)
    rows.payouts.append(payout)
    rows.ledger += [
        LedgerEntry(created_at=paid, updated_at=paid, escrow_key=booking.escrow_key, kind=LedgerEntry.Kind.HELD,
                    amount=payment.amount, entry_key=f"held:{payment.pk}", payment=payment),
        LedgerEntry(created_at=booking.payout_due_at, updated_at=booking.payout_due_at, escrow_key=booking.escrow_key,
                    kind=LedgerEntry.Kind.FEE, amount=booking.platform_fee, entry_key=f"fee:booking:{booking.pk}",
                    reference=f"booking:{booking.pk}"),
        LedgerEntry(created_at=payout_at, updated_at=payout_at, escrow_key=booking.escrow_key,
                    kind=LedgerEntry.Kind.PAID_OUT, amount=payout.amount,
                    entry_key=payout_entry_key(LedgerEntry.Kind.PAID_OUT, payout), reference=f"payout:{payout.pk}"),
    ]
    cleaner, customer = booking.cleaner.user, booking.customer
    rows.events += [  # the history's timeline keeps the answer and the end (loading stays quick)
        _event(booking, booking.confirmed_at, "accepted", Party.CLEANER, cleaner, S.PENDING, S.CONFIRMED),
        _event(booking, done, "completed", Party.CLEANER, cleaner, S.IN_PROGRESS, S.COMPLETED),
    ]
    if rating:
        comment = rng.choice(COMMENTS[rating])
        rows.reviews.append(Review(created_at=reviewed, updated_at=reviewed, booking=booking, cleaner=booking.cleaner,
                                   customer=customer, rating=rating, comment=comment))
        rows.events.append(_event(booking, reviewed, "reviewed", Party.CUSTOMER, customer, note=f"{rating} stars"))


def _cancelled(rows: _Rows, booking: Booking, rng, *, by: str) -> None:
    """Cancelled before payment: declined by the cleaner, or accepted then cancelled by either party."""
    S = Booking.Status
    cleaner, customer = booking.cleaner.user, booking.customer
    if by == "declined":
        moment, booking.confirmed_at = booking.confirmed_at, None
        booking.cancelled_by, booking.cancellation_reason = Party.CLEANER, rng.choice(DECLINE_REASONS)
        rows.events.append(_event(booking, moment, "rejected", Party.CLEANER, cleaner, S.PENDING, S.CANCELLED,
                                  booking.cancellation_reason))
    else:
        rows.events.append(_event(booking, booking.confirmed_at, "accepted", Party.CLEANER, cleaner, S.PENDING,
                                  S.CONFIRMED))
        moment = booking.confirmed_at + (booking.starts_at - booking.confirmed_at) * rng.uniform(0.2, 0.8)
        party = Party.CLEANER if by == "cleaner" else Party.CUSTOMER
        reasons = CLEANER_CANCEL_REASONS if by == "cleaner" else CUSTOMER_CANCEL_REASONS
        booking.cancelled_by, booking.cancellation_reason = party, rng.choice(reasons)
        rows.events.append(_event(booking, moment, "cancelled", party, cleaner if by == "cleaner" else customer,
                                  S.CONFIRMED, S.CANCELLED, booking.cancellation_reason))
        if by == "cleaner":
            rows.cancellations.append(CleanerCancellation(created_at=moment, updated_at=moment,
                                                          cleaner=booking.cleaner, booking=booking,
                                                          reason=booking.cancellation_reason))
    booking.status, booking.cancelled_at, booking.updated_at = S.CANCELLED, moment, moment


def load_demo_history(*, now: datetime, named: dict[str, dict]) -> int:
    """Make every verified demo cleaner's planned history once; returns how many bookings were made.
    ``named``: the demo accounts' e-mails -> their stories (marketplace.demo.RAVI, SUNITA)."""
    if User.objects.filter(email__endswith=f"@{CUSTOMER_DOMAIN}").exists():
        return 0
    rng = random.Random(SEED)
    histories = _histories(now, named)
    customers = _customers(rng, make_password(settings.DEMO_PASSWORD), now)
    profile_ids = [history.profile.pk for history in histories]
    services: dict = {}
    for service in ServicePackage.objects.filter(cleaner_id__in=profile_ids, is_active=True).order_by("price"):
        services.setdefault(service.cleaner_id, []).append(service)
    schedules: dict = {}
    for profile_id, weekday, start, end in ScheduleRange.objects.filter(profile_id__in=profile_ids).values_list(
            "profile_id", "weekday", "start_minute", "end_minute"):
        schedules.setdefault(profile_id, {}).setdefault(weekday, []).append((start, end))
    rows = _Rows()
    for history in histories:
        c = history.counters
        offered = services.get(history.profile.pk)
        schedule = schedules.get(history.profile.pk, {})
        ratings = _ratings(rng, c["rating_total"] + (history.last_rating or 0),
                           c["rating_count"] + (1 if history.last_rating else 0))
        by_customers = c["accepted_bookings"] - c["completed_bookings"] - c["cleaner_cancellations"]
        declined = c["response_count"] - c["accepted_bookings"]
        kinds = (["completed"] * c["completed_bookings"] + ["cleaner"] * c["cleaner_cancellations"]
                 + ["customer"] * by_customers + ["declined"] * declined)
        starts = _starts(rng, history, len(kinds), now, schedule) if offered and schedule else []
        rng.shuffle(kinds)
        answers = _answer_seconds(rng, c["response_seconds_total"], len(starts))
        rated = iter(ratings)
        for kind, start, answer in zip(kinds, starts, answers):
            service = rng.choice(offered)
            customer = rng.choice(customers.get(history.profile.city) or sum(customers.values(), []))
            booking = _booking(rng, history, service, customer, start, answer)
            rows.bookings.append(booking)
            rows.events.append(_event(booking, booking.created_at, "requested", Party.CUSTOMER, customer,
                                      to_status=Booking.Status.PENDING))
            if kind == "completed":
                _completed(rows, booking, rng, next(rated, None))
            else:
                _cancelled(rows, booking, rng, by=kind)
    _insert(rows)
    _figures(profile_ids)
    return len(rows.bookings)


def _answer_seconds(rng: random.Random, total: int, count: int) -> list[int]:
    """``count`` answer times (at least a minute each) summing to about ``total`` seconds."""
    if not count:
        return []
    weights = [rng.triangular(0.2, 3, 0.6) for _ in range(count)]
    scale = total / sum(weights)
    return [max(60, round(weight * scale)) for weight in weights]


@contextmanager
def _timestamps_as_given(*model_classes):
    """Within the block, bulk inserts keep the created_at/updated_at the rows carry (the history's own
    moments) instead of stamping the present (auto_now_add / auto_now)."""
    fields = [field for model in model_classes for field in model._meta.concrete_fields
              if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _insert(rows: _Rows) -> None:
    with _timestamps_as_given(SimOrder, SimPayment, Payment, Booking, BookingEvent, Review, CleanerCancellation,
                              SimPayout, Payout, LedgerEntry):
        _bulk(rows)


def _bulk(rows: _Rows) -> None:
    batch = 2000
    SimOrder.objects.bulk_create(rows.orders, batch_size=batch)
    SimPayment.objects.bulk_create(rows.sim_payments, batch_size=batch)
    Payment.objects.bulk_create(rows.payments, batch_size=batch)
    Booking.objects.bulk_create(rows.bookings, batch_size=batch)
    BookingEvent.objects.bulk_create(rows.events, batch_size=batch)
    Review.objects.bulk_create(rows.reviews, batch_size=batch)
    CleanerCancellation.objects.bulk_create(rows.cancellations, batch_size=batch)
    SimPayout.objects.bulk_create(rows.sim_payouts, batch_size=batch)
    Payout.objects.bulk_create(rows.payouts, batch_size=batch)
    LedgerEntry.objects.bulk_create(rows.ledger, batch_size=batch)


def _figures(profile_ids: list) -> None:
    """Each cleaner's figures from their bookings and reviews, as the booking services keep them."""
    S = Booking.Status
    by_profile = {row["cleaner_id"]: row for row in Booking.objects.filter(cleaner_id__in=profile_ids).order_by()
                  .values("cleaner_id").annotate(
                      completed=Count("id", filter=Q(status=S.COMPLETED)),
                      accepted=Count("id", filter=Q(confirmed_at__isnull=False)),
                      declined=Count("id", filter=Q(status=S.CANCELLED, confirmed_at__isnull=True,
                                                    cancelled_by=Party.CLEANER)),
                      cleaner_cancelled=Count("id", filter=Q(status=S.CANCELLED, confirmed_at__isnull=False,
                                                             cancelled_by=Party.CLEANER)))}
    reviews = {row["cleaner_id"]: row for row in Review.objects.filter(cleaner_id__in=profile_ids).order_by()
               .values("cleaner_id").annotate(total=Sum("rating"), count=Count("id"))}
    answers: dict = {}
    for profile_id, created, confirmed, cancelled in Booking.objects.filter(cleaner_id__in=profile_ids).values_list(
            "cleaner_id", "created_at", "confirmed_at", "cancelled_at"):
        answered = confirmed or cancelled  # accepted, or else declined (or cancelled unanswered)
        if answered:
            seconds, count = answers.get(profile_id, (0, 0))
            answers[profile_id] = (seconds + round((answered - created).total_seconds()), count + 1)
    for profile_id in profile_ids:
        row = by_profile.get(profile_id, {})
        review = reviews.get(profile_id, {"total": 0, "count": 0})
        seconds, _ = answers.get(profile_id, (0, 0))
        answered = row.get("accepted", 0) + row.get("declined", 0)
        CleanerProfile.objects.filter(pk=profile_id).update(
            completed_bookings=row.get("completed", 0), accepted_bookings=row.get("accepted", 0),
            cleaner_cancellations=row.get("cleaner_cancelled", 0), response_count=answered,
            response_seconds_total=seconds if answered else 0, rating_total=review["total"] or 0,
            rating_count=review["count"], rating_avg=(review["total"] / review["count"]) if review["count"] else 0)
