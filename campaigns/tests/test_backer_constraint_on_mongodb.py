"""The constraint that counts each backer once (one contribution a person may carry ``counts_backer``) is a
partial unique index on MongoDB, built without a server from the same model: unique on (campaign,
contributor) among the marked contributions only. The whole suite runs on a real MongoDB with MONGODB_TEST_URI."""

import json

from cleanit.tests.test_settings import run

BUILD = """
import django, json
django.setup()
from django.db import connection
from django.db.models import Index
from campaigns.models import Contribution
constraint = next(c for c in Contribution._meta.constraints if c.name == "one_backer_contribution_per_person")
index = Index(fields=constraint.fields, name=constraint.name, condition=constraint.condition)
model = index.get_pymongo_index_model(Contribution, connection.schema_editor(), unique=True)
print(json.dumps({"vendor": connection.vendor, "unique": model.document["unique"],
                  "supported": connection.features.supports_partial_indexes
                  and connection.schema_editor()._unique_supported(condition=constraint.condition),
                  "key": list(model.document["key"]), "filter": dict(model.document["partialFilterExpression"])}))
"""


def test_one_backer_contribution_a_person_is_a_partial_unique_index_on_mongodb():
    result = run(BUILD, DATABASE_URL="mongodb://127.0.0.1:27017/cleanit", DEBUG="true",
                 SECRET_KEY="mongo-check-only-not-a-secret")
    assert result.returncode == 0, result.stderr
    built = json.loads(result.stdout.strip().splitlines()[-1])
    assert built["vendor"] == "mongodb" and built["unique"] is True
    assert built["supported"] is True  # the schema editor creates it (it skips what it does not support)
    assert built["key"] == ["campaign_id", "contributor_id"]
    assert built["filter"]["counts_backer"] == {"$eq": True}
