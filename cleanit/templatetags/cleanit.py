from django import template

from cleanit.money import format_inr

register = template.Library()


@register.filter
def inr(paise):
    """Paise as Indian rupees: {{ 12345678|inr }} -> ₹1,23,456.78"""
    return format_inr(paise)
