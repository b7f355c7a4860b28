"""Dates and times in text built in Python (notifications, notes), in the same en-IN formats as pages
and the admin (cleanit/formats/en_IN/formats.py), in Asia/Kolkata."""

from datetime import date, datetime

from django.utils import formats, timezone


def _local(moment):
    return timezone.localtime(moment) if isinstance(moment, datetime) and timezone.is_aware(moment) else moment


def format_date(moment: date | datetime) -> str:
    """'5 Feb 2026'"""
    return formats.date_format(_local(moment), "DATE_FORMAT")


def format_datetime(moment: datetime) -> str:
    """'5 Feb 2026, 6:23 PM IST'"""
    return formats.date_format(_local(moment), "DATETIME_FORMAT")


def format_month(moment: date | datetime) -> str:
    """'Feb 2026'"""
    return formats.date_format(_local(moment), "YEAR_MONTH_FORMAT")


def format_time(moment: datetime) -> str:
    """'6:23 PM'"""
    return formats.time_format(_local(moment), "TIME_FORMAT")
