"""The demo data tells one story whose dates agree (issue 9, "honest demo data"): every campaign,
contribution, job, payout, ledger entry, notification and account is checked, not a sample."""

import io
import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from bookings import demo_history
from bookings.models import Booking, Review
from campaigns import rules as campaign_rules
from campaigns.models import Campaign, Contribution
from cleanit import geo
from cleanit.errors import ValidationFailed
from cleanit.images import read_metadata
from cleanit.money import format_inr
from jobs import rules as job_rules
from jobs import selectors as job_selectors
from jobs.models import CleanerJobStats, Job, JobReview
from marketplace import demo as demo_cleaners
from marketplace import discovery, rules, services
from marketplace.models import CleanerKYC, CleanerProfile, ScheduleRange, ServicePackage, User
from notifications.models import Notification
from payments.models import LedgerEntry, Payment, Payout, Refund, WebhookEvent

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# What one step of the story writes is stamped within moments; a minute is far more than a step takes.
SAME_STEP = timedelta(minutes=1)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Loaded once, outside a test transaction, so that what the services do after commit happens as
    it does in `make run`; emptied again afterwards, as a transactional test would be. The present
    moment of the story and where its photos are."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock():
        try:
            with override_settings(DEBUG=True, MEDIA_ROOT=media):
                call_command("load_demo_data", stdout=io.StringIO())
            yield timezone.now(), media
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def present(demo):
    return demo[0]


def _close(first, second) -> bool:
    return first is not None and second is not None and abs(first - second) <= SAME_STEP


def _ordered(*moments) -> bool:
    """Each moment no earlier than the one before (within a step: values stamped in one step may come
    in either order by a few milliseconds)."""
    known = [moment for moment in moments if moment is not None]
    return all(later >= earlier - SAME_STEP for earlier, later in zip(known, known[1:]))


