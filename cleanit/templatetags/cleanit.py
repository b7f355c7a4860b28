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


@register.filter
def percent(share):
    """0.456 -> '45.6%' ('—' for None)."""
    if share is None:
        return "—"
    return f"{share * 100:.1f}%".replace(".0%", "%")


@register.filter
def ratio(part, whole):
    """part / whole (None when whole is 0): {{ a|ratio:b|percent }}."""
    try:
        return part / whole if whole else None
    except TypeError:
        return None


@register.filter
def duration_text(delta):
    """A timedelta as '1 h 25 min' / '40 min' / '2 d 3 h'."""
    if delta is None:
        return "—"
    minutes = round(delta.total_seconds() / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [f"{days} d"] if days else []
    parts += [f"{hours} h"] if hours else []
    parts += [f"{minutes} min"] if minutes and not days else []
    return " ".join(parts) or "0 min"
