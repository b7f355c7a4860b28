from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import notices


def cleaner_required(message: str = "This page is for cleaners."):
    """Pages for cleaners: anonymous visitors go to log in, other roles get a 403 page that says how
    to become a cleaner (no dead end)."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not request.user.is_cleaner:
                return render(request, "errors/403.html", {"message": message, "hint": notices.become_a_cleaner()},
                              status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
