"""How a cleaner is shown on the pages: initials avatar, rating, durations and times of day."""

from django import template

from marketplace import notices, rules

register = template.Library()


@register.filter
def initials(name: str) -> str:
    """'Lakshmi Narayanan' -> 'LN': the photo-less avatar (at most two letters)."""
    words = (name or "").split()
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


@register.inclusion_tag("marketplace/cleaners/_rating.html")
def rating(profile):
    """Stars drawn to the exact average, with the same as text for screen readers; 'New' without reviews."""
    if not profile.rating_count:
        return {"count": 0}
    return {"average": profile.rating_avg, "count": profile.rating_count,
            "percent": round(profile.rating_avg / rules.RATING_RANGE[1] * 100),
            "label": notices.rating_label(profile.rating_avg, profile.rating_count)}


@register.filter
def duration(minutes: int) -> str:
    return rules.duration_label(minutes)


@register.filter
def minute_of_day(minutes: int) -> str:
    """Minutes after midnight IST as people read a time: 540 -> '9:00 AM', 1440 -> '12:00 midnight'."""
    if minutes == rules.MINUTES_PER_DAY:
        return "12:00 midnight"
    hours, mins = divmod(minutes, 60)
    return f"{(hours % 12) or 12}:{mins:02d} {'AM' if hours < 12 else 'PM'}"
