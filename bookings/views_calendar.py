"""The cleaner's calendar feed: the .ics a calendar app subscribes to (no login: the token in the URL is
the key) and the reset of its address from the dashboard. Thin: bookings.services.calendar decides."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cleanit.errors import DomainError, NotFound
from cleanit.views import render_not_found
from marketplace.decorators import cleaner_required
from marketplace.errors import ProfileRequired
from marketplace.notices import CREATE_CLEANER_PROFILE
from marketplace.services.cleaner_profile import own_profile

from . import notices
from .services import calendar as calendar_services

PARTIAL = "bookings/_calendar_feed.html"


def calendar_feed_context(profile) -> dict:
    """What templates/bookings/_calendar_feed.html shows, for the cleaner dashboard."""
    url = calendar_services.calendar_feed_url(calendar_services.calendar_feed_get_or_create(cleaner=profile))
    return {"calendar_url": url, "calendar_webcal_url": calendar_services.webcal_url(url),
            "calendar_help": notices.CALENDAR_HELP, "calendar_reset_help": notices.CALENDAR_RESET_HELP}


@require_GET
def calendar_feed(request, token):
    try:
        feed = calendar_services.calendar_feed_for_token(token=token)
    except NotFound as exc:
        return render_not_found(request, exc.message)
    response = HttpResponse(calendar_services.calendar_ics(feed=feed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cleanit-bookings.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@cleaner_required()
@require_POST
def calendar_reset(request):
    try:
        profile = own_profile(request.user)
        feed = calendar_services.calendar_feed_reset(cleaner=profile)
    except ProfileRequired:
        messages.info(request, CREATE_CLEANER_PROFILE)
        return redirect("marketplace:cleaner_profile_edit")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("marketplace:cleaner_dashboard")
    if request.headers.get("HX-Request"):
        return render(request, PARTIAL, {**calendar_feed_context(feed.cleaner),
                                         "calendar_message": notices.CALENDAR_RESET_DONE})
    messages.success(request, notices.CALENDAR_RESET_DONE)
    return redirect("marketplace:cleaner_dashboard")
