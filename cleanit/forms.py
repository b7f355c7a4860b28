from django import forms

from cleanit import geo
from cleanit.errors import DomainError


class AccessibleForm(forms.Form):
    """Fields with errors get aria-invalid and point at their message (see partials/form_fields.html)."""

    def add_error(self, field, error):
        super().add_error(field, error)
        names = [field] if field else []
        if field is None and isinstance(error, dict):
            names = list(error)
        for name in names:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self[name].id_for_label}-errors"})


def apply_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's error on the form: per-field messages on their fields (or on top when the
    form has no such field), otherwise the message as a form-wide error."""
    if not exc.fields:
        form.add_error(None, exc.message)
        return
    for field, messages in exc.fields.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class NearSearchForm(AccessibleForm):
    """A list's search from a point: lat/lng hidden, filled by "Use my location" (static/js/near-me.js),
    and a radius. The fields take text as sent; cleanit.geo.near_from_query decides what is valid."""

    radius_km = forms.CharField(required=False, label="Within", initial=str(geo.DEFAULT_RADIUS_KM),
                                widget=forms.Select(choices=[(str(km), f"{km} km") for km in geo.RADIUS_CHOICES_KM]))
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lng = forms.CharField(required=False, widget=forms.HiddenInput)

    def query(self, read):
        """``read(**fields)`` on what was sent (``read()`` when nothing was); None, with the refusal on
        the form's fields, when ``read`` raises a domain error."""
        if not self.is_bound:
            return read()
        self.is_valid()
        try:
            return read(**self.cleaned_data)
        except DomainError as exc:
            apply_domain_error(self, exc)
            return None