def _check(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_campaigns_start_before_they_are_funded_expire_or_close(present):
    problems = []
    campaigns = Campaign.objects.select_related("creator")
    assert campaigns.count() == 16
    for c in campaigns:
        if not _ordered(c.creator.date_joined, c.created_at, c.approved_at, c.funded_at, c.completed_at, c.ended_at,
                        present):
            problems.append(f"{c.title}: joined {c.creator.date_joined}, created {c.created_at}, approved "
                            f"{c.approved_at}, funded {c.funded_at}, cleaned {c.completed_at}, ended {c.ended_at}")
        if c.approved_at and c.expires_at != c.approved_at + timedelta(days=campaign_rules.expiry_days(
                c.target_amount)):
            problems.append(f"{c.title}: live {c.approved_at}, expires {c.expires_at}")
        if c.expires_at and not c.created_at < c.expires_at:
            problems.append(f"{c.title}: expires {c.expires_at} before it was created {c.created_at}")
        if c.funded_at and not c.funded_at <= c.expires_at:
            problems.append(f"{c.title}: funded {c.funded_at} after it expired {c.expires_at}")
        if c.status == Campaign.Status.EXPIRED and not c.expires_at <= c.ended_at:
            problems.append(f"{c.title}: expired {c.ended_at}, before its end {c.expires_at}")
        if c.status == Campaign.Status.ACTIVE and not c.expires_at > present:
            problems.append(f"{c.title}: still raising funds, but it expired {c.expires_at}")
    _check(problems)


def test_contributions_fall_within_their_campaigns_life_and_refunds_follow_them(present):
    problems = []
    for x in Contribution.objects.select_related("campaign", "contributor", "payment"):
        c = x.campaign
        closing = min(c.funded_at or c.ended_at or present, c.expires_at)
        if not _ordered(x.contributor.date_joined, c.approved_at, x.created_at, x.credited_at, closing):
            problems.append(f"{c.title}: {x.contributor} joined {x.contributor.date_joined}, campaign live "
                            f"{c.approved_at}, paid {x.created_at}, credited {x.credited_at}, campaign closed "
                            f"to contributions {closing}")
        if not (_close(x.payment.created_at, x.created_at) and _close(x.payment.captured_at, x.credited_at)):
            problems.append(f"{c.title}: contribution {x.created_at}/{x.credited_at}, payment "
                            f"{x.payment.created_at}/{x.payment.captured_at}")
    for refund in Refund.objects.select_related("payment").filter(payment__payable_kind="contribution"):
        contribution = Contribution.objects.select_related("campaign").get(payment=refund.payment)
        if not (_ordered(refund.payment.captured_at, refund.created_at, refund.sent_at, refund.refunded_at, present)
                and _close(refund.created_at, contribution.campaign.ended_at)):
            problems.append(f"refund of {contribution.campaign.title}: captured {refund.payment.captured_at}, "
                            f"campaign ended {contribution.campaign.ended_at}, asked {refund.created_at}, sent "
                            f"{refund.sent_at}, refunded {refund.refunded_at}")
    assert Refund.objects.filter(status=Refund.Status.REFUNDED).exists()
    _check(problems)


def test_jobs_follow_their_campaign_in_order_claimed_completed_verified_paid(present):
    problems = []
    for job in Job.objects.select_related("campaign", "claimed_by"):
        c, title = job.campaign, job.campaign.title
        if not _close(job.created_at, c.funded_at) or job.expires_at != c.funded_at + job_rules.JOB_LIFETIME:
            problems.append(f"{title}: funded {c.funded_at}, job made {job.created_at}, offered until "
                            f"{job.expires_at}")
        if not _ordered(job.created_at, job.claimed_at, job.completed_at, job.verified_at, job.paid_at, present):
            problems.append(f"{title}: made {job.created_at}, claimed {job.claimed_at}, completed "
                            f"{job.completed_at}, verified {job.verified_at}, paid {job.paid_at}")
        if job.claimed_at is None:
            continue
        kyc = CleanerKYC.objects.get(user=job.claimed_by)
        if not (kyc.reviewed_at and kyc.reviewed_at < job.claimed_at):
            problems.append(f"{title}: claimed {job.claimed_at} by {job.claimed_by}, KYC verified {kyc.reviewed_at}")
        if job.completion_deadline != job.claimed_at + job_rules.COMPLETION_TIME:
            problems.append(f"{title}: claimed {job.claimed_at}, deadline {job.completion_deadline}")
        if job.verified_at:
            review = JobReview.objects.get(job=job)
            if job.verify_seconds != int((job.verified_at - job.completed_at).total_seconds()) \
                    or not _close(review.created_at, job.verified_at) or not _close(c.completed_at, job.verified_at):
                problems.append(f"{title}: completed {job.completed_at}, verified {job.verified_at} "
                                f"({job.verify_seconds} s), review {review.created_at}, campaign cleaned "
                                f"{c.completed_at}")
    _check(problems)


def test_after_photos_are_taken_after_the_claim_and_before_completion(demo, settings):
    settings.MEDIA_ROOT = demo[1]
    problems = []
    jobs = Job.objects.exclude(after_photo="").select_related("campaign")
    assert jobs.count() == 7
    for job in jobs:
        with job.after_photo.open("rb") as stored:
            taken_at = read_metadata(Image.open(stored)).taken_at
        if taken_at != job.photo_taken_at or not (job.claimed_at <= taken_at <= job.completed_at):
            problems.append(f"{job.campaign.title}: claimed {job.claimed_at}, photo taken {taken_at} (stored as "
                            f"{job.photo_taken_at}), completed {job.completed_at}")
    _check(problems)


def test_first_time_cleaner_only_for_a_cleaner_without_a_verified_job(present):
    problems = []
    for job in job_selectors.verification_queue():
        verified = Job.objects.filter(claimed_by=job.claimed_by, verified_at__isnull=False).count()
        label = job_selectors.PRIORITY_LABELS[job.priority]
        if (job.first_time_cleaner or label == "first_time_cleaner") and verified:
            problems.append(f"queue: {job.campaign.title} says first-time cleaner, but {job.claimed_by} has "
                            f"{verified} verified jobs")
    for job in Job.objects.filter(completed_at__isnull=False).select_related("campaign"):
        earlier = Job.objects.filter(claimed_by=job.claimed_by, verified_at__lt=job.completed_at).exclude(pk=job.pk)
        if job.first_time_cleaner != (not earlier.exists()):
            problems.append(f"{job.campaign.title}: first_time_cleaner={job.first_time_cleaner}, verified before "
                            f"it was sent: {[j.campaign.title for j in earlier]}")
    for stats in CleanerJobStats.objects.select_related("user"):
        verified = JobReview.objects.filter(cleaner=stats.user, action=JobReview.Action.APPROVE).count()
        if stats.verified != verified:
            problems.append(f"{stats.user}: history says {stats.verified} verified, {verified} approvals")
    assert job_selectors.verification_queue().count() == 3
    _check(problems)


def test_payouts_are_paid_when_due_and_said_sent_on_the_day_paid(present):
    problems = []
    payouts = Payout.objects.select_related("payee").filter(source_kind="job")  # bookings': test_demo_history
    assert payouts.filter(paid_at__isnull=False).count() == 3
    for payout in payouts:
        job = Job.objects.select_related("campaign").get(pk=payout.source_id)
        title = job.campaign.title
        if not _close(payout.created_at, job.verified_at) \
                or payout.due_at != job.verified_at + job_rules.PAYOUT_DELAY:
            problems.append(f"{title}: verified {job.verified_at}, payout made {payout.created_at}, due "
                            f"{payout.due_at}")
        if payout.paid_at is None:
            continue
        if not _ordered(payout.due_at, payout.paid_at, payout.reversed_at, present):
            problems.append(f"{title}: due {payout.due_at}, paid {payout.paid_at}, reversed {payout.reversed_at}")
        sent = Notification.objects.filter(user=payout.payee, event="payout.paid",
                                           title__contains=format_inr(payout.amount))
        days = {timezone.localtime(n.created_at).date() for n in sent}
        if not (sent.count() == 1 and _close(sent.get().created_at, payout.paid_at)):
            problems.append(f"{title}: paid {timezone.localtime(payout.paid_at)}, 'sent' notified on {days}")
        if payout.status == Payout.Status.PAID and not (job.paid_at == payout.paid_at
                                                        and _close(job.campaign.ended_at, payout.paid_at)):
            problems.append(f"{title}: payout paid {payout.paid_at}, job paid {job.paid_at}, campaign closed "
                            f"{job.campaign.ended_at}")
    _check(problems)


def test_ledger_entries_and_gateway_events_are_dated_when_the_money_moved(present):
    problems = []
    for entry in LedgerEntry.objects.select_related("payment", "refund"):
        if entry.kind == LedgerEntry.Kind.HELD:
            expected = entry.payment.captured_at
        elif entry.kind == LedgerEntry.Kind.REFUNDED:
            expected = entry.refund.refunded_at
        elif entry.kind == LedgerEntry.Kind.FEE and entry.reference.startswith("booking:"):
            # The fee is split off when the cleaner's share is paid out (scheduled) or the booking cancelled.
            booking_id = entry.reference.removeprefix("booking:")
            payout = Payout.objects.filter(source_kind="booking", source_id=booking_id).first()
            expected = payout.created_at if payout else Booking.objects.get(pk=booking_id).cancelled_at
        elif entry.kind == LedgerEntry.Kind.FEE:
            expected = Job.objects.get(pk=entry.reference.removeprefix("job:")).verified_at
        else:
            payout = Payout.objects.get(pk=entry.reference.removeprefix("payout:"))
            expected = payout.paid_at if entry.kind == LedgerEntry.Kind.PAID_OUT else payout.reversed_at
        if not _close(entry.created_at, expected):
            problems.append(f"{entry.kind} {entry.amount} on {entry.escrow_key}: entered {entry.created_at}, "
                            f"happened {expected}")
    for event in WebhookEvent.objects.all():
        entity = next(iter(event.payload["payload"].values()))["entity"]
        if event.event_type == "payment.captured":
            expected = Payment.objects.get(gateway_payment_id=entity["id"]).captured_at
        elif event.event_type.startswith("payout."):
            payout = Payout.objects.get(gateway_payout_id=entity["id"])
            expected = payout.reversed_at if event.event_type == "payout.reversed" else payout.paid_at
        else:
            expected = Refund.objects.get(gateway_refund_id=entity["id"]).refunded_at
        if not (_close(event.created_at, expected) and _close(event.processed_at, expected)):
            problems.append(f"webhook {event.event_type}: received {event.created_at}, processed "
                            f"{event.processed_at}, happened {expected}")
    # The past bookings' payments (bookings.demo_history) predate the webhook log; the rest came by webhook.
    live = Payment.objects.exclude(payer__email__endswith=f"@{demo_history.CUSTOMER_DOMAIN}")
    assert WebhookEvent.objects.count() >= live.count()
    _check(problems)


def test_people_join_before_they_act_and_kyc_is_reviewed_after_it_is_sent(present):
    problems = []
    for user in User.objects.all():
        firsts = [moment for moment in (
            Campaign.objects.filter(creator=user).order_by("created_at").values_list("created_at", flat=True).first(),
            Contribution.objects.filter(contributor=user).order_by("created_at")
            .values_list("created_at", flat=True).first(),
            Job.objects.filter(claimed_by=user).order_by("claimed_at").values_list("claimed_at", flat=True).first(),
            Notification.objects.filter(user=user).order_by("created_at").values_list("created_at", flat=True).first(),
        ) if moment is not None]
        if any(moment < user.date_joined - SAME_STEP for moment in firsts) or user.date_joined > present:
            problems.append(f"{user}: joined {user.date_joined}, first acts {sorted(firsts)[:1]}")
        if not (_close(user.email_verified_at, user.date_joined) and _close(user.terms_accepted_at, user.date_joined)):
            problems.append(f"{user}: joined {user.date_joined}, e-mail verified {user.email_verified_at}, terms "
                            f"accepted {user.terms_accepted_at}")
    for kyc in CleanerKYC.objects.select_related("user"):
        if not _ordered(kyc.user.date_joined, kyc.submitted_at, kyc.reviewed_at, present):
            problems.append(f"KYC of {kyc.user}: joined {kyc.user.date_joined}, sent {kyc.submitted_at}, "
                            f"reviewed {kyc.reviewed_at}")
    _check(problems)


def test_campaign_descriptions_differ(present):
    descriptions = list(Campaign.objects.values_list("description", flat=True))
    assert len(set(descriptions)) == len(descriptions) == 16


def _moments_of(notification: Notification) -> list:
    """When the event a notification tells of happened, read from the records it is about."""
    found = [str(pk) for pk in re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                                          notification.link)]
    campaign = Campaign.objects.filter(pk__in=found).first()
    if campaign is None:
        campaign = next((c for c in Campaign.objects.all() if c.title[:40] in notification.title), None)
    event, user = notification.event, notification.user
    if event.startswith("booking."):  # told of a move of the booking it links to (its timeline)
        booking = Booking.objects.filter(pk__in=found).first()
        return [booking.created_at, booking.paid_at, *booking.events.values_list("created_at", flat=True)] \
            if booking else []
    if event == "account.welcome":
        return [user.date_joined]
    if event == "kyc.submitted":
        return list(CleanerKYC.objects.filter(pk__in=found).values_list("submitted_at", flat=True))
    if event in ("kyc.verified", "kyc.rejected"):
        return list(CleanerKYC.objects.filter(user=user).values_list("reviewed_at", flat=True))
    if event == "payment.received":
        return list(Payment.objects.filter(pk__in=found).values_list("captured_at", flat=True))
    if event == "refund.processed":
        return list(Refund.objects.filter(payment__in=found).values_list("refunded_at", flat=True))
    if event.startswith("payout."):
        payouts = Payout.objects.all() if event == "payout.flagged" else Payout.objects.filter(payee=user)
        return list(payouts.values_list("paid_at" if event == "payout.paid" else "reversed_at", flat=True))
    if event == "job.available":  # sent while a job was on the board
        return [notification.created_at] if Job.objects.filter(created_at__lte=notification.created_at).exists() else []
    moments = {
        "campaign.created": [campaign.created_at], "campaign.approved": [campaign.approved_at],
        "campaign.funded": [campaign.funded_at], "campaign.completed": [campaign.completed_at],
        "campaign.expired": [campaign.ended_at], "campaign.cancelled": [campaign.ended_at],
        "campaign.contribution_received": list(campaign.contributions.values_list("credited_at", flat=True)),
    }
    if event in moments:
        return moments[event]
    job = campaign.job
    return {"job.claimed": [job.claimed_at], "job.completed": [job.completed_at],
            "job.verified": [job.verified_at]}[event]


