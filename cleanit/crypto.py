"""Encryption at rest for the few secrets we must keep readable (cleaners' ID and bank details),
with AES-256-GCM from ``cryptography``.

Keys come from KYC_ENCRYPTION_KEYS: each is 32 random bytes in url-safe base64. The first key
encrypts; every key decrypts, so a key is rotated by putting a new one first, re-encrypting
(``manage.py kyc_reencrypt``) and then dropping the old one. A ciphertext reads
``v2:<key id>:<base64 of nonce + ciphertext + tag>``; the key id (a short hash of the key) says
which key opens it, and the header is authenticated, so no part can be altered unnoticed.

Values written before AES-256-GCM (Fernet tokens, AES-128) are still read with the same keys until
they are re-encrypted (the marketplace migration that introduced this format does it once)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

FORMAT = "v2"
KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # GCM's standard nonce; random per value
KEY_ID_CHARS = 8


@dataclass(frozen=True)
class _Key:
    id: str
    aead: AESGCM
    encoded: str


def generate_key() -> str:
    """A new key in the KYC_ENCRYPTION_KEYS format."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def _load(encoded: str) -> _Key:
    try:
        raw = base64.urlsafe_b64decode(encoded.encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"KYC_ENCRYPTION_KEYS: every key must be {KEY_BYTES} random bytes in url-safe base64 "
            "(python -c \"from cleanit.crypto import generate_key; print(generate_key())\").")
    return _Key(id=hashlib.sha256(raw).hexdigest()[:KEY_ID_CHARS], aead=AESGCM(raw), encoded=encoded)


@lru_cache(maxsize=4)
def _keyring(encoded_keys: tuple[str, ...]) -> tuple[_Key, ...]:
    if not encoded_keys:
        raise ImproperlyConfigured("KYC_ENCRYPTION_KEYS is empty.")
    return tuple(_load(key) for key in encoded_keys)


def _keys() -> tuple[_Key, ...]:
    return _keyring(tuple(settings.KYC_ENCRYPTION_KEYS))


def check_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: a malformed key stops ``manage.py check`` and start-up checks, not the first
    cleaner's KYC submission."""
    try:
        _keys()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="cleanit.E101")]
    return []


def encrypt(plain: str) -> str:
    if not plain:
        return ""
    key = _keys()[0]
    header = f"{FORMAT}:{key.id}"
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = key.aead.encrypt(nonce, plain.encode(), header.encode())
    return f"{header}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def _decrypt_legacy(token: str) -> str:
    fernet = MultiFernet([Fernet(key.encoded.encode()) for key in _keys()])
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt: no configured key matches") from exc


def decrypt(token: str) -> str:
    """The plain text; raises ValueError if no configured key opens it (unknown key, tampered)."""
    if not token:
        return ""
    version, _, rest = token.partition(":")
    if version != FORMAT:
        return _decrypt_legacy(token)
    key_id, _, body = rest.partition(":")
    key = next((key for key in _keys() if key.id == key_id), None)
    if key is None:
        raise ValueError("cannot decrypt: the key that encrypted this value is not configured")
    try:
        data = base64.urlsafe_b64decode(body.encode())
        return key.aead.decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], f"{FORMAT}:{key_id}".encode()).decode()
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise ValueError("cannot decrypt: the value was altered") from exc


def needs_reencryption(token: str) -> bool:
    """A stored value not written in the current format with the current (first) key."""
    return bool(token) and not token.startswith(f"{FORMAT}:{_keys()[0].id}:")


def reencrypt_rows(queryset, fields: tuple[str, ...]) -> int:
    """Re-encrypt, with the current key, every value of ``fields`` that needs it; how many rows changed.
    Each row is updated only if it still holds the values read, so a concurrent change is kept."""
    changed = 0
    for row in queryset.only("pk", *fields).iterator():
        old = {field: getattr(row, field) for field in fields if needs_reencryption(getattr(row, field))}
        if old:
            new = {field: encrypt(decrypt(value)) for field, value in old.items()}
            changed += queryset.model._default_manager.filter(pk=row.pk, **old).update(**new)
    return changed


def mask(plain: str, visible: int = 4) -> str:
    """``XXXXXXXX1234``: only the last ``visible`` characters are shown (UPI ids keep their handle)."""
    if not plain:
        return ""
    if "@" in plain:
        name, handle = plain.split("@", 1)
        return f"{name[:2]}{'•' * max(1, len(name) - 2)}@{handle}"
    return "•" * max(0, len(plain) - visible) + plain[-visible:]
