"""The booking page's conversation: sending a message, the review, reporting a problem and the cleaner's
answer. Thin: bookings.services decide, bookings.selectors read.

Each works as a plain form post (success: a flash message and a redirect back to the booking page, at the
section; refused: the booking page again with the form's errors and the status of the refusal) and the
message form also through htmx (the messages section is swapped in place, errors included; the list
refreshes itself every 30 s).

The booking page merges :func:`conversation_context` into its context and includes
templates/bookings/_messages.html, _review.html and _dispute.html; the page's view may pass forms in error
(``message_form``, ``review_form``, ``dispute_form``, ``response_form``) for the partials to show."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cleanit.api.exceptions import status_for_domain_error
from cleanit.errors import DomainError, NotFound
from cleanit.forms import apply_domain_error
from cleanit.views import render_not_found

from . import notices, selectors, services
from .errors import BookingNotFound
from .forms_conversation import DisputeForm, DisputeResponseForm, MessageForm, ReviewForm
from .services.timeline import party_of


def conversation_context(request, booking, **forms) -> dict:
    """Everything the three partials read: bookings.selectors.conversation_context and the forms (fresh
    ones unless given)."""
    return {
        **selectors.conversation_context(booking=booking, user=request.user),
        "message_form": _or(forms.get("message_form"), MessageForm, "message"),
        "review_form": _or(forms.get("review_form"), ReviewForm, "review"),
        "dispute_form": _or(forms.get("dispute_form"), DisputeForm, "dispute"),
        "response_form": _or(forms.get("response_form"), DisputeResponseForm, "response"),
    }


def _or(form, form_class, prefix: str):
    return form if form is not None else form_class(auto_id=f"id_{prefix}_%s")


def _booking_page(request, booking, *, status: int, **forms):
    """The booking page again, with a refused form in place. The page's own context comes from
    bookings.views.detail_context(request, booking) when the booking page offers it."""
    from . import views

    builder = getattr(views, "detail_context", None)
    context = builder(request, booking) if builder else {
        "booking": booking, "party": party_of(booking, request.user), "timeline": selectors.timeline(booking=booking)}
    context.update(conversation_context(request, booking, **forms))
    return render(request, "bookings/detail.html", context, status=status)


def _back(booking, anchor: str):
    return redirect(notices.booking_link(booking.pk) + f"#{anchor}")


def _participant_booking(request, booking_id):
    try:
        return selectors.booking_for_participant(user=request.user, booking_id=booking_id)
    except NotFound:
        return None


def _messages_section(request, booking, **forms):
    return render(request, "bookings/_messages.html", {"booking": booking,
                                                       **conversation_context(request, booking, **forms)})


@login_required
@require_http_methods(["GET", "POST"])
def message_send(request, booking_id):
    """POST: send a message. GET (htmx): the messages section, for the list to refresh itself."""
    booking = _participant_booking(request, booking_id)
    if booking is None:
        return render_not_found(request, BookingNotFound.default_message)
    htmx = bool(request.headers.get("HX-Request"))
    if request.method == "GET":
        return _messages_section(request, booking) if htmx else _back(booking, "messages")
    form = MessageForm(request.POST, auto_id="id_message_%s")
    status = 400
    if form.is_valid():
        try:
            services.message_send(booking=booking, user=request.user, body=form.cleaned_data["body"])
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = status_for_domain_error(exc)
        else:
            if htmx:
                return _messages_section(request, booking)
            messages.success(request, notices.MESSAGE_SENT)
            return _back(booking, "messages")
    if htmx:  # htmx swaps 2xx answers only: the refusal is shown in place
        return _messages_section(request, booking, message_form=form)
    return _booking_page(request, booking, status=status, message_form=form)


def _submit(request, booking_id, *, form_class, prefix: str, form_key: str, run, done: str, anchor: str,
            files: bool = False):
    """A plain form post on the booking page: the form, then ``run(booking, data)`` (a service); success is a
    message and a redirect back to the section, a refusal the booking page again with the form's errors
    and the refusal's status (400 for a form error)."""
    booking = _participant_booking(request, booking_id)
    if booking is None:
        return render_not_found(request, BookingNotFound.default_message)
    form = form_class(request.POST, *([request.FILES] if files else []), auto_id=f"id_{prefix}_%s")
    status = 400
    if form.is_valid():
        try:
            run(booking, form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
            status = status_for_domain_error(exc)
        else:
            messages.success(request, done)
            return _back(booking, anchor)
    return _booking_page(request, booking, status=status, **{form_key: form})


@login_required
@require_POST
def review_submit(request, booking_id):
    return _submit(request, booking_id, form_class=ReviewForm, prefix="review", form_key="review_form",
                   done=notices.REVIEW_SAVED, anchor="review",
                   run=lambda booking, data: services.review_create(
                       booking=booking, user=request.user, rating=data["rating"], comment=data["comment"]))


@login_required
@require_POST
def dispute_report(request, booking_id):
    return _submit(request, booking_id, form_class=DisputeForm, prefix="dispute", form_key="dispute_form",
                   done=notices.DISPUTE_SAVED, anchor="dispute", files=True,
                   run=lambda booking, data: services.dispute_open(
                       booking=booking, user=request.user, category=data["category"], text=data["text"],
                       photos=request.FILES.getlist("photos")))


@login_required
@require_POST
def dispute_respond(request, booking_id):
    return _submit(request, booking_id, form_class=DisputeResponseForm, prefix="response", form_key="response_form",
                   done=notices.RESPONSE_SAVED, anchor="dispute",
                   run=lambda booking, data: services.dispute_respond(booking=booking, user=request.user,
                                                                       text=data["text"]))
