from django import template

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