def test_notifications_are_spread_over_time_and_dated_when_their_event_happened(present):
    problems = []
    notifications = Notification.objects.select_related("user")
    for notification in notifications:
        if notification.created_at > present:
            problems.append(f"{notification.event} to {notification.user}: in the future, {notification.created_at}")
        moments = _moments_of(notification)
        if not any(_close(notification.created_at, moment) for moment in moments):
            problems.append(f"{notification.event} to {notification.user} ({notification.title}): sent "
                            f"{notification.created_at}, the event happened {sorted(m for m in moments if m)}")
    days = {timezone.localtime(moment).date() for moment in notifications.values_list("created_at", flat=True)}
    assert len(days) >= 30, f"notifications on only {len(days)} days"
    _check(problems)


def test_demo_accounts_have_read_their_older_notifications(present):
    """A person who uses the site has read what reached them before this week; the bell counts the week's news."""
    from cleanit.management.commands.load_demo_data import DEMO_UNREAD_FOR

    unread_old = Notification.objects.filter(is_read=False, created_at__lt=present - DEMO_UNREAD_FOR)
    assert not unread_old.exists(), list(unread_old.values_list("user__email", "title")[:5])
    assert Notification.objects.filter(is_read=False).exists()
    for notification in Notification.objects.filter(is_read=True):
        assert notification.read_at >= notification.created_at, notification.title


