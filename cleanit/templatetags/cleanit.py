from django import template

from cleanit import notices
from cleanit.money import format_inr

register = template.Library()


@register.filter
def inr(paise):
    """Paise as Indian rupees: {{ 12345678|inr }} -> ₹1,23,456.78"""
    return format_inr(paise)


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}``; UUID and other keys are also tried as text."""
    if not mapping:
        return None
    return mapping.get(key, mapping.get(str(key)))


@register.filter
def distance_away(km):
    """A search result's distance: {{ campaign.distance_km|distance_away }} -> 2.4 km away ('' without one)."""
    return "" if km is None else notices.distance_away(km)
