"""Booking page forms: they collect what was sent; bookings.services decides what is valid, and its field
errors are put back on the form (``apply`` renames the service's field names to the form's)."""

from __future__ import annotations

from django import forms

from cleanit.errors import DomainError
from cleanit.forms import AccessibleForm, apply_domain_error
from cleanit.money import format_inr
from marketplace import rules as marketplace_rules

from . import notices, rules

# The services' field names -> the pages' (the Book page's query is ?cleaner=&service=&date=).
FIELD_NAMES = {"booking_date": "date", "service_id": "service", "cleaner_id": "cleaner"}


def apply(form: forms.Form, exc: DomainError) -> None:
    if exc.fields:
        exc.fields = {FIELD_NAMES.get(name, name): messages for name, messages in exc.fields.items()}
        if "start_time" in exc.fields and not str(form.data.get("start_time", "")).strip():
            exc.fields["start_time"] = [notices.PICK_A_TIME]  # the page offers radio buttons, not a clock
    apply_domain_error(form, exc)


class BookDateForm(AccessibleForm):
    """Step 1 of the Book page: which service, which day (a GET form, htmx or plain)."""

    cleaner = forms.CharField(required=False, widget=forms.HiddenInput)
    service = forms.CharField(required=False, widget=forms.Select)
    date = forms.CharField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, services=(), first_date=None, last_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].widget.choices = [("", "Choose a service"), *(
            (str(service.pk), f"{service.name} · {format_inr(service.price)} · "
                              f"{marketplace_rules.duration_label(service.duration_minutes)}")
            for service in services)]
        if first_date and last_date:
            self.fields["date"].widget.attrs.update(min=first_date.isoformat(), max=last_date.isoformat())


class BookForm(AccessibleForm):
    """Steps 2 and 3: the slot (radio buttons drawn from the free slots), the address and instructions."""

    cleaner = forms.CharField(required=False, widget=forms.HiddenInput)
    service = forms.CharField(required=False, widget=forms.HiddenInput)
    date = forms.CharField(required=False, widget=forms.HiddenInput)
    start_time = forms.CharField(required=False, label="Time")
    street = forms.CharField(required=False, label="House, street and area", widget=forms.TextInput(
        attrs={"autocomplete": "address-line1", "maxlength": marketplace_rules.STREET_MAX}))
    city = forms.CharField(required=False, widget=forms.TextInput(
        attrs={"autocomplete": "address-level2", "maxlength": marketplace_rules.CITY_MAX}))
    state = forms.CharField(required=False, widget=forms.TextInput(
        attrs={"autocomplete": "address-level1", "maxlength": marketplace_rules.STATE_MAX}))
    pincode = forms.CharField(required=False, label="PIN code", widget=forms.TextInput(
        attrs={"autocomplete": "postal-code", "inputmode": "numeric", "maxlength": 6, "pattern": "[1-9][0-9]{5}"}))
    special_instructions = forms.CharField(
        required=False, strip=False, label="Special instructions (optional)", help_text=notices.instructions_hint(),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": rules.SPECIAL_INSTRUCTIONS_MAX,
                                     "data-char-count": rules.SPECIAL_INSTRUCTIONS_MAX}))

    ADDRESS_FIELDS = ("street", "city", "state", "pincode")

    def address_fields(self):
        return [self[name] for name in self.ADDRESS_FIELDS]

    def booking_data(self) -> dict:
        data = self.cleaned_data
        return {"cleaner_id": data["cleaner"], "service_id": data["service"], "booking_date": data["date"],
                "start_time": data["start_time"], "street": data["street"], "city": data["city"],
                "state": data["state"], "pincode": data["pincode"],
                "special_instructions": data["special_instructions"]}


class ReasonForm(AccessibleForm):
    """The cleaner declines a request: a reason the customer sees (the service requires it)."""

    reason = forms.CharField(required=False, label="Why can you not take it?", help_text="The customer sees this.",
                             widget=forms.Textarea(attrs={"rows": 2, "maxlength": rules.CANCELLATION_REASON_MAX,
                                                          "required": True}))
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class CancelForm(AccessibleForm):
    """The cancel page's confirmation: the reason (required of the cleaner, by the service) and the refund
    the page showed, so a refund that changed meanwhile is shown again before anything happens."""

    reason = forms.CharField(required=False, label="Reason", widget=forms.Textarea(
        attrs={"rows": 2, "maxlength": rules.CANCELLATION_REASON_MAX}))
    shown_refund = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, reason_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        if reason_required:
            self.fields["reason"].label = "Reason (the customer sees it)"
            self.fields["reason"].widget.attrs["required"] = True
        else:
            self.fields["reason"].label = "Reason (optional: the cleaner sees it)"