# --- demo cleaners (issue 10) -----------------------------------------------------------------------

# The first two digits of PIN codes in each city (postal circles): an address in the wrong city fails.
PIN_PREFIXES = {"Mumbai": ("40",), "Pune": ("41",), "Delhi": ("11",), "Bengaluru": ("56",), "Chennai": ("60",),
                "Hyderabad": ("50",), "Kolkata": ("70",), "Ahmedabad": ("38",)}


def _profiles():
    return CleanerProfile.objects.select_related("user", "user__kyc").prefetch_related("services", "schedule")


def test_about_200_cleaners_in_eight_cities_live_inside_their_city_with_its_pin_codes(present):
    problems = []
    profiles = list(_profiles())
    assert 195 <= len(profiles) <= 205
    assert {p.city for p in profiles} == set(PIN_PREFIXES)
    assert min(Counter(p.city for p in profiles).values()) >= 15
    for p in profiles:
        city = demo_cleaners.CITY_BY_NAME[p.city]
        if not (city.latitude[0] <= p.latitude <= city.latitude[1] and city.longitude[0] <= p.longitude
                <= city.longitude[1]):
            problems.append(f"{p.user.name}: ({p.latitude}, {p.longitude}) is outside {p.city}")
        near = min(geo.distance_metres(p.latitude, p.longitude, a.latitude, a.longitude) for a in city.areas)
        if near > demo_cleaners.JITTER_METRES + 5:
            problems.append(f"{p.user.name}: {near:.0f} m from the nearest neighbourhood centre of {p.city}")
        if p.state != city.state or p.pincode[:2] not in PIN_PREFIXES[p.city] or not rules.PINCODE.match(p.pincode):
            problems.append(f"{p.user.name}: {p.street}, {p.city}, {p.state} {p.pincode}")
        if p.city_key != rules.city_key(p.city) or not p.street or len(p.bio) > rules.BIO_MAX:
            problems.append(f"{p.user.name}: city key {p.city_key!r}, street {p.street!r}, bio of {len(p.bio)}")
        if not 150_00 <= p.hourly_rate <= 600_00:
            problems.append(f"{p.user.name}: {format_inr(p.hourly_rate)} an hour")
    _check(problems)


