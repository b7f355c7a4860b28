"""Page forms collect input only; the services decide what is valid and their field errors are
put back on the form (cleanit.forms.apply_domain_error)."""

from django import forms
from django.contrib.auth import password_validation

from cleanit import geo
from cleanit.forms import AccessibleForm, NearSearchForm, apply_domain_error
from cleanit.money import format_inr

from . import cities, notices, rules
from .models import ServicePackage
from .templatetags.cleaners import minute_of_day


class SignupForm(AccessibleForm):
    name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.CharField(label="E-mail", max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label="Mobile number", max_length=20, help_text="Indian mobile, e.g. +91 98765 43210",
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    role = forms.ChoiceField(label="I want to", widget=forms.RadioSelect, initial="customer",
                             choices=[("customer", "book cleaners and support campaigns"),
                                      ("cleaner", "work as a cleaner")])
    password = forms.CharField(strip=False, max_length=128, help_text=password_validation.password_validators_help_text_html(),
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    accept_terms = forms.BooleanField(label="I accept the terms of service and the privacy policy", required=False)


class LoginForm(AccessibleForm):
    email = forms.CharField(label="E-mail", max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
    password = forms.CharField(strip=False, max_length=128,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class ForgotPasswordForm(AccessibleForm):
    email = forms.CharField(label="E-mail", max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class ResetPasswordForm(AccessibleForm):
    password = forms.CharField(label="New password", strip=False, max_length=128,
                               help_text=password_validation.password_validators_help_text_html(),
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_confirm = forms.CharField(label="Repeat new password", strip=False, max_length=128,
                                       widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_confirm"):
            self.add_error("password_confirm", "The two passwords do not match.")
        return data


class ProfileForm(AccessibleForm):
    name = forms.CharField(max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label="Mobile number", max_length=20,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))


class ChangePasswordForm(AccessibleForm):
    current_password = forms.CharField(strip=False, max_length=128,
                                       widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(strip=False, max_length=128,
                                   help_text=password_validation.password_validators_help_text_html(),
                                   widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password_confirm = forms.CharField(label="Repeat new password", strip=False, max_length=128,
                                           widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password_confirm"):
            self.add_error("new_password_confirm", "The two passwords do not match.")
        return data


class NotificationPreferencesForm(AccessibleForm):
    bookings = forms.BooleanField(required=False, label="Bookings")
    campaigns = forms.BooleanField(required=False, label="Campaigns")
    jobs = forms.BooleanField(required=False, label="Jobs")
    payments = forms.BooleanField(required=False, label="Payments (payouts and receipts)")


class DeleteAccountForm(AccessibleForm):
    password = forms.CharField(label="Your password", strip=False, max_length=128,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirm = forms.BooleanField(label="I understand my account will be anonymised and I cannot undo this")


class KYCForm(AccessibleForm):
    id_type = forms.ChoiceField(label="Government ID", widget=forms.RadioSelect, initial="aadhaar",
                                choices=[("aadhaar", "Aadhaar"), ("pan", "PAN")])
    id_number = forms.CharField(label="ID number", max_length=20,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    account_holder_name = forms.CharField(label="Name on the account", max_length=120,
                                          widget=forms.TextInput(attrs={"autocomplete": "name"}))
    bank_account_number = forms.CharField(label="Bank account number", max_length=30, required=False,
                                          help_text="Bank account and IFSC, or a UPI id below.",
                                          widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}))
    bank_ifsc = forms.CharField(label="IFSC", max_length=20, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    upi_id = forms.CharField(label="UPI id (instead of a bank account)", max_length=320, required=False,
                             widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "name@okbank"}))


# --- cleaner pages --------------------------------------------------------------------------------

def _rupees_to_paise(rupees: int | None) -> int | None:
    return None if rupees is None else rupees * 100


class CleanerSearchForm(NearSearchForm):
    """Find cleaners' filters as sent (a GET form). marketplace.selectors decides what is valid; the
    radius is optional here ("Any distance"), and a chosen one is measured from the person's location
    or, without it, from the centre of a city the page knows (marketplace.cities)."""

    city = forms.CharField(required=False, widget=forms.TextInput(
        attrs={"list": "city-options", "autocomplete": "address-level2", "placeholder": "Any city"}))
    radius_km = forms.CharField(required=False, label="Within", widget=forms.Select(
        choices=[("", "Any distance"), *((str(km), f"{km} km") for km in geo.RADIUS_CHOICES_KM)]))
    min_rating = forms.CharField(required=False, label="Rating", widget=forms.Select(
        choices=[("", "Any rating"), ("3", "3 and up"), ("3.5", "3.5 and up"), ("4", "4 and up"),
                 ("4.5", "4.5 and up")]))
    max_rate = forms.IntegerField(required=False, label="Max. rate per hour (₹)",
                                  widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "Any"}))
    service_type = forms.CharField(required=False, label="Service", widget=forms.Select(
        choices=[("", "Any service"), *ServicePackage.ServiceType.choices]))
    available = forms.BooleanField(required=False, label="Available now")
    q = forms.CharField(required=False, label="Name or keywords",
                        widget=forms.TextInput(attrs={"type": "search"}))
    sort = forms.CharField(required=False, widget=forms.Select(choices=[
        ("rating", "Best rated"), ("price", "Lowest rate"), (geo.DISTANCE_SORT, "Nearest first")]))

    def search_query(self) -> dict | None:
        """The selector's query as sent (max_rate in paise), the search point being the person's location
        or else, when a radius is chosen, a known city's centre; None, with the errors on the form, when
        the input cannot be read."""
        if not self.is_valid():
            return None
        data = dict(self.cleaned_data)
        data["max_rate"] = _rupees_to_paise(data["max_rate"])
        data["available"] = data["available"] or None
        if data["radius_km"] and not (data["lat"] or data["lng"]):
            centre = cities.centre_of(data["city"])
            if centre is None:
                self.add_error("radius_km", notices.CITY_UNKNOWN_FOR_DISTANCE)
                return None
            data["lat"], data["lng"] = (str(value) for value in centre)
        return data

    def refused(self, exc) -> None:
        """The selector's refusal on the fields; the rate is asked in rupees here, so its message is the page's."""
        if "max_rate" in exc.fields:
            exc.fields["max_rate"] = [notices.MAX_RATE_RUPEES]
        apply_domain_error(self, exc)


class SlotsForm(AccessibleForm):
    """A service and a date on a cleaner's profile, as sent; marketplace.selectors.slots_for decides."""

    service_id = forms.CharField(required=False, label="Service", widget=forms.Select)
    date = forms.CharField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, services=(), first_date=None, last_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_id"].widget.choices = [("", "Choose a service"), *(
            (str(service.pk), f"{service.name} · {format_inr(service.price)} · {rules.duration_label(service.duration_minutes)}")
            for service in services)]
        if first_date and last_date:
            self.fields["date"].widget.attrs.update(min=first_date.isoformat(), max=last_date.isoformat())
            self.fields["date"].initial = first_date.isoformat()
        if len(services) == 1:
            self.fields["service_id"].initial = str(services[0].pk)


class CleanerProfileForm(AccessibleForm):
    bio = forms.CharField(required=False, label="About you", help_text=notices.help_bio(),
                          widget=forms.Textarea(attrs={"rows": 4, "maxlength": rules.BIO_MAX}))
    experience_years = forms.IntegerField(label="Years of experience",
                                          widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    hourly_rate = forms.IntegerField(label="Rate per hour (₹)", help_text=notices.help_hourly_rate(),
                                     widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    street = forms.CharField(label="Street and area", widget=forms.TextInput(attrs={"autocomplete": "address-line1"}))
    city = forms.CharField(widget=forms.TextInput(attrs={"autocomplete": "address-level2"}))
    state = forms.CharField(widget=forms.TextInput(attrs={"autocomplete": "address-level1"}))
    pincode = forms.CharField(label="PIN code", widget=forms.TextInput(
        attrs={"autocomplete": "postal-code", "inputmode": "numeric"}))
    latitude = forms.FloatField(help_text=notices.help_location(),
                                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    longitude = forms.FloatField(widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))

    @classmethod
    def initial_for(cls, profile) -> dict:
        initial = {name: getattr(profile, name) for name in cls.base_fields}
        initial["hourly_rate"] = profile.hourly_rate // 100
        return initial

    def profile_data(self, only: list[str] | None = None) -> dict:
        """profile_save's arguments (the rate in paise); with ``only``, just those fields."""
        data = {name: value for name, value in self.cleaned_data.items() if only is None or name in only}
        if "hourly_rate" in data:
            data["hourly_rate"] = _rupees_to_paise(data["hourly_rate"])
        return data


class ServicePackageForm(AccessibleForm):
    name = forms.CharField(label="Service name", help_text=notices.help_package_name())
    description = forms.CharField(required=False, widget=forms.Textarea(
        attrs={"rows": 3, "maxlength": rules.PACKAGE_DESCRIPTION_MAX}))
    service_type = forms.CharField(label="Type", widget=forms.Select(choices=ServicePackage.ServiceType.choices))
    price = forms.IntegerField(label="Price (₹)", help_text=notices.help_package_price(),
                               widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    duration_hours = forms.FloatField(label="Duration", widget=forms.Select(choices=[
        (rules.hours(minutes), rules.duration_label(minutes)) for minutes in range(
            rules.DURATION_RANGE_MINUTES[0], rules.DURATION_RANGE_MINUTES[1] + 1, rules.DURATION_STEP_MINUTES)]))
    is_active = forms.BooleanField(required=False, initial=True, label="Offered to customers (active)")

    def package_data(self, only: list[str] | None = None) -> dict:
        """package_create's / package_update's arguments (the price in paise); with ``only``, just those."""
        data = {name: value for name, value in self.cleaned_data.items() if only is None or name in only}
        if "price" in data:
            data["price"] = _rupees_to_paise(data["price"])
        return data

    @classmethod
    def initial_for(cls, package) -> dict:
        return {"name": package.name, "description": package.description, "service_type": package.service_type,
                "price": package.price // 100, "duration_hours": package.duration_hours,
                "is_active": package.is_active}


def _time_choices(first: int, last: int) -> list[tuple[str, str]]:
    return [(rules.clock(minute), minute_of_day(minute))
            for minute in range(first, last + 1, rules.SCHEDULE_STEP_MINUTES)]


class ScheduleRangeForm(AccessibleForm):
    """One time range of a weekday as "HH:MM" text; a row left blank is no range. The schedule service
    decides the grid, the order and overlaps."""

    start = forms.CharField(required=False, label="From", widget=forms.Select(
        choices=[("", "—"), *_time_choices(0, rules.MINUTES_PER_DAY - rules.SCHEDULE_STEP_MINUTES)]))
    end = forms.CharField(required=False, label="To", widget=forms.Select(
        choices=[("", "—"), *_time_choices(rules.SCHEDULE_STEP_MINUTES, rules.MINUTES_PER_DAY)]))

    def clean(self):
        data = super().clean()
        if bool(data.get("start")) != bool(data.get("end")):
            self.add_error("end" if data.get("start") else "start", notices.SCHEDULE_RANGE_INCOMPLETE)
        return data

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("start") and not self.cleaned_data.get("end")

    @staticmethod
    def place_errors(exc, rows: list["ScheduleRangeForm"]) -> list[str]:
        """schedule_set's refusal on the rows it names (``ranges.<index>.<start|end>``, the index into
        ``rows``); what names no row (the whole week) is returned."""
        unplaced = [] if exc.fields else [exc.message]
        for key, messages in exc.fields.items():
            _, index, field = (key.split(".") + ["", ""])[:3]
            if not index.isdigit() or int(index) >= len(rows):
                unplaced.extend(messages)
                continue
            form = rows[int(index)]
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
        return unplaced


ScheduleDayFormSet = forms.formset_factory(ScheduleRangeForm, extra=1, can_delete=True)


class AvailabilityForm(AccessibleForm):
    is_available = forms.BooleanField(required=False)
