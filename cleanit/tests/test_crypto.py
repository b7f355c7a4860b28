"""Encryption at rest: AES-256-GCM with a key id, rotation, tamper detection, and the values
written by the former Fernet scheme read and re-encrypted."""

import base64
import importlib

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from cleanit import crypto

OLD_KEY, NEW_KEY = crypto.generate_key(), crypto.generate_key()
DATA_MIGRATION = importlib.import_module("marketplace.migrations.0004_lowercase_emails_kyc_aes_gcm")


@pytest.fixture
def keys(settings):
    def use(*encoded):
        settings.KYC_ENCRYPTION_KEYS = list(encoded)

    use(OLD_KEY)
    return use


def test_keys_are_256_bits_and_short_ones_are_refused(keys):
    assert len(base64.urlsafe_b64decode(crypto.generate_key())) == 32
    keys(base64.urlsafe_b64encode(b"k" * 16).decode())
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("234567890124")
    keys("not base64 at all!")
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("234567890124")


def test_a_malformed_key_fails_the_system_check(keys):
    assert crypto.check_keys() == []
    keys("short")
    assert [error.id for error in crypto.check_keys()] == ["cleanit.E101"]


def test_round_trip_with_a_fresh_nonce_each_time(keys):
    first, second = crypto.encrypt("234567890124"), crypto.encrypt("234567890124")
    assert first != second and "234567890124" not in first
    assert first.startswith("v2:") and crypto.decrypt(first) == crypto.decrypt(second) == "234567890124"
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_rotation_first_key_encrypts_every_key_decrypts(keys):
    old = crypto.encrypt("asha@okaxis")
    keys(NEW_KEY, OLD_KEY)
    new = crypto.encrypt("asha@okaxis")
    assert old.split(":")[1] != new.split(":")[1]  # the key id says which key sealed it
    assert crypto.decrypt(old) == crypto.decrypt(new) == "asha@okaxis"
    assert crypto.needs_reencryption(old) and not crypto.needs_reencryption(new)
    keys(NEW_KEY)
    assert crypto.decrypt(new) == "asha@okaxis"
    with pytest.raises(ValueError):
        crypto.decrypt(old)


def flip(token: str, index: int) -> str:
    return token[:index] + ("B" if token[index] == "A" else "A") + token[index + 1:]


@pytest.mark.parametrize("alter", [
    lambda token: flip(token, 16),  # the nonce
    lambda token: flip(token, len(token.rstrip("=")) - 20),  # the ciphertext
    lambda token: flip(token, len(token.rstrip("=")) - 2),  # the tag
    lambda token: ":".join(["v2", "00000000", token.split(":")[2]]),  # an unknown key id
    lambda token: token[:30],  # truncated
])
def test_altered_values_are_refused(keys, alter):
    token = crypto.encrypt("123456789012")
    with pytest.raises(ValueError):
        crypto.decrypt(alter(token))


def test_header_is_authenticated(keys):
    """A value cannot be passed off as sealed by another configured key."""
    keys(OLD_KEY, NEW_KEY)
    token = crypto.encrypt("123456789012")
    other_id = crypto._keys()[1].id
    with pytest.raises(ValueError):
        crypto.decrypt(":".join(["v2", other_id, token.split(":")[2]]))


def test_former_fernet_values_are_still_read(keys):
    legacy = Fernet(OLD_KEY.encode()).encrypt(b"HDFC0001234").decode()
    assert crypto.decrypt(legacy) == "HDFC0001234" and crypto.needs_reencryption(legacy)
    with pytest.raises(ValueError):
        crypto.decrypt(legacy[:-3] + "abc")


@pytest.mark.django_db
class TestReencryption:
    def _kyc_with(self, **values):
        from marketplace.models import CleanerKYC
        from marketplace.tests.factories import CleanerFactory

        return CleanerKYC.objects.create(
            user=CleanerFactory(), id_type="aadhaar", id_number_masked="••••0124", account_holder_name="Asha Devi",
            payout_method="bank_account", bank_account_masked="••••9012", bank_ifsc="HDFC0001234",
            submitted_at="2026-01-01T00:00Z", **values)

    def test_the_migration_moves_fernet_rows_to_aes_gcm(self, keys):
        fernet = Fernet(OLD_KEY.encode())
        kyc = self._kyc_with(id_number_encrypted=fernet.encrypt(b"234567890124").decode(),
                             bank_account_encrypted=fernet.encrypt(b"123456789012").decode())
        current = self._kyc_with(id_number_encrypted=crypto.encrypt("499118665246"))
        before = type(current).objects.get(pk=current.pk).id_number_encrypted
        DATA_MIGRATION.reencrypt_kyc(apps, None)
        kyc.refresh_from_db()
        assert kyc.id_number_encrypted.startswith("v2:") and kyc.bank_account_encrypted.startswith("v2:")
        assert crypto.decrypt(kyc.id_number_encrypted) == "234567890124"
        assert crypto.decrypt(kyc.bank_account_encrypted) == "123456789012" and kyc.upi_id_encrypted == ""
        current.refresh_from_db()
        assert current.id_number_encrypted == before  # already current: left alone

    def test_the_command_re_encrypts_after_a_rotation(self, keys, capsys):
        kyc = self._kyc_with(id_number_encrypted=crypto.encrypt("234567890124"))
        keys(NEW_KEY, OLD_KEY)
        call_command("kyc_reencrypt")
        assert "re-encrypted 1 KYC record(s)" in capsys.readouterr().out
        keys(NEW_KEY)
        kyc.refresh_from_db()
        assert crypto.decrypt(kyc.id_number_encrypted) == "234567890124"

    def test_a_row_changed_meanwhile_is_not_overwritten(self, keys):
        from marketplace.models import CleanerKYC

        kyc = self._kyc_with(id_number_encrypted=Fernet(OLD_KEY.encode()).encrypt(b"234567890124").decode())
        queryset = CleanerKYC.objects.filter(pk=kyc.pk)
        rows = list(queryset.only("pk", "id_number_encrypted"))
        fresh = crypto.encrypt("499118665246")
        CleanerKYC.objects.filter(pk=kyc.pk).update(id_number_encrypted=fresh)

        class Stale:  # the rows as read before the resubmission
            model = CleanerKYC

            def only(self, *fields):
                return self

            def iterator(self):
                return iter(rows)

        assert crypto.reencrypt_rows(Stale(), ("id_number_encrypted",)) == 0
        kyc.refresh_from_db()
        assert kyc.id_number_encrypted == fresh
