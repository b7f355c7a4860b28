from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from cleanit.errors import NotFound

from . import selectors, services

PAGE_SIZE = 20


@login_required
@require_GET
def notification_list(request):
    unread_only = request.GET.get("filter") == "unread"
    page = Paginator(selectors.notifications_for(user=request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "unread_only": unread_only})


@login_required
@require_GET
def bell(request):
    return render(request, "notifications/_bell.html")


@login_required
@require_POST
def mark_read(request, notification_id):
    try:
        notification = services.notification_mark_read(
            user=request.user, notification_id=selectors.parse_notification_id(notification_id))
    except NotFound:
        return render(request, "errors/404.html", {"message": "Notification not found."}, status=404)
    if request.headers.get("HX-Request"):
        response = render(request, "notifications/_item.html", {"notification": notification})
        response["HX-Trigger"] = "notifications-changed"
        return response
    if request.POST.get("open") and notification.link and url_has_allowed_host_and_scheme(
            notification.link, allowed_hosts={request.get_host()}):
        return redirect(notification.link)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    services.notification_mark_all_read(user=request.user)
    return redirect("notifications:list")
