"""The read of a payment about to be captured, with its payer and (for a contribution) its contribution,
campaign, creator and the creator's preferences, on MongoDB without a server: django-mongodb-backend compiles
the very queryset into one aggregation with a $lookup for each join, the reverse one-to-one to the contribution
as a left join (a booking's payment has none), and the contribution's annotation (is the payer a counted backer
already) as a subquery $lookup. The whole suite runs on a real MongoDB with MONGODB_TEST_URI."""

import json

from cleanit.tests.test_settings import run

COMPILE = """
import django, json
django.setup()
from django.db import connection
from payments.models import Payment
from payments.registry import payable_joins, with_payables
queryset = with_payables(Payment.objects).filter(gateway_order_id="order_1")[:1]
compiler = queryset.query.get_compiler(using="default")
compiler.pre_sql_setup()
print(json.dumps({"vendor": connection.vendor, "joins": list(payable_joins()),
                  "pipeline": [str(stage) for stage in compiler.build_query(compiler.columns).get_pipeline()]}))
"""


def test_the_capture_read_is_one_mongodb_aggregation_with_its_payable():
    result = run(COMPILE, DATABASE_URL="mongodb://127.0.0.1:27017/cleanit", DEBUG="true",
                 SECRET_KEY="mongo-check-only-not-a-secret")
    assert result.returncode == 0, result.stderr
    compiled = json.loads(result.stdout.strip().splitlines()[-1])
    assert compiled["vendor"] == "mongodb"
    assert compiled["joins"] == ["contribution__campaign__creator__notification_preference"]
    lookups = [stage for stage in compiled["pipeline"] if stage.startswith("{'$lookup'") and "__subquery" not in stage]
    # the payable's annotation: whether the payer is counted among the campaign's backers already
    counted = next(stage for stage in compiled["pipeline"] if "'as': '__subquery0'" in stage)
    assert "'from': 'campaigns_contribution'" in counted and "{'counts_backer': True}" in counted
    assert "'parent__field__1': '$payer_id'" in counted
    assert sorted(next(name for name in ("marketplace_user", "campaigns_contribution", "campaigns_campaign",
                                         "notifications_notificationpreference") if f"'from': '{name}'" in stage)
                  for stage in lookups) == ["campaigns_campaign", "campaigns_contribution", "marketplace_user",
                                            "marketplace_user", "notifications_notificationpreference"]
    contribution = next(stage for stage in lookups if "'from': 'campaigns_contribution'" in stage)
    assert "'localField': 'id', 'foreignField': 'payment_id'" in contribution  # the contribution, from its payment
    assert any("'gateway_order_id': 'order_1'" in stage for stage in compiled["pipeline"])
