from django.core.management.base import BaseCommand

from marketplace import services


class Command(BaseCommand):
    help = ("Re-encrypt cleaners' ID and payout numbers with the first key of KYC_ENCRYPTION_KEYS. Run after "
            "putting a new key first; once it reports 0, the old key can be removed.")

    def handle(self, *args, **options):
        changed = services.kyc_reencrypt()
        self.stdout.write(f"re-encrypted {changed} KYC record(s)")
