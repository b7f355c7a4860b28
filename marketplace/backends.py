from django.contrib.auth.backends import ModelBackend

from cleanit.errors import DomainError

from . import services


class LockoutAwareBackend(ModelBackend):
    """authenticate() through the sign-in service, so every login form (the Django admin's too)
    obeys the lockout rule. Pages that need the reason call the service directly."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        try:
            return services.auth_login(email=email or username or "", password=password or "")
        except DomainError:
            return None
