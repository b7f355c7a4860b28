from django import template

from jobs.models import Job

register = template.Library()

_LABELS = dict(Job.Flag.choices)


@register.filter
def flag_label(flag: str) -> str:
    return _LABELS.get(flag, flag.replace("_", " "))

