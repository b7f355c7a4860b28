"""Where a request's time goes: in-process, no load generator, over the benchmark database of the last
`make bench` (var/bench/db.sqlite3; run `make bench` or a partial run once first).

For each endpoint: the wall and CPU milliseconds per request (median over the runs), the queries per request,
and with PROFILE=1 the functions that took the most time (cProfile, cumulative), so a change can be measured
before and after on the same data without the noise of a load run.

    .venv/bin/python benchmarks/profile_requests.py                  every endpoint, 200 requests each
    PROFILE=1 .venv/bin/python benchmarks/profile_requests.py home   the home page, with its profile
    SORT=tottime TOP=40 RUNS=50 ...                                  the profile's order and length, the runs
    RESPONSE_CACHE_SECONDS=0 ...                                     without kept answers (what a miss costs)
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "var" / "bench"


def _environment() -> None:
    from benchmarks.run import redis_available, server_env

    os.environ.update(server_env(redis_available()))
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'db.sqlite3'}"


def _endpoints() -> dict[str, tuple[str, str]]:
    """name -> (path, who): who is "anonymous", "customer" (the bench user), "cleaner", "booker"."""
    campaigns = json.loads((WORK / "campaigns.json").read_text())
    cleaners = json.loads((WORK / "booking_accounts.json").read_text())["cleaners"]
    from marketplace.models import CleanerProfile

    profile = CleanerProfile.objects.select_related("user").get(pk=cleaners[0])
    return {
        "reference": ("/health/live", "anonymous"),
        "home": ("/", "anonymous"),
        "campaigns-page": ("/campaigns/", "anonymous"),
        "campaigns-api": ("/api/v1/campaigns?page_size=20", "anonymous"),
        "campaign-page": (f"/campaigns/{campaigns[0]}/", "anonymous"),
        "campaign-api": (f"/api/v1/campaigns/{campaigns[0]}", "anonymous"),
        "cleaners-page": (f"/cleaners/?city={profile.city}", "anonymous"),
        "cleaners-api": (f"/api/v1/cleaners?city={profile.city}&lat={profile.latitude}&lng={profile.longitude}"
                         "&radius_km=5&sort=distance&page_size=20", "anonymous"),
        "cleaners-api-signed-in": (f"/api/v1/cleaners?city={profile.city}&lat={profile.latitude}"
                                   f"&lng={profile.longitude}&radius_km=5&sort=distance&page_size=20", "customer"),
        "cleaner-page": (f"/cleaners/{profile.pk}/", "anonymous"),
        "cleaner-api": (f"/api/v1/cleaners/{profile.pk}", "anonymous"),
        "notifications-api": ("/api/v1/notifications?page_size=20", "customer"),
        "jobs-api": ("/api/v1/jobs", "cleaner"),
        "bookings-api": ("/api/v1/bookings", "booker"),
        "cleaner-bookings-api": ("/api/v1/cleaners/me/bookings?show=upcoming", "booked-cleaner"),
        "transactions-api": ("/api/v1/users/me/transactions", "customer"),
    }


def _headers(who: str) -> dict[str, str]:
    from marketplace.models import CleanerProfile, User
    from marketplace.services import auth_issue_tokens

    if who == "anonymous":
        return {}
    if who == "customer":
        user = User.objects.get(email="bench@bench.cleanit.in")
    elif who == "cleaner":
        user = User.objects.get(email="cleaner0@bench.cleanit.in")
    elif who == "booker":
        user = User.objects.filter(email__startswith="customer", email__endswith="@bench.cleanit.in").first()
    else:
        cleaners = json.loads((WORK / "booking_accounts.json").read_text())["cleaners"]
        user = CleanerProfile.objects.select_related("user").get(pk=cleaners[0]).user
    return {"HTTP_AUTHORIZATION": f"Bearer {auth_issue_tokens(user=user).access}"}


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def measure(name: str, path: str, headers: dict, runs: int, profile: bool) -> dict:
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", **headers)
    for _ in range(5):
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code, response.content[:200])
    walls, cpus, counter = [], [], _Counter()
    profiler = cProfile.Profile() if profile else None
    with connection.execute_wrapper(counter):
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            client.get(path)
            if profiler:
                profiler.disable()
            walls.append(1000 * (time.perf_counter() - wall))
            cpus.append(1000 * (time.process_time() - cpu))
    result = {"endpoint": name, "path": path, "wall_ms": round(statistics.median(walls), 2),
              "cpu_ms": round(statistics.median(cpus), 2), "queries": counter.count / runs}
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("SORT", "cumulative"))
        stats.print_stats(int(os.environ.get("TOP", "30")))
        result["profile"] = out.getvalue()
    return result


def main(names: list[str]) -> None:
    _environment()
    import django

    django.setup()
    endpoints = _endpoints()
    runs = int(os.environ.get("RUNS", "200"))
    profile = os.environ.get("PROFILE") == "1"
    print(f"{'endpoint':<24} {'wall ms':>8} {'cpu ms':>8} {'queries':>8}")
    for name in names or list(endpoints):
        path, who = endpoints[name]
        row = measure(name, path, _headers(who), runs, profile)
        print(f"{name:<24} {row['wall_ms']:>8.2f} {row['cpu_ms']:>8.2f} {row['queries']:>8.1f}", flush=True)
        if profile:
            print(row["profile"])


if __name__ == "__main__":
    main(sys.argv[1:])
