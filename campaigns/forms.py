from django import forms

from campaigns import notices, selectors
from campaigns.models import Campaign
from cleanit.forms import AccessibleForm


class CampaignForm(AccessibleForm):
    title = forms.CharField(max_length=200, help_text=notices.help_title())
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=2000,
                                  help_text=notices.help_description())
    target_amount = forms.IntegerField(label="Target (₹)", min_value=0, help_text=notices.help_target())
    address = forms.CharField(max_length=500, help_text="Street, area or a landmark people will recognise")
    latitude = forms.FloatField(widget=forms.NumberInput(attrs={"step": "any"}))
    longitude = forms.FloatField(widget=forms.NumberInput(attrs={"step": "any"}))
    photo = forms.FileField(help_text=notices.help_photo(),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))


class ContributeForm(AccessibleForm):
    amount = forms.IntegerField(label="Amount (₹)", min_value=0, help_text=notices.help_contribution())


class CampaignFilterForm(forms.Form):
    # The same statuses as the API's filter (drafts list only the viewer's own, or all for staff).
    status = forms.ChoiceField(required=False, choices=[("", "Raising funds and funded"), *Campaign.Status.choices])
    sort = forms.ChoiceField(required=False, choices=[("newest", "Newest"), ("ending_soon", "Ending soon"),
                                                      ("most_funded", "Most funded")])

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        sort = data.get("sort") or "newest"
        return {"status": data.get("status") or None, "sort": sort if sort in selectors.SORTS else "newest"}
