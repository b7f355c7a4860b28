"""The search from a point on MongoDB, without a server: django-mongodb-backend compiles the very queryset
the API runs into a MongoDB query whose operators all exist there ($sin, $cos, $asin, $sqrt, arithmetic),
filtered on the indexed flag, city and box, and sorted by the computed distance. (The whole suite runs
on a real MongoDB with MONGODB_TEST_URI; this proves the translation in every run.)"""

import json

from cleanit.tests.test_settings import run

COMPILE = """
import django, json
django.setup()
from django.db import connection
from marketplace.discovery import cleaner_search, search_filters
results = cleaner_search(**search_filters(city="Kolkata", lat="22.5726", lng="88.3639", radius_km="2",
                                          sort="distance"))
for name, queryset in (("keys", results._ordered.values_list("pk", "distance_metres")[:20]),
                       ("count", results._ordered.order_by())):
    compiler = queryset.query.get_compiler(using="default")
    compiler.pre_sql_setup()
    print(json.dumps({"vendor": connection.vendor, "name": name, "query": str(compiler.build_query())}))
"""


def test_the_distance_search_compiles_to_mongodb_operators():
    result = run(COMPILE, DATABASE_URL="mongodb://127.0.0.1:27017/cleanit", DEBUG="true",
                 SECRET_KEY="mongo-check-only-not-a-secret")
    assert result.returncode == 0, result.stderr
    compiled = {line["name"]: line for line in map(json.loads, result.stdout.strip().splitlines())}
    assert {line["vendor"] for line in compiled.values()} == {"mongodb"}
    for name in ("keys", "count"):
        query = compiled[name]["query"]
        for operator in ("'listed': True", "'city_key': 'kolkata'", "'$gte'", "'$lte'", "'$sin'", "'$cos'",
                         "'$asin'", "'$sqrt'", "'$multiply'", "2000.0"):
            assert operator in query, (name, operator, query)
    assert "ORDER SON([('distance_metres', 1), ('id', 1)])" in compiled["keys"]["query"]
