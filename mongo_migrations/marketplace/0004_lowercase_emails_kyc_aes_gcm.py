"""Data: e-mail addresses stored lower-case (rows made in the admin before it normalised them could
not sign in), and KYC numbers re-encrypted from Fernet (AES-128) to AES-256-GCM."""

from django.db import migrations

from cleanit import crypto

KYC_ENCRYPTED_FIELDS = ("id_number_encrypted", "bank_account_encrypted", "upi_id_encrypted")


def lowercase_emails(apps, schema_editor):
    User = apps.get_model("marketplace", "User")
    for user in User.objects.only("pk", "email").iterator():
        email = user.email.strip().lower()
        # Two addresses differing only by case are left for a person to merge: neither can be renamed.
        if email != user.email and not User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            User.objects.filter(pk=user.pk).update(email=email)


def reencrypt_kyc(apps, schema_editor):
    crypto.reencrypt_rows(apps.get_model("marketplace", "CleanerKYC").objects.all(), KYC_ENCRYPTED_FIELDS)


class Migration(migrations.Migration):

    dependencies = [
        ("marketplace", "0003_account_audit_token_version"),
    ]

    operations = [
        migrations.RunPython(lowercase_emails, migrations.RunPython.noop),
        # Not reversible: AES-256-GCM values are not written back as Fernet.
        migrations.RunPython(reencrypt_kyc),
    ]
