"""Booking pages: Book, my bookings, a booking's page with its moves (accept, decline, start, complete,
cancel with the refund shown first, pay), and the cleaner dashboard's booking sections (a
marketplace.hooks provider). Thin: bookings.services and bookings.selectors decide; domain errors become
messages or form errors, never a 500; every POST redirects after success."""

from __future__ import annotations

from collections import OrderedDict
from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cleanit import errors
from cleanit.api.exceptions import status_for_domain_error
from cleanit.errors import DomainError, NotFound
from cleanit.views import render_not_found
from marketplace import rules as marketplace_rules
from marketplace import selectors as marketplace_selectors
from marketplace.hooks import DashboardSection
from payments.models import Payment

from . import forms, notices, rules, selectors, services
from .errors import WrongParty
from .models import Booking, Party
from .services.timeline import party_of

PAGE_SIZE = 20
UPCOMING_ON_DASHBOARD = 50


# --- Book ------------------------------------------------------------------------------------------

def _not_a_customer(request, exc: DomainError):
    return render(request, "errors/403.html", {"message": exc.message, "hint": notices.BOOK_AS_CUSTOMER_HINT},
                  status=403)


def _day_slots(date_form, cleaner, now):
    """The free slots of the chosen service and day (marketplace.selectors.slots_for), or None with the
    refusal on the date form."""
    if not date_form.is_bound or not date_form.is_valid():
        return None
    try:
        return marketplace_selectors.slots_for(cleaner_id=cleaner.pk, date=date_form.cleaned_data["date"],
                                               service_id=date_form.cleaned_data["service"], now=now)
    except DomainError as exc:
        forms.apply(date_form, exc)
        return None


def _price(service) -> dict:
    fee = rules.platform_fee(service.price)
    return {"service": service.price, "fee": fee, "total": service.price + fee}


