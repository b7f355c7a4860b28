"""The booking page's conversation forms (templates/bookings/_messages.html, _review.html, _dispute.html).
They collect input only: bookings.services decide what is valid, and their field errors are put back on
the form (cleanit.forms.apply_domain_error)."""

from __future__ import annotations

from django import forms

from cleanit.forms import AccessibleForm

from . import notices, rules
from .models import Dispute
from .services.disputes import PHOTO_FORMATS


class MessageForm(AccessibleForm):
    body = forms.CharField(label="Message", required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": rules.MESSAGE_MAX}))


class ReviewForm(AccessibleForm):
    rating = forms.ChoiceField(label="Your rating", widget=forms.RadioSelect, required=False,
                               choices=[(str(stars), f"{stars} star{'s' if stars != 1 else ''}")
                                        for stars in range(rules.REVIEW_RATING_RANGE[0],
                                                           rules.REVIEW_RATING_RANGE[1] + 1)])
    comment = forms.CharField(label="Comment (optional)", required=False,
                              widget=forms.Textarea(attrs={"rows": 4, "maxlength": rules.REVIEW_COMMENT_MAX}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = notices.comment_too_long()


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files in one input; each is checked by content in the service (cleanit.images)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={
            "accept": ",".join(f"image/{name.lower()}" for name in PHOTO_FORMATS), "multiple": True}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(PhotosField, self).clean(item, initial) for item in files]


class DisputeForm(AccessibleForm):
    category = forms.ChoiceField(label="What went wrong?", required=False,
                                 choices=[("", "Choose…"), *Dispute.Category.choices])
    text = forms.CharField(label="Describe the problem", required=False,
                           widget=forms.Textarea(attrs={"rows": 5, "maxlength": rules.DISPUTE_TEXT_MAX}))
    photos = PhotosField(label=f"Photos (optional, up to {rules.DISPUTE_PHOTOS_MAX}, JPG or PNG)", required=False)


class DisputeResponseForm(AccessibleForm):
    text = forms.CharField(label="Your answer", required=False,
                           widget=forms.Textarea(attrs={"rows": 4, "maxlength": rules.DISPUTE_TEXT_MAX}))
