"""What accounts say to people: notification titles and bodies, e-mail subjects, flash messages and
messages that quote a rule. Numbers come from the settings the rules read, never typed here."""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.utils.timesince import timesince

from . import rules

_EPOCH = datetime(2000, 1, 1, tzinfo=dt_timezone.utc)


def duration(value: timedelta) -> str:
    """'15 minutes', '1 hour', '2 days', '1 hour, 30 minutes': a rule's length as people say it."""
    return timesince(_EPOCH - value, _EPOCH, depth=2).replace("\xa0", " ")


# --- sign-in ---------------------------------------------------------------------------------

def account_locked() -> str:
    return (f"Too many failed sign-in attempts. This account is locked for "
            f"{duration(settings.LOGIN_LOCKOUT_DURATION)}.")


def account_locked_page() -> str:
    return (f"Your account is locked for {duration(settings.LOGIN_LOCKOUT_DURATION)} after "
            f"{settings.LOGIN_LOCKOUT_THRESHOLD} failed attempts.")


ACCOUNT_LOCKED_TITLE = "Your account was locked"


def account_locked_body() -> str:
    return (f"We locked your account for {duration(settings.LOGIN_LOCKOUT_DURATION)} after "
            f"{settings.LOGIN_LOCKOUT_THRESHOLD} failed sign-in attempts. If this was not you, reset your password.")


def rate_limited(wait_seconds: int) -> str:
    wait = timedelta(minutes=max(1, round(wait_seconds / 60)))
    return f"Too many attempts from your network. Please try again in about {duration(wait)}."


def welcome_back(user) -> str:
    return f"Welcome back, {user.get_short_name()}."


SIGNED_OUT = "You are signed out."


def login_summary() -> str:
    """The API's description of what signing in returns."""
    jwt = settings.SIMPLE_JWT
    return (f"Sign in: access token ({duration(jwt['ACCESS_TOKEN_LIFETIME'])}) and refresh token "
            f"({duration(jwt['REFRESH_TOKEN_LIFETIME'])})")


# --- registration and e-mail verification --------------------------------------------------------

def welcome_title(user) -> str:
    return f"Welcome to Cleanit, {user.get_short_name()}!"


# Cleaners can be found but not booked yet (bookings open in the next release), so neither welcome promises booking.
WELCOME_BODY_CUSTOMER = ("Find rated cleaners near you and compare their services and prices, or back a clean-up "
                         "campaign for your neighbourhood.")
WELCOME_BODY_CLEANER = ("Create your cleaner profile, services and weekly schedule so customers can find you, and "
                        "submit your ID and payout details for review to claim paid clean-up jobs.")
SIGNED_UP = "Your account is ready. We sent you an e-mail to confirm your address. Please sign in."
VERIFY_EMAIL_SUBJECT = "Confirm your e-mail address for Cleanit"
EMAIL_VERIFIED = "Your e-mail address is confirmed."
EMAIL_VERIFIED_PAGE = "Thank you, your e-mail address is confirmed."
VERIFICATION_SENT = "We sent you a new confirmation link."
EMAIL_TAKEN = "An account with this e-mail already exists."
EMAIL_INVALID = "Enter a valid e-mail address."


def verification_link_lifetime() -> str:
    return duration(settings.EMAIL_VERIFICATION_TOKEN_TTL)


# --- passwords --------------------------------------------------------------------------------

RESET_EMAIL_SUBJECT = "Reset your Cleanit password"
RESET_LINK_SENT = "If an account exists for this e-mail, a reset link is on its way."
PASSWORD_RESET_DONE = "Your password has been reset. Please sign in."
PASSWORD_CHANGED_TITLE = "Your password was changed"
PASSWORD_CHANGED_BODY = "If you did not change it, reset your password now and contact support."
PASSWORD_CHANGED_API = "Your password has been changed. Please sign in again on your other devices."
PASSWORD_CHANGED_PAGE = "Your password is changed. Other devices have been signed out."
CURRENT_PASSWORD_WRONG = "Your current password is incorrect."
PASSWORD_WRONG = "Your password is incorrect."