@login_required
@require_http_methods(["GET", "POST"])
def book(request):
    """/bookings/new/?cleaner=&service=[&date=][&time=]: pick a date (GET, htmx swaps in only the next
    step), then a free slot, the address and instructions, see the price, and confirm (POST)."""
    try:
        services.customer_check(request.user)
    except DomainError as exc:
        return _not_a_customer(request, exc)
    data = request.POST if request.method == "POST" else request.GET
    try:
        cleaner = marketplace_selectors.cleaner_get(cleaner_id=data.get("cleaner"))
    except NotFound:
        return render_not_found(request, notices.CLEANER_NOT_FOUND)
    now = timezone.now()
    today = timezone.localdate(now)
    date_form = forms.BookDateForm(
        {"cleaner": str(cleaner.pk), "service": data.get("service", ""), "date": data.get("date", "")}
        if data.get("date") is not None else None,
        initial={"cleaner": str(cleaner.pk), "service": data.get("service", ""), "date": today.isoformat()},
        services=cleaner.active_services, first_date=today,
        last_date=today + timedelta(days=marketplace_rules.SLOT_HORIZON_DAYS))
    book_form, status = None, 200
    if request.method == "POST":
        book_form = forms.BookForm(request.POST)
        book_form.is_valid()
        try:
            booking = services.booking_create(customer=request.user, now=now, **book_form.booking_data())
        except NotFound as exc:  # the cleaner or the service went away meanwhile
            return render_not_found(request, exc.message)
        except errors.NotAllowed as exc:
            return _not_a_customer(request, exc)
        except DomainError as exc:
            forms.apply(book_form, exc)
            status = status_for_domain_error(exc)
        else:
            messages.success(request, notices.booking_requested_page(booking))
            return redirect("bookings:detail", booking_id=booking.pk)
    day = _day_slots(date_form, cleaner, now)
    if day is None and date_form.is_bound and status == 200:
        status = 400
    if book_form is None and day is not None:
        wanted = data.get("time", "")
        book_form = forms.BookForm(initial={
            "cleaner": str(cleaner.pk), "service": str(day.service.pk), "date": day.date.isoformat(),
            "city": cleaner.city, "state": cleaner.state,
            "start_time": wanted if any(slot.start_label == wanted for slot in day.slots) else ""})
    chosen = book_form["start_time"].value() if book_form is not None else ""
    if status == 409:  # the slot was taken: the fresh slots are shown, none chosen
        chosen = ""
    context = {"cleaner": cleaner, "date_form": date_form, "book_form": book_form, "day": day, "chosen": chosen,
               "price": _price(day.service) if day else None, "fee_label": notices.platform_fee_label(),
               "notices": notices, "refund_policy": notices.refund_policy()}
    if request.headers.get("HX-Request") and request.method == "GET":
        # htmx swaps 2xx answers only: a refusal is shown in place, as the plain page shows it (400).
        response = render(request, "bookings/_book_step2.html", context)
    else:
        response = render(request, "bookings/book.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- my bookings and a booking's page --------------------------------------------------------------

@login_required
@require_GET
def mine(request):
    show = request.GET.get("show") or "upcoming"
    if show not in selectors.LIST_FILTERS:
        show = "upcoming"
    page = Paginator(selectors.bookings_for(user=request.user, show=show), PAGE_SIZE).get_page(request.GET.get("page"))
    for booking in page.object_list:
        booking.status_label = notices.status_label(booking, party_of(booking, request.user))
    return render(request, "bookings/mine.html", {"page": page, "show": show, "filters": selectors.LIST_FILTERS})


def _participant_booking(view):
    """The booking by id if the user is one of its parties; a 404 page for anyone else."""
    @wraps(view)
    @login_required
    def wrapper(request, booking_id, *args, **kwargs):
        try:
            booking = selectors.booking_for_participant(user=request.user, booking_id=booking_id)
        except NotFound as exc:
            return render_not_found(request, exc.message)
        return view(request, booking, *args, **kwargs)

    return wrapper


def answer_by(booking: Booking):
    return booking.answer_by


def _actions(booking: Booking, party: str, now) -> dict:
    """Which buttons the viewer gets (the services refuse anything else; these only spare dead buttons)."""
    status, paid = booking.status, booking.payment_status == Booking.PaymentStatus.PAID
    live = status in Booking.LIVE
    actions = {"answer": False, "start": False, "start_note": "", "complete": False, "cancel": False,
               "pay": False, "pay_note": ""}
    if party == Party.CLEANER:
        actions["answer"] = status == Booking.Status.PENDING
        if status == Booking.Status.CONFIRMED:
            if not paid:
                actions["start_note"] = notices.PAY_FIRST
            elif now < booking.starts_at - rules.START_EARLY:
                actions["start_note"] = notices.start_from(booking)
            else:
                actions["start"] = True
        actions["complete"] = status == Booking.Status.IN_PROGRESS
        actions["cancel"] = status in (Booking.Status.CONFIRMED, Booking.Status.IN_PROGRESS)
    elif party == Party.CUSTOMER:
        actions["cancel"] = live
        actions["pay"] = status == Booking.Status.CONFIRMED and booking.payment_status == Booking.PaymentStatus.PENDING
        if status == Booking.Status.PENDING:
            actions["pay_note"] = notices.WAITING_FOR_ACCEPT
        elif actions["pay"] and booking.payment_id:
            payment_status = booking.payment.status
            actions["pay_note"] = notices.PAYMENT_FAILED if payment_status == Payment.Status.FAILED \
                else notices.PAYMENT_OPEN if payment_status == Payment.Status.CREATED else ""
    return actions


def _contact(booking: Booking, party: str) -> dict:
    """What the viewer sees of the other party, as the API shows it (bookings.api.serializers)."""
    visible = booking.contact_visible
    return {"street": party == Party.CUSTOMER or visible,
            "customer_phone": booking.customer.phone if party == Party.CUSTOMER or visible else "",
            "cleaner_phone": booking.cleaner.user.phone if party == Party.CLEANER or visible else ""}


def detail_context(request, booking: Booking, *, reject_form=None) -> dict:
    """The booking page's context: the booking and its moves for the viewer, the timeline, the
    alternatives, and the conversation (messages, review, dispute: bookings.views_conversation)."""
    from .views_conversation import conversation_context

    now = timezone.now()
    party = party_of(booking, request.user)
    actions = _actions(booking, party, now)
    alternatives = []
    if party == Party.CUSTOMER and booking.status == Booking.Status.CANCELLED \
            and booking.cancelled_by in (Party.CLEANER, Party.SYSTEM):
        alternatives = selectors.alternatives_for(booking=booking, now=now)
    events = [{"event": event,
               "label": notices.EVENT_LABELS.get(event.action, event.action.replace("_", " ").capitalize())}
              for event in selectors.timeline(booking=booking)]
    return {
        "booking": booking, "party": party, "status_label": notices.status_label(booking, party),
        "actions": actions, "contact": _contact(booking, party),
        "terms": services.cancellation_terms(booking=booking, party=party, now=now) if actions["cancel"] else None,
        "timeline": events, "alternatives": alternatives, "answer_by": answer_by(booking),
        "reject_form": reject_form or forms.ReasonForm(), "notices": notices,
        "contact_hidden": notices.CONTACT_HIDDEN, **conversation_context(request, booking)}


def _render_detail(request, booking: Booking, *, reject_form=None, status=200):
    return render(request, "bookings/detail.html", detail_context(request, booking, reject_form=reject_form),
                  status=status)


@_participant_booking
@require_GET
def detail(request, booking):
    return _render_detail(request, booking)


# --- the moves -------------------------------------------------------------------------------------

def _next_url(request, booking: Booking) -> str:
    """Back where the button was (the dashboard or the booking page), never off-site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return notices.booking_link(booking.pk)


def _request_card(request, booking: Booking, *, reject_form=None, outcome="", error=""):
    """The dashboard's request card after an htmx accept or decline."""
    return render(request, "bookings/_request_card.html", {
        "booking": booking, "answer_by": answer_by(booking), "reject_form": reject_form or forms.ReasonForm(),
        "outcome": outcome, "error": error, "next": request.POST.get("next", "")})


def _move(request, booking: Booking, run, done: str):
    """A button's POST: run the service; success and refusal are messages (or, from the dashboard's htmx
    request card, the card again saying so)."""
    htmx = bool(request.headers.get("HX-Request"))
    try:
        run()
    except DomainError as exc:
        if htmx:
            return _request_card(request, booking, error=exc.message)
        messages.error(request, exc.message)
    else:
        if htmx:
            return _request_card(request, booking, outcome=done)
        messages.success(request, done)
    return redirect(_next_url(request, booking))


@_participant_booking
@require_POST
def accept(request, booking):
    return _move(request, booking, lambda: services.booking_accept(booking=booking, user=request.user),
                 notices.ACCEPTED_PAGE)


@_participant_booking
@require_POST
def reject(request, booking):
    """The cleaner declines a pending request, with a reason (required: the form shows the service's
    refusal). Only a request: cancelling an accepted booking is the cancel page (with its penalty)."""
    form = forms.ReasonForm(request.POST)
    form.is_valid()
    htmx = bool(request.headers.get("HX-Request"))

    def run():
        if party_of(booking, request.user) != Party.CLEANER:
            raise WrongParty(notices.ONLY_CLEANER_ANSWERS)
        if booking.status != Booking.Status.PENDING:
            raise errors.InvalidTransition(notices.NOT_A_REQUEST)
        services.booking_cancel(booking=booking, user=request.user, reason=form.cleaned_data.get("reason", ""))

    try:
        run()
    except errors.ValidationFailed as exc:
        forms.apply(form, exc)
        if htmx:
            return _request_card(request, booking, reject_form=form)
        return _render_detail(request, booking, reject_form=form, status=400)
    except DomainError as exc:
        if htmx:
            return _request_card(request, booking, error=exc.message)
        messages.error(request, exc.message)
        return redirect(_next_url(request, booking))
    if htmx:
        return _request_card(request, booking, outcome=notices.REJECTED_PAGE)
    messages.success(request, notices.REJECTED_PAGE)
    return redirect(_next_url(request, booking))


@_participant_booking
@require_POST
def start(request, booking):
    return _move(request, booking, lambda: services.booking_start(booking=booking, user=request.user),
                 notices.STARTED_PAGE)


@_participant_booking
@require_POST
def complete(request, booking):
    return _move(request, booking, lambda: services.booking_complete(booking=booking, user=request.user),
                 notices.COMPLETED_PAGE)


@_participant_booking
@require_POST
def pay(request, booking):
    """Open a payment (bookings.services.booking_pay_start) and go to Checkout; its return brings the
    customer back to the booking page."""
    try:
        payment = services.booking_pay_start(booking=booking, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("bookings:detail", booking_id=booking.pk)
    return redirect("payments:checkout", payment_id=payment.pk)


def _render_cancel(request, booking, party, form=None, *, now, status=200, changed=False):
    """The cancel page: the terms for the viewer's side now. A form is redrawn fresh (carrying the refund
    shown) unless it holds errors to show."""
    terms = services.cancellation_terms(booking=booking, party=party, now=now)
    if form is None or changed:
        reason = form.data.get("reason", "") if form is not None else ""
        form = forms.CancelForm(initial={"shown_refund": terms.refund, "reason": reason},
                                reason_required=party == Party.CLEANER)
    text = notices.customer_cancel_terms(booking, terms) if party == Party.CUSTOMER \
        else notices.cleaner_cancel_terms(booking, terms)
    return render(request, "bookings/cancel.html", {
        "booking": booking, "party": party, "terms": terms, "terms_text": text, "form": form,
        "refund_policy": notices.refund_policy(), "changed": changed, "refund_changed": notices.REFUND_CHANGED,
        "declining": party == Party.CLEANER and booking.status == Booking.Status.PENDING}, status=status)


@_participant_booking
@require_http_methods(["GET", "POST"])
def cancel(request, booking):
    """GET states what cancelling now means (bookings.services.cancellation_terms for the viewer's side,
    and the policy); POST cancels, unless the refund changed since the page was shown: then the page
    shows the new amount and asks again (409)."""
    party = party_of(booking, request.user)
    now = timezone.now()
    if booking.status not in Booking.LIVE:
        messages.error(request, f"This booking is {booking.get_status_display().lower()}: it cannot be cancelled.")
        return redirect("bookings:detail", booking_id=booking.pk)
    reason_required = party == Party.CLEANER
    if request.method == "GET":
        return _render_cancel(request, booking, party, now=now)
    form = forms.CancelForm(request.POST, reason_required=reason_required)
    form.is_valid()
    shown = form.cleaned_data.get("shown_refund")
    terms = services.cancellation_terms(booking=booking, party=party, now=now)
    if shown is not None and shown != terms.refund:
        return _render_cancel(request, booking, party, form, now=now, status=409, changed=True)
    try:
        services.booking_cancel(booking=booking, user=request.user, reason=form.cleaned_data.get("reason", ""),
                                now=now)
    except errors.ValidationFailed as exc:
        forms.apply(form, exc)
        return _render_cancel(request, booking, party, form, now=now, status=400)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("bookings:detail", booking_id=booking.pk)
    messages.success(request, notices.cancelled_page(booking, terms))
    return redirect("bookings:detail", booking_id=booking.pk)


# --- the cleaner dashboard's sections (registered in BookingsConfig.ready) -----------------------------

def dashboard_sections(request, profile) -> list[DashboardSection]:
    """marketplace.hooks provider: the requests to answer (soonest to expire first, with a countdown),
    the confirmed and started bookings by IST day, and the private calendar address."""
    from .views_calendar import calendar_feed_context

    live = list(selectors.bookings_for(user=request.user, show="upcoming", as_cleaner=True))
    pending = sorted((booking for booking in live if booking.status == Booking.Status.PENDING), key=answer_by)
    requests = [{"booking": booking, "answer_by": answer_by(booking)} for booking in pending]
    days: OrderedDict = OrderedDict()
    on = [booking for booking in live if booking.status != Booking.Status.PENDING]
    for booking in on[:UPCOMING_ON_DASHBOARD]:
        days.setdefault(booking.booking_date, []).append(booking)
    return [
        DashboardSection(key="booking_requests", template="bookings/_dashboard_requests.html",
                         context={"requests": requests, "reject_form": forms.ReasonForm(),
                                  "answer_within": notices.answer_requests_within()}),
        DashboardSection(key="booking_upcoming", template="bookings/_dashboard_upcoming.html",
                         context={"days": list(days.items()), "more": len(on) > UPCOMING_ON_DASHBOARD}),
        DashboardSection(key="booking_calendar", template="bookings/_dashboard_calendar.html",
                         context=calendar_feed_context(profile)),
    ]
