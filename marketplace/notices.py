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
CREATE_CLEANER_PROFILE = ("Create your cleaner profile so customers can find you: your rate, the area you work in, "
                          "then your services and weekly schedule.")
NOT_SEARCHABLE_YET = "Customers cannot find you yet: add at least one active service."
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
    """'4.6 out of 5, 23 reviews': what the stars say to a screen reader (a cleaner without reviews is 'New')."""
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


# --- cleaner profiles, service packages, schedules (texts built from marketplace.rules) -----------

REQUIRED = "This field is required."
ONLY_CLEANERS_OFFER = "Only cleaners have a cleaner profile and offer services."
LOCATION_OUTSIDE_INDIA = "The location must be in India."
PROFILE_CREATED = "Your cleaner profile is ready. Add a service so customers can find you."
AVAILABLE_ON = "You are available: customers see your free times."
AVAILABLE_OFF = "You are unavailable: you do not appear as available and no slots are offered."
SCHEDULE_SAVED = "Your weekly schedule is saved."
PACKAGE_CREATED = "Your service is added."
PACKAGE_UPDATED = "Your service is saved."
PACKAGE_DELETED = "Your service is deleted."
PACKAGE_DEACTIVATED = "This service has bookings, so it is kept but no longer offered."
CHOOSE_SERVICE_TYPE = "Choose basic clean, deep clean or specialised."
NOT_A_YES_NO = "Use true or false."
NEW_CLEANER = "new"


def bio_too_long() -> str:
    return f"Use at most {rules.BIO_MAX} characters."


def experience_range() -> str:
    return f"Enter whole years from 0 to {rules.EXPERIENCE_MAX_YEARS}."


def hourly_rate_range() -> str:
    return f"The hourly rate must be from {rules.inr_range(rules.HOURLY_RATE_RANGE)} (in paise: " \
           f"{rules.HOURLY_RATE_RANGE[0]} to {rules.HOURLY_RATE_RANGE[1]})."


def text_required(limit: int) -> str:
    return f"Enter this, at most {limit} characters."


PINCODE_INVALID = "Enter the 6-digit PIN code, e.g. 560001."


def package_name_length() -> str:
    return "Use {} to {} characters.".format(*rules.PACKAGE_NAME_LENGTH)


def package_description_too_long() -> str:
    return f"Use at most {rules.PACKAGE_DESCRIPTION_MAX} characters."


def package_price_range() -> str:
    return f"The price must be from {rules.inr_range(rules.PACKAGE_PRICE_RANGE)} (in paise: " \
           f"{rules.PACKAGE_PRICE_RANGE[0]} to {rules.PACKAGE_PRICE_RANGE[1]})."


def duration_range() -> str:
    low, high = (rules.hours(minutes) for minutes in rules.DURATION_RANGE_MINUTES)
    step = rules.hours(rules.DURATION_STEP_MINUTES)
    return f"The duration must be {low:g} to {high:g} hours, in steps of {step:g} hours."


# Schedules.
WEEKDAY_INVALID = "Choose a day from 0 (Monday) to 6 (Sunday)."
TIME_INVALID = "Enter a time as HH:MM, e.g. 09:30."


def time_off_grid() -> str:
    return f"Use a time on the {rules.SCHEDULE_STEP_MINUTES}-minute grid, e.g. 09:00 or 09:30."


END_BEFORE_START = "The end must be after the start."
END_AFTER_MIDNIGHT = "The end can be 24:00 at the latest; split a night across two days."


def too_many_ranges() -> str:
    return f"At most {rules.SCHEDULE_MAX_RANGES} ranges a week."


def overlaps(weekday: int, start: int, end: int) -> str:
    return f"Overlaps {rules.WEEKDAYS[weekday]} {rules.clock(start)}-{rules.clock(end)}."


# Free slots.
DATE_INVALID = "Enter a date as YYYY-MM-DD."
DATE_IN_PAST = "This date is in the past."


def date_too_far() -> str:
    return f"Slots are offered up to {rules.SLOT_HORIZON_DAYS} days ahead."


SERVICE_ID_INVALID = "Choose one of this cleaner's services."


# Searches.
def min_rating_range() -> str:
    return "The minimum rating must be a number from {} to {}.".format(*rules.RATING_RANGE)


MAX_RATE_INVALID = "The maximum hourly rate must be a whole number of paise above 0."


def sort_invalid() -> str:
    return f"Sort by {', '.join(rules.SEARCH_SORTS[:-1])} or {rules.SEARCH_SORTS[-1]}."


def response_time(seconds: int | None) -> str:
    """'about 25 minutes', 'about 3 hours'; 'new' before the first answered request."""
    if seconds is None:
        return NEW_CLEANER
    minutes = max(1, round(seconds / 60))
    if minutes < 90:
        return f"about {minutes} minute{'s' if minutes != 1 else ''}"
    return f"about {round(minutes / 60)} hours"


def cancellation_rate(rate: float | None) -> str:
    return NEW_CLEANER if rate is None else f"{rate * 100:.0f}%"