def test_every_cleaner_is_listed_with_one_to_four_valid_active_packages_and_its_from_price(present):
    problems = []
    listed = set(discovery.listed().values_list("pk", flat=True))
    for p in _profiles():
        active = [s for s in p.services.all() if s.is_active]
        if p.pk not in listed or not 1 <= len(active) <= 4 \
                or p.min_active_price != min(s.price for s in active):
            problems.append(f"{p.user.name}: listed {p.pk in listed}, {len(active)} active packages, from "
                            f"{p.min_active_price}")
        for s in p.services.all():
            low, high = rules.DURATION_RANGE_MINUTES
            if not (rules.PACKAGE_PRICE_RANGE[0] <= s.price <= rules.PACKAGE_PRICE_RANGE[1] and s.price % 50_00 == 0
                    and low <= s.duration_minutes <= high and s.duration_minutes % rules.DURATION_STEP_MINUTES == 0
                    and rules.PACKAGE_NAME_LENGTH[0] <= len(s.name) <= rules.PACKAGE_NAME_LENGTH[1]
                    and len(s.description) <= rules.PACKAGE_DESCRIPTION_MAX
                    and s.service_type in ServicePackage.ServiceType.values):
                problems.append(f"{p.user.name}: {s.name}, {s.price}, {s.duration_minutes} min, {s.service_type}")
    assert ServicePackage.objects.filter(is_active=False).exists()
    for service_type in ServicePackage.ServiceType.values:
        assert discovery.cleaner_search(service_type=service_type).count() >= 30, service_type
    _check(problems)


