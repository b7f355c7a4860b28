# Receipt numbers: added empty, filled in for the payments and payouts already made, then made unique.

from django.db import migrations, models

import payments.models


def number_existing(apps, schema_editor):
    """Existing records get a number derived from their id and creation time: the same on every run."""
    mask = (1 << payments.models.RECEIPT_RANDOM_BITS) - 1
    for model_name, prefix in (("Payment", payments.models.PAYMENT_RECEIPT_PREFIX),
                               ("Payout", payments.models.PAYOUT_RECEIPT_PREFIX)):
        model = apps.get_model("payments", model_name)
        for pk, created_at in model.objects.filter(receipt_number__isnull=True).values_list("pk", "created_at"):
            model.objects.filter(pk=pk).update(
                receipt_number=payments.models.receipt_number(prefix, pk.int & mask, created_at))


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0004_refund_sent_at'),
    ]

    operations = [
        migrations.AddField(
            model_name='payment',
            name='receipt_number',
            field=models.CharField(editable=False, max_length=24, null=True),
        ),
        migrations.AddField(
            model_name='payout',
            name='receipt_number',
            field=models.CharField(editable=False, max_length=24, null=True),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='payment',
            name='receipt_number',
            field=models.CharField(default=payments.models.new_payment_receipt_number, editable=False, help_text='printed on the receipt; unique, so people can quote it', max_length=24, unique=True),
        ),
        migrations.AlterField(
            model_name='payout',
            name='receipt_number',
            field=models.CharField(default=payments.models.new_payout_receipt_number, editable=False, help_text='printed on the payout receipt; unique, so people can quote it', max_length=24, unique=True),
        ),
        migrations.AlterModelOptions(
            name='payoutauditentry',
            options={'ordering': ['created_at'], 'verbose_name_plural': 'payout audit entries'},
        ),
        migrations.AlterModelOptions(
            name='reconciliationmismatch',
            options={'ordering': ['kind', 'created_at'], 'verbose_name_plural': 'reconciliation mismatches'},
        ),
        migrations.AlterModelOptions(
            name='refundauditentry',
            options={'ordering': ['created_at'], 'verbose_name_plural': 'refund audit entries'},
        ),
    ]