def reset_link_lifetime() -> str:
    return duration(settings.PASSWORD_RESET_TOKEN_TTL)


def reset_summary() -> str:
    return f"Set a new password with a single-use token valid for {reset_link_lifetime()}"


# --- profile and account ----------------------------------------------------------------------

PROFILE_SAVED = "Your profile is saved."
PREFERENCES_SAVED = "Your notification preferences are saved."
ACCOUNT_DELETED = "Your account has been deleted. We are sorry to see you go."
NAME_MISSING = "Enter your name."
SUSPENDED_BY_ADMIN = "Suspended by an admin"
SUSPENDED_TITLE = "Your account is suspended"


def name_too_long(limit: int) -> str:
    return f"Use at most {limit} characters."


def suspended_body(reason: str) -> str:
    return f"Reason: {reason.rstrip('.')}. You cannot sign in. Contact support if you think this is a mistake."


# --- cleaner pages: find cleaners, a cleaner's profile, the cleaner dashboard --------------------

CLEANER_NOT_FOUND = "This cleaner is not on Cleanit, or is not taking customers right now."
BOOKING_OPENS_SOON = "Booking opens soon"
NO_RATING_YET = "New"
CREATE_CLEANER_PROFILE = ("Create your cleaner profile so customers can find you: your rate, the area you work in, "
                          "then your services and weekly schedule.")
NOT_SEARCHABLE_YET = "Customers cannot find you yet: add at least one active service."
SLOT_NEEDS_SERVICE = "Choose a service to see its free times."
MAX_RATE_RUPEES = "Enter the most you would pay per hour, in whole rupees above 0."
CITY_UNKNOWN_FOR_DISTANCE = "To search by distance, use your location or choose one of the cities listed."
SCHEDULE_RANGE_INCOMPLETE = "Choose both the start and the end of this range, or leave both empty."


def help_bio() -> str:
    return f"What customers should know about your work, up to {rules.BIO_MAX} characters."


def help_hourly_rate() -> str:
    return f"Your base rate, in whole rupees: {rules.inr_range(rules.HOURLY_RATE_RANGE)} an hour."


def help_location() -> str:
    return "Where you start from, so customers nearby find you. Use your location, or copy it from a map."


def help_package_name() -> str:
    low, high = rules.PACKAGE_NAME_LENGTH
    return f"For example “2 BHK deep clean”: {low} to {high} characters."


def help_package_price() -> str:
    return f"The whole service, in whole rupees: {rules.inr_range(rules.PACKAGE_PRICE_RANGE)}."


def rating_label(average: float, count: int) -> str:
    """'4.6 out of 5, 23 reviews': what the stars say to a screen reader, and what they mean."""
    if not count:
        return "New: no reviews yet"
    return f"{average:.1f} out of 5, {count} review{'' if count == 1 else 's'}"


def within_of_city(radius_km: float, city: str) -> str:
    return f"Within {radius_km:g} km of central {city}."


def within_of_you(radius_km: float) -> str:
    return f"Within {radius_km:g} km of your location."


# --- KYC --------------------------------------------------------------------------------------

KYC_SUBMITTED = "Thank you. Your details are encrypted and waiting for review."
KYC_CHANGED_MEANWHILE = "These details changed or were reviewed meanwhile; reload and try again."
KYC_ONLY_CLEANERS = "Only cleaners submit KYC details."
KYC_VERIFIED_TITLE = "Your KYC is verified"
KYC_VERIFIED_BODY = "You can now claim jobs and receive payouts."
KYC_REJECTED_TITLE = "Your KYC needs another look"
KYC_REASON_MISSING = "Tell the cleaner why, so they can correct it."


def kyc_submitted_title(user) -> str:
    return f"KYC to review: {user.name}"


def kyc_submitted_body(kyc) -> str:
    return f"{kyc.get_id_type_display()} and {kyc.payout_destination}."


def kyc_rejected_body(reason: str) -> str:
    return f"{reason} Please correct your details and submit again."


def become_a_cleaner() -> str:
    return ("Cleaners have an account of their own: sign out and sign up with the role \"Cleaner\", "
            "then add your KYC and payout details to start claiming jobs.")