def test_weekly_schedules_pass_the_schedule_rules(present):
    problems = []
    for p in _profiles():
        ranges = [{"weekday": r.weekday, "start": rules.clock(r.start_minute), "end": rules.clock(r.end_minute)}
                  for r in p.schedule.all()]
        try:
            checked = services.schedule_ranges_check(ranges)
        except ValidationFailed as exc:
            problems.append(f"{p.user.name}: {exc.fields}")
            continue
        if not checked or len(checked) != len(ranges):
            problems.append(f"{p.user.name}: {len(ranges)} ranges")
    sundays = ScheduleRange.objects.filter(weekday=6).values("profile").distinct().count()
    assert 0 < sundays < CleanerProfile.objects.count()
    _check(problems)


def test_every_cleaners_figures_are_their_bookings_and_reviews(present):
    """Ratings, completed bookings, acceptances, cancellations and answer times on each profile are
    computed from the bookings and reviews behind them (bookings.demo_history), never seeded."""
    problems = []
    for p in _profiles():
        bookings = Booking.objects.filter(cleaner=p)
        reviews = list(Review.objects.filter(cleaner=p, hidden_at__isnull=True).values_list("rating", flat=True))
        figures = (p.completed_bookings, p.accepted_bookings, p.rating_count, p.rating_total)
        actual = (bookings.filter(status="completed").count(), bookings.filter(confirmed_at__isnull=False).count(),
                  len(reviews), sum(reviews))
        if figures != actual:
            problems.append(f"{p.user.name}: profile says {figures}, the rows {actual}")
        if p.cleaner_cancellations != p.cancellation_records.count():
            problems.append(f"{p.user.name}: {p.cleaner_cancellations} cancellations, "
                            f"{p.cancellation_records.count()} records")
        for booking in bookings.filter(status="completed", payment_status="paid", payout_scheduled=True):
            if not Payout.objects.filter(source_kind="booking", source_id=str(booking.pk), status="paid").exists():
                problems.append(f"{p.user.name}: completed booking {booking.pk} never paid out")
                break
    assert Review.objects.count() >= 300 and Booking.objects.filter(status="completed").count() >= 500
    _check(problems)


def test_the_past_bookings_reconcile_with_the_gateway(present):
    call_command("run_periodic", "payments.reconcile", stdout=io.StringIO())
    from payments.models import ReconciliationMismatch

    assert not ReconciliationMismatch.objects.exists()


