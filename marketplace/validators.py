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
        raise ValidationError(indian_mobile_validator.message, code=indian_mobile_validator.code)
    return f"+91{match.group(1)}"


# --- KYC details -------------------------------------------------------------------------------

_VERHOEFF_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 4, 0, 6, 7, 8, 9, 5), (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7), (4, 0, 1, 2, 3, 9, 5, 6, 7, 8), (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2), (7, 6, 5, 9, 8, 2, 1, 0, 4, 3), (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_VERHOEFF_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 5, 7, 6, 2, 8, 3, 0, 9, 4), (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7), (9, 4, 5, 3, 1, 2, 6, 8, 7, 0), (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5), (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def verhoeff_valid(digits: str) -> bool:
    """Aadhaar numbers end in a Verhoeff check digit: this catches every single-digit typo."""
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[position % 8][int(digit)]]
    return check == 0


AADHAAR = re.compile(r"^[2-9]\d{11}$")
PAN = re.compile(r"^[A-Z]{3}[ABCFGHLJPT][A-Z]\d{4}[A-Z]$")
BANK_ACCOUNT_DIGITS = (9, 18)  # Indian account numbers, shortest and longest
BANK_ACCOUNT = re.compile(rf"^\d{{{BANK_ACCOUNT_DIGITS[0]},{BANK_ACCOUNT_DIGITS[1]}}}$")
IFSC = re.compile(r"^[A-Z]{4}0[A-Z0-9]{6}$")
UPI_ID = re.compile(r"^[A-Za-z0-9.\-_]{2,256}@[A-Za-z][A-Za-z0-9]{1,63}$")


def clean_id_number(id_type: str, raw: str) -> str | None:
    """The normalised ID number, or None when it is not a valid Aadhaar/PAN."""
    compact = re.sub(r"[\s\-]", "", raw or "").upper()
    if id_type == "aadhaar":
        return compact if AADHAAR.match(compact) and verhoeff_valid(compact) else None
    if id_type == "pan":
        return compact if PAN.match(compact) else None
    return None
