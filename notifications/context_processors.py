from functools import cache, partial

from django.conf import settings

from .selectors import unread_count


def unread_notifications(request):
    """The bell's count, computed only if a template shows it (templates call callables)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notification_count": cache(partial(unread_count, user=user)),
            "notification_poll_seconds": settings.NOTIFICATION_POLL_SECONDS}