def test_ratings_and_bookings_agree_and_only_verified_cleaners_have_them(present):
    problems = []
    rated = []
    for p in _profiles():
        verified = p.verified
        if p.rating_count:
            rated.append(p.rating_avg)
            if not (3.2 <= p.rating_avg <= 5.0 and abs(p.rating_avg - p.rating_total / p.rating_count) < 1e-9):
                problems.append(f"{p.user.name}: {p.rating_total}/{p.rating_count} = {p.rating_avg}")
        elif p.rating_avg != 0 or p.rating_total != 0:
            problems.append(f"{p.user.name}: no ratings, average {p.rating_avg}, total {p.rating_total}")
        if not (p.rating_count <= p.completed_bookings and p.completed_bookings + p.cleaner_cancellations
                <= p.accepted_bookings <= p.response_count):
            problems.append(f"{p.user.name}: {p.rating_count} ratings, {p.completed_bookings} completed, "
                            f"{p.cleaner_cancellations} cancelled of {p.accepted_bookings} accepted, "
                            f"{p.response_count} answered")
        if (p.completed_bookings or p.response_count) and not verified:
            problems.append(f"{p.user.name}: {p.completed_bookings} bookings without verified KYC")
        joined_days = (present - p.user.date_joined).days
        if p.completed_bookings > joined_days:
            problems.append(f"{p.user.name}: {p.completed_bookings} bookings in {joined_days} days")
    assert len(rated) >= 100 and min(rated) < 3.8 and max(rated) == 5.0
    _check(problems)


def test_some_cleaners_are_unavailable_unverified_waiting_or_rejected(present):
    statuses = Counter(getattr(p.user, "kyc", None) and p.user.kyc.status for p in _profiles())
    assert statuses[CleanerKYC.Status.VERIFIED] >= 100
    assert statuses[None] >= 10 and statuses[CleanerKYC.Status.PENDING] >= 10 and statuses[CleanerKYC.Status.REJECTED]
    unavailable = CleanerProfile.objects.filter(is_available=False).count()
    assert 10 <= unavailable <= 40
    assert discovery.cleaner_search(available=True).count() == CleanerProfile.objects.count() - unavailable


def test_cleaners_set_up_their_profile_after_joining_and_before_sending_kyc(present):
    problems = []
    for p in _profiles():
        kyc = getattr(p.user, "kyc", None)
        if not _ordered(p.user.date_joined, p.created_at, kyc and kyc.submitted_at, present) \
                or p.updated_at != p.created_at:
            problems.append(f"{p.user.name}: joined {p.user.date_joined}, profile {p.created_at}/{p.updated_at}, "
                            f"KYC sent {kyc and kyc.submitted_at}")
        if any(not _close(item.created_at, p.created_at) for item in [*p.services.all(), *p.schedule.all()]):
            problems.append(f"{p.user.name}: profile {p.created_at}, services and schedule "
                            f"{sorted({i.created_at for i in [*p.services.all(), *p.schedule.all()]})}")
    days = {timezone.localtime(moment).date() for moment in CleanerProfile.objects.values_list("created_at", flat=True)}
    assert len(days) >= 60, f"profiles set up on only {len(days)} days"
    _check(problems)


def test_the_admin_has_read_the_kyc_notices_acted_on_and_not_the_waiting_ones(present):
    """Of the generated cleaners' KYC (the demo accounts' come from the jobs story)."""
    admin = User.objects.get(email="admin@demo.cleanit.in")
    generated = CleanerKYC.objects.filter(user__email__in=[person.email for person in demo_cleaners.plan(present)])
    assert generated.count() >= 100
    for kyc in generated:
        notice = Notification.objects.get(user=admin, event="kyc.submitted", link__contains=str(kyc.pk))
        assert notice.is_read == (kyc.status != CleanerKYC.Status.PENDING), kyc.status
        assert notice.read_at == kyc.reviewed_at


