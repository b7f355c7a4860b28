from rest_framework.permissions import BasePermission


class IsCleaner(BasePermission):
    """Signed in with the cleaner role (anyone else: 403 ``not_a_cleaner``)."""

    message = "Only cleaners can do this."
    code = "not_a_cleaner"

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_cleaner", False))
