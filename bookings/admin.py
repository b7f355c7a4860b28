"""The Django admin for bookings: the bookings side (admin_bookings) and the reviews and disputes side
(admin sections below)."""

from . import admin_bookings  # noqa: F401  (registers bookings, cancellation records, the health dashboard)
