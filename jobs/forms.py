"""Page forms collect input only; the services decide what is valid."""

from django import forms

from cleanit import geo
from cleanit.forms import AccessibleForm, NearSearchForm

from . import selectors
from .notices import help_photo


class UnclaimForm(AccessibleForm):
    reason = forms.CharField(label="Why are you giving this job back?", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CompleteForm(AccessibleForm):
    photo = forms.FileField(label="After-photo", required=False,
                            help_text=help_photo(),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp",
                                                                   "capture": "environment"}))


class JobBoardForm(NearSearchForm):
    """The board's sort and search from a point, as sent; jobs.selectors.board_filters decides."""

    sort = forms.CharField(required=False, widget=forms.Select(choices=[
        ("newest", "Newest"), ("amount", "Highest pay"), ("expiring", "Expiring soon"),
        (geo.DISTANCE_SORT, "Nearest first")]))
    field_order = ["sort", "radius_km", "lat", "lng"]

    def filters(self) -> dict | None:
        """jobs_board's arguments; None, with the errors on the form, for a point that cannot be used."""
        return self.query(selectors.board_filters)