def test_the_demo_cleaners_have_complete_profiles_found_near_their_jobs(present):
    ravi = CleanerProfile.objects.select_related("user__kyc").get(user__email="cleaner@demo.cleanit.in")
    assert (ravi.city, ravi.state, ravi.verified, ravi.is_available) == ("Bengaluru", "Karnataka", True, True)
    assert ravi.bio and ravi.experience_years and ravi.rating_count and ravi.street.endswith("Koramangala")
    assert ravi.services.filter(is_active=True).count() == 4 and ravi.services.filter(is_active=False).exists()
    assert {r.weekday for r in ravi.schedule.all()} == {0, 1, 2, 3, 4, 5}
    cubbon_park = geo.Near(latitude=12.9779, longitude=77.5952, radius_km=10)
    assert ravi in list(discovery.cleaner_search(city="bengaluru", near=cubbon_park, sort="distance"))
    sunita = CleanerProfile.objects.get(user__email="sunita@demo.cleanit.in")
    assert sunita.city == "Mumbai" and sunita in discovery.cleaner_search(city="mumbai")
    assert not CleanerProfile.objects.filter(user__email="newcleaner@demo.cleanit.in").exists()


def test_the_generated_cleaners_are_the_same_on_every_run_and_a_second_run_adds_nothing(present, settings):
    assert demo_cleaners.plan(present) == demo_cleaners.plan(present)
    plans = demo_cleaners.plan(present)
    later = demo_cleaners.plan(present + timedelta(days=3, hours=5))
    assert [(p.email, p.profile, p.packages, p.week) for p in later] == [
        (p.email, p.profile, p.packages, p.week) for p in plans]
    first_names = {person.name.split()[0] for person in plans}
    women = {name for c in demo_cleaners.COMMUNITIES.values() for name in c.women}
    men = {name for c in demo_cleaners.COMMUNITIES.values() for name in c.men}
    assert len({person.name for person in plans}) >= 150 and first_names & women and first_names & men
    counts = (User.objects.count(), CleanerProfile.objects.count(), ServicePackage.objects.count(),
              ScheduleRange.objects.count(), CleanerKYC.objects.count())
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert "demo cleaner profiles already present" in out.getvalue()
    assert (User.objects.count(), CleanerProfile.objects.count(), ServicePackage.objects.count(),
            ScheduleRange.objects.count(), CleanerKYC.objects.count()) == counts


def test_the_readme_and_the_banner_name_a_generated_cleaner_who_exists(present):
    readme, banner = (ROOT / "README.md").read_text(), (ROOT / "scripts" / "run.sh").read_text()
    pattern = rf"[a-z]+\.[a-z]+\d+@{re.escape(demo_cleaners.EMAIL_DOMAIN)}"
    named = set(re.findall(pattern, readme)) | set(re.findall(pattern, banner))
    assert named and all(User.objects.filter(email=email, cleaner_profile__isnull=False).exists() for email in named)
    assert f"{demo_cleaners.CLEANERS} generated cleaners" in readme and f"{demo_cleaners.CLEANERS} cleaners" in banner


def test_the_demo_accounts_have_a_booking_in_every_state(present):
    """Issue 11's demo: a request waiting for Ravi, an accepted unpaid booking, a paid upcoming one, one
    done yesterday waiting for a review, a reviewed one, cancellations at each refund level, an open
    dispute, and a cleaner's cancellation; the ledger holds after all of it."""
    ravi = CleanerProfile.objects.get(user__email="cleaner@demo.cleanit.in")
    mine = Booking.objects.filter(cleaner=ravi, customer__email__endswith="@demo.cleanit.in")
    assert mine.filter(status="pending", starts_at__gt=present).exists()
    assert mine.filter(status="confirmed", payment_status="pending").exists()
    assert mine.filter(status="confirmed", payment_status="paid").exists()
    assert mine.filter(status="completed", review__isnull=True, dispute__isnull=True).exists()
    assert mine.filter(status="completed", review__rating=5).exists()
    assert mine.filter(dispute__status="open").exists()
    priya = mine.filter(customer__email="customer@demo.cleanit.in", status="cancelled")
    assert sorted(b.refund_amount * 100 // b.total_price for b in priya) == [0, 50, 100]
    assert Booking.objects.filter(cancelled_by="cleaner", cleaner__user__email="sunita@demo.cleanit.in",
                                  customer__email="meera@demo.cleanit.in", refund_amount__gt=0).exists()
    from payments import ledger

    assert not ledger.check().violations
