from django import forms

from campaigns import notices, selectors, services
from campaigns.models import Campaign
from cleanit import geo
from cleanit.errors import DomainError
from cleanit.forms import AccessibleForm, NearSearchForm, apply_domain_error


class CampaignForm(AccessibleForm):
    title = forms.CharField(max_length=200, help_text=notices.help_title())
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=2000,
                                  help_text=notices.help_description())
    target_amount = forms.IntegerField(label="Target (₹)", min_value=0, help_text=notices.help_target())
    address = forms.CharField(max_length=500, help_text="Street, area or a landmark people will recognise")
    city = forms.CharField(label="Town or city", max_length=200, help_text=notices.help_city(),
                           widget=forms.TextInput(attrs={"autocomplete": "address-level2"}))
    latitude = forms.FloatField(widget=forms.NumberInput(attrs={"step": "any"}))
    longitude = forms.FloatField(widget=forms.NumberInput(attrs={"step": "any"}))
    photo = forms.FileField(help_text=notices.help_photo(),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))

    def clean(self):
        cleaned_data = super().clean()
        photo = cleaned_data.get("photo")
        if self.errors and photo:
            # The service, which checks the photo with the other fields, will not run this round: check it
            # now, so a bad photo is reported together with the other errors.
            try:
                services.campaign_photo_check(photo)
            except DomainError as exc:
                apply_domain_error(self, exc)
        return cleaned_data

    def add_error(self, field, error):
        super().add_error(field, error)
        if self.files.get(self.add_prefix("photo")):
            # A browser never sends a chosen file twice: after any error, ask for the photo again.
            self["photo"].help_text = notices.help_photo_again()


class CampaignEditForm(CampaignForm):
    """The same fields and rules as starting one; the photo is replaced only when a new one is given."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].required = False
        self.fields["photo"].help_text = notices.help_photo_keep()


class ContributeForm(AccessibleForm):
    amount = forms.IntegerField(label="Amount (₹)", min_value=0, help_text=notices.help_contribution())


class CampaignFilterForm(NearSearchForm):
    """The list's filters as sent; campaigns.selectors.list_filters decides (unknown values fall back)."""

    # The same statuses as the API's filter (drafts list only the viewer's own, or all for staff).
    status = forms.CharField(required=False, widget=forms.Select(
        choices=[("", "Raising funds and funded"), *Campaign.Status.choices]))
    sort = forms.CharField(required=False, widget=forms.Select(choices=[
        ("newest", "Newest"), ("ending_soon", "Ending soon"), ("most_funded", "Most funded"),
        (geo.DISTANCE_SORT, "Nearest first")]))
    city = forms.CharField(required=False, widget=forms.Select)
    field_order = ["status", "city", "sort", "radius_km", "lat", "lng"]

    def __init__(self, *args, cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].widget.choices = [("", "All cities"), *((city, city) for city in cities)]

    def filters(self) -> dict | None:
        """campaign_list's arguments; None, with the errors on the form, for a point that cannot be used."""
        return self.query(selectors.list_filters)
