"""Where the bookings profile's time goes: each request of the bookings scenario (search near a cleaner, free
slots, book, look at the booking, the cleaner's upcoming list, accept, create-intent, the simulator's checkout,
verify) made in-process, in the scenario's order, on a copy of the benchmark database of the last `make bench`
(var/bench/db.sqlite3 is left as it was). For each request: the wall and CPU milliseconds (median), the
queries, and the CPU's p95 and maximum; with PROFILE=<request name> the functions that took the most time
in that request (cProfile).

    .venv/bin/python benchmarks/profile_bookings.py                      60 customers' rounds
    ROUNDS=100 PROFILE=detail SORT=tottime TOP=40 .venv/bin/python benchmarks/profile_bookings.py

Kept answers are on (RESPONSE_CACHE_SECONDS as in `make bench`); each customer books a different cleaner's slot,
so the searches near a cleaner, the slots and the booking reads are misses, as in the load run."""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import random
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode
from uuid import UUID
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "var" / "bench"
COPY = WORK / "profile-bookings.sqlite3"
IST = ZoneInfo("Asia/Kolkata")


def _copy_database() -> None:
    source, target = sqlite3.connect(WORK / "db.sqlite3"), sqlite3.connect(COPY)
    with target:
        source.backup(target)
    source.close()
    target.close()


def _p95(values: list[float]) -> float:
    """The 95th percentile; a single value is its own (statistics.quantiles needs two)."""
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> None:
    from benchmarks.profile_requests import _Counter
    from benchmarks.run import redis_available, server_env

    _copy_database()
    os.environ.update(server_env(redis_available()))
    os.environ["DATABASE_URL"] = f"sqlite:///{COPY}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)  # a benchmark database made before a later migration

    from marketplace.models import CleanerProfile, User
    from marketplace.services import auth_issue_tokens

    # Fresh tokens (the benchmark's own may have expired): the same customers and cleaners as the scenario's.
    accounts = json.loads((WORK / "booking_accounts.json").read_text())
    tokens = [auth_issue_tokens(user=user).access for user in User.objects.filter(pk__in=accounts["customers"])]
    cleaners = json.loads((WORK / "booking_cleaners.json").read_text())
    users = dict(CleanerProfile.objects.filter(pk__in=[c["id"] for c in cleaners]).values_list("pk", "user_id"))
    cleaner_users = {user.pk: user for user in User.objects.filter(pk__in=users.values())}
    for cleaner in cleaners:
        cleaner["token"] = auth_issue_tokens(user=cleaner_users[users[UUID(cleaner["id"])]]).access
    client, counter, rng = Client(HTTP_HOST="127.0.0.1"), _Counter(), random.Random(1)
    walls, cpus, queries = defaultdict(list), defaultdict(list), defaultdict(list)
    profiled = os.environ.get("PROFILE", "")
    profiler = cProfile.Profile() if profiled else None

    warming = True  # the first round imports the views and warms the caches: not measured

    def call(name, method, path, token=None, **extra):
        counter.count = 0
        wall, cpu = time.perf_counter(), time.process_time()
        measured = not warming
        if profiler and name == profiled and measured:
            profiler.enable()
        response = getattr(client, method)(path, HTTP_AUTHORIZATION=f"Bearer {token}" if token else "", **extra)
        if profiler and name == profiled and measured:
            profiler.disable()
        if not measured:
            return response
        walls[name].append(1000 * (time.perf_counter() - wall))
        cpus[name].append(1000 * (time.process_time() - cpu))
        queries[name].append(counter.count)
        return response

    as_json = {"content_type": "application/json"}
    with connection.execute_wrapper(counter):
        for round_number in range(1 + int(os.environ.get("ROUNDS", "60"))):
            warming = round_number == 0
            cleaner, token = rng.choice(cleaners), rng.choice(tokens)
            near = {"city": cleaner["city"], "lat": f"{cleaner['lat'] + rng.uniform(-0.003, 0.003):.5f}",
                    "lng": f"{cleaner['lng'] + rng.uniform(-0.003, 0.003):.5f}", "radius_km": 2, "sort": "distance",
                    "page_size": 20}
            call("search", "get", f"/api/v1/cleaners?{urlencode(near)}", token)
            day = (datetime.now(IST) + timedelta(days=rng.randint(1, 60))).date().isoformat()
            service = rng.choice(cleaner["services"])
            slots = call("slots", "get", f"/api/v1/cleaners/{cleaner['id']}/availability?"
                                         f"{urlencode({'date': day, 'service_id': service})}", token).json()["slots"]
            if not slots:
                continue
            body = {"cleaner_id": cleaner["id"], "service_id": service, "booking_date": day,
                    "start_time": rng.choice(slots)["start"], "special_instructions": "Benchmark booking",
                    "service_address": {"street": "12, Bench Road", "city": cleaner["city"],
                                        "state": cleaner["state"], "pincode": cleaner["pincode"]}}
            booked = call("book", "post", "/api/v1/bookings", token, data=body, **as_json)
            if booked.status_code != 201:
                continue
            booking = booked.json()["id"]
            call("detail", "get", f"/api/v1/bookings/{booking}", token)
            call("cleaner list", "get", "/api/v1/cleaners/me/bookings?show=upcoming&page_size=50", cleaner["token"])
            call("accept", "patch", f"/api/v1/bookings/{booking}/status", cleaner["token"],
                 data={"status": "confirmed"}, **as_json)
            call("detail", "get", f"/api/v1/bookings/{booking}", token)
            order = call("create-intent", "post", "/api/v1/payments/create-intent", token,
                         data={"booking_id": booking}, **as_json).json()["order_id"]
            paid = call("simulator pay", "post", f"/simulator/razorpay/checkout/{order}/pay", data="outcome=success",
                        content_type="application/x-www-form-urlencoded", HTTP_ACCEPT="application/json").json()
            verified = call("verify", "post", "/api/v1/payments/verify", token, data=paid, **as_json)
            assert verified.status_code == 200, verified.content[:200]
    print(f"{'request':<16} {'count':>6} {'wall ms':>8} {'cpu ms':>8} {'queries':>8} {'cpu p95':>8} {'cpu max':>8}")
    for name in walls:
        print(f"{name:<16} {len(walls[name]):>6} {statistics.median(walls[name]):>8.2f} "
              f"{statistics.median(cpus[name]):>8.2f} {statistics.mean(queries[name]):>8.1f} "
              f"{_p95(cpus[name]):>8.2f} {max(cpus[name]):>8.2f}")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
            int(os.environ.get("TOP", "30")))
        print(out.getvalue())
    for leftover in (COPY, COPY.with_name(COPY.name + "-wal"), COPY.with_name(COPY.name + "-shm")):
        leftover.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
