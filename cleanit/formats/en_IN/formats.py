"""How dates, times and numbers look for en-IN: on pages (``{{ value|date:"DATETIME_FORMAT" }}``, a bare
``|date`` is DATE_FORMAT), in the admin, and in text built in Python (cleanit.dates). Aware times are shown
in TIME_ZONE (Asia/Kolkata), which the "T" names: "25 Nov 2026, 6:23 PM IST"."""

DATE_FORMAT = "j M Y"  # 5 Feb 2026
TIME_FORMAT = "g:i A"  # 6:23 PM
DATETIME_FORMAT = "j M Y, g:i A T"  # 25 Nov 2026, 6:23 PM IST
YEAR_MONTH_FORMAT = "M Y"  # Nov 2026
MONTH_DAY_FORMAT = "j M"  # 25 Nov
SHORT_DATE_FORMAT = "d/m/Y"  # 25/11/2026
SHORT_DATETIME_FORMAT = "d/m/Y, g:i A"

# Typed dates are read day first, as written in India; ISO first, as the admin's date widgets write it.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-25
    "%d/%m/%Y",  # 25/11/2026
    "%d/%m/%y",  # 25/11/26
    "%d-%m-%Y",  # 25-11-2026
    "%d %b %Y",  # 25 Nov 2026
    "%d %B %Y",  # 25 November 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%y %H:%M",
]

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = (3, 2, 0)  # 12,34,567
