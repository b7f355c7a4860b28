import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

SPECIAL_CHARACTERS = re.compile(r"[^A-Za-z0-9]")


class PasswordCharacterClassValidator:
    """At least one upper-case letter, one lower-case letter, one digit and one special character."""

    rules = (
        (re.compile(r"[A-Z]"), "an upper-case letter"),
        (re.compile(r"[a-z]"), "a lower-case letter"),
        (re.compile(r"[0-9]"), "a digit"),
        (SPECIAL_CHARACTERS, "a special character"),
    )

    def validate(self, password, user=None):
        missing = [label for pattern, label in self.rules if not pattern.search(password)]
        if missing:
            raise ValidationError(
                "The password must contain %(missing)s.",
                code="password_too_simple",
                params={"missing": ", ".join(missing)},
            )

    def get_help_text(self):
        return "Your password must contain an upper-case letter, a lower-case letter, a digit and a special character."


# Indian mobile numbers: 10 digits starting 6-9, optionally prefixed by +91 / 91 / 0.
INDIAN_MOBILE = re.compile(r"^(?:\+?91|0)?([6-9]\d{9})$")

indian_mobile_validator = RegexValidator(
    regex=r"^\+91[6-9]\d{9}$",
    message="Enter a valid Indian mobile number, e.g. +91 98765 43210.",
    code="invalid_phone",
)


def normalize_indian_mobile(raw: str) -> str:
    """'+91 98765-43210', '098765 43210', '9876543210' -> '+919876543210'; anything else raises."""
    compact = re.sub(r"[\s\-()]", "", raw or "")
    match = INDIAN_MOBILE.match(compact)
    if not match:
        raise ValidationError(indian_mobile_validator.message, code="invalid_phone")
    return f"+91{match.group(1)}"
