from django.core.management.base import BaseCommand, CommandError

from payments import ledger


class Command(BaseCommand):
    help = "Check the escrow ledger invariant for every payable; exits non-zero on any violation."

    def add_arguments(self, parser):
        parser.add_argument("--verbose-balances", action="store_true", help="print every escrow balance")

    def handle(self, *args, **options):
        report = ledger.check()
        if options["verbose_balances"]:
            for b in sorted(report.balances.values(), key=lambda b: b.escrow_key):
                self.stdout.write(f"{b.escrow_key}: held {b.held} = paid out {b.paid_out} + refunded {b.refunded}"
                                  f" + fees {b.fees} + still held {b.still_held}")
        total_held = sum(b.still_held for b in report.balances.values())
        self.stdout.write(f"{len(report.balances)} escrow accounts, {total_held} paise still held.")
        for violation in report.violations:
            self.stderr.write(f"VIOLATION {violation}")
        if report.violations:
            raise CommandError(f"{len(report.violations)} ledger violation(s).", returncode=1)
        self.stdout.write(self.style.SUCCESS("Ledger invariant holds."))
