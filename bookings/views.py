"""Booking pages: my bookings and a booking's page. Thin: bookings.services and bookings.selectors decide."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cleanit.errors import NotFound
from cleanit.views import render_not_found

from . import selectors
from .services.timeline import party_of

PAGE_SIZE = 20


@login_required
@require_GET
def mine(request):
    show = request.GET.get("show") or "upcoming"
    if show not in selectors.LIST_FILTERS:
        show = "upcoming"
    page = Paginator(selectors.bookings_for(user=request.user, show=show), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "bookings/mine.html", {"page": page, "show": show, "filters": selectors.LIST_FILTERS})


@login_required
@require_GET
def detail(request, booking_id):
    try:
        booking = selectors.booking_for_participant(user=request.user, booking_id=booking_id)
    except NotFound as exc:
        return render_not_found(request, exc.message)
    return render(request, "bookings/detail.html", {
        "booking": booking, "party": party_of(booking, request.user),
        "timeline": selectors.timeline(booking=booking)})
