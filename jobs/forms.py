"""Page forms collect input only; the services decide what is valid."""

from django import forms

from cleanit.forms import AccessibleForm

from .notices import help_photo


class UnclaimForm(AccessibleForm):
    reason = forms.CharField(label="Why are you giving this job back?", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CompleteForm(AccessibleForm):
    photo = forms.FileField(label="After-photo", required=False,
                            help_text=help_photo(),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp",
                                                                   "capture": "environment"}))
