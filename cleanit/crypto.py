"""Encryption at rest for the few secrets we must keep readable (cleaners' ID and bank details),
with Fernet (AES-128-CBC + HMAC-SHA256) from ``cryptography``. Keys come from KYC_ENCRYPTION_KEYS;
MultiFernet encrypts with the first key and decrypts with any, so keys can be rotated."""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.KYC_ENCRYPTION_KEYS])


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def decrypt(token: str) -> str:
    """The plain text; raises ValueError if no configured key opens it (wrong key, tampered)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: no configured key matches") from exc


def mask(plain: str, visible: int = 4) -> str:
    """``XXXXXXXX1234``: only the last ``visible`` characters are shown (UPI ids keep their handle)."""
    if not plain:
        return ""
    if "@" in plain:
        name, handle = plain.split("@", 1)
        return f"{name[:2]}{'•' * max(1, len(name) - 2)}@{handle}"
    return "•" * max(0, len(plain) - visible) + plain[-visible:]
