from rest_framework.permissions import BasePermission

from marketplace.errors import NotACleaner


class IsCleaner(BasePermission):
    """Signed in with the cleaner role (anyone else: 403 ``not_a_cleaner``)."""

    message = NotACleaner.default_message
    code = NotACleaner.code

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_cleaner", False))
