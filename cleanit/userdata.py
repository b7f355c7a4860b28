"""Personal-data hooks. Each app that stores personal data registers an exporter (for "download
my data") and, where needed, an anonymiser (for account deletion). The account code calls these
without knowing which apps exist, keeping dependencies one-way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_exporters: dict[str, Callable[[Any], Any]] = {}
_anonymisers: dict[str, Callable[[Any], None]] = {}


def register_exporter(section: str, func: Callable[[Any], Any]) -> None:
    """``func(user_id)`` returns JSON-ready data for the ``section`` of the export."""
    _exporters[section] = func


def register_anonymiser(name: str, func: Callable[[Any], None]) -> None:
    """``func(user_id)`` removes or blanks the user's personal data kept by one app."""
    _anonymisers[name] = func


def export_user_data(*, user_id) -> dict[str, Any]:
    return {section: func(user_id) for section, func in sorted(_exporters.items())}


def anonymise_user_data(*, user_id) -> None:
    for func in _anonymisers.values():
        func(user_id)
