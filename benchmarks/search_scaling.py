"""Scaling run of the cleaner search (issue 10): the same searches (a city, a point and a radius, a sort)
over 1,000, 10,000 and 50,000 listed cleaners in one fresh SQLite database, grown between the sizes,
called through the API in-process (Django's test client: routing, middleware, the view, the selector, the
serializer, no network). For each size: p50 and p95 of the searches (wall clock, and the CPU time of
this process, which other work on a shared machine disturbs less), and the queries of one search at
page sizes 10 and 50, which must be the same. Prints one JSON object; benchmarks/run.py puts it in
docs/benchmarks.md. The target: p95 at the largest size at most twice the p95 at the smallest.

    DATABASE_URL=sqlite:////tmp/search.db python benchmarks/search_scaling.py 1000 10000 50000
    ... --profile    also prints where one search's time goes at the largest size (cProfile)

The cleaners live in the demo data's eight cities (marketplace.demo.CITIES, in the same proportions),
within SPREAD_KM of a real neighbourhood, so that a city grows denser as it grows, as it would. They are
bulk-inserted as seed data (users, verified KYC for most, profiles with their "from" price, one to four
active services): the searches are measured, not the seeding."""

from __future__ import annotations

import json
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cleanit.settings")

SEARCHES = 300  # timed searches per size, after WARM_UP untimed ones
WARM_UP = 20
SPREAD_KM = 4.0
RADII_KM = (2, 5, 10)
SORTS = ("distance", "rating", "price")
PAGE_SIZE = 20
SEED = 50
BATCH = 2000
QUERY_COUNT_SEARCH = {"city": "Bengaluru", "lat": "12.9352", "lng": "77.6245", "radius_km": "5", "sort": "distance"}


def _setup():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", "-v", "0")


def grow(rng: random.Random, first: int, last: int) -> None:
    """Cleaners number ``first`` to ``last - 1``, bulk-inserted."""
    from django.utils import timezone

    from marketplace import rules
    from marketplace.demo import CITIES, METRES_PER_DEGREE
    from marketplace.models import CleanerKYC, CleanerProfile, Role, ServicePackage, User

    now = timezone.now()
    types = ServicePackage.ServiceType.values
    for start in range(first, last, BATCH):
        numbers = range(start, min(last, start + BATCH))
        users = User.objects.bulk_create([
            User(email=f"s{n}@search.cleanit.in", name=f"Cleaner {n}", role=Role.CLEANER, password="!",
                 email_verified_at=now) for n in numbers])
        CleanerKYC.objects.bulk_create([
            CleanerKYC(user=user, id_type="pan", id_number_encrypted="x", id_number_masked="x",
                       account_holder_name=user.name, payout_method="upi", status="verified", submitted_at=now)
            for user in users if rng.random() < 0.7])
        profiles, packages = [], []
        for user in users:
            city = rng.choices(CITIES, [c.cleaners for c in CITIES])[0]
            area = rng.choice(city.areas)
            metres, bearing = SPREAD_KM * 1000 * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
            prices = sorted(rng.randrange(300_00, 5_000_00, 50_00) for _ in range(rng.randint(1, 4)))
            count = rng.randint(0, 200)
            total = round(count * rng.uniform(3.2, 5.0))
            profile = CleanerProfile(
                user=user, bio="Home cleaning, kitchens and bathrooms.", experience_years=rng.randint(0, 25),
                hourly_rate=rng.randrange(150_00, 600_00, 10_00), street="1, Main Road", city=city.name,
                city_key=rules.city_key(city.name), state=city.state, pincode=area.pincode,
                latitude=area.latitude + metres * math.cos(bearing) / METRES_PER_DEGREE,
                longitude=area.longitude + metres * math.sin(bearing) / (
                    METRES_PER_DEGREE * math.cos(math.radians(area.latitude))),
                is_available=rng.random() < 0.9, rating_total=total, rating_count=count,
                rating_avg=total / count if count else 0, completed_bookings=count, min_active_price=prices[0],
                listed=True)
            profiles.append(profile)
            packages += [ServicePackage(cleaner=profile, name=f"Package {i}", price=price, duration_minutes=120,
                                        service_type=rng.choice(types)) for i, price in enumerate(prices)]
        CleanerProfile.objects.bulk_create(profiles)
        ServicePackage.objects.bulk_create(packages)


def _searches(rng: random.Random) -> list[dict]:
    """SEARCHES query strings: a city, a point near one of its neighbourhoods, a radius, a sort."""
    from marketplace.demo import CITIES

    searches = []
    for _ in range(WARM_UP + SEARCHES):
        city = rng.choices(CITIES, [c.cleaners for c in CITIES])[0]
        area = rng.choice(city.areas)
        searches.append({"city": city.name, "lat": f"{area.latitude + rng.uniform(-0.01, 0.01):.5f}",
                         "lng": f"{area.longitude + rng.uniform(-0.01, 0.01):.5f}",
                         "radius_km": str(rng.choice(RADII_KM)), "sort": rng.choice(SORTS),
                         "page_size": str(PAGE_SIZE)})
    return searches


def _client():
    from django.test import Client

    return Client(HTTP_HOST="localhost")


def _search(client, params: dict) -> dict:
    response = client.get("/api/v1/cleaners/", params)
    if response.status_code != 200:
        raise SystemExit(f"search {params} answered {response.status_code}: {response.content[:300]!r}")
    return response.json()


def _queries(client, params: dict) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _search(client, params)
    return len(captured)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def measure(client, searches: list[dict], size: int) -> dict:
    from marketplace.discovery import listed

    for params in searches[:WARM_UP]:
        _search(client, params)
    times, cpu, found = [], [], []
    for params in searches[WARM_UP:]:
        started, started_cpu = time.perf_counter(), time.process_time()
        body = _search(client, params)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        found.append(body["count"])
    no_point = {"city": QUERY_COUNT_SEARCH["city"], "sort": "rating"}
    return {
        "cleaners": size, "listed": listed().count(), "searches": len(times),
        "p50_ms": round(statistics.median(times), 1), "p95_ms": round(_percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1), "cpu_p50_ms": round(statistics.median(cpu), 1),
        "cpu_p95_ms": round(_percentile(cpu, 0.95), 1), "median_found": statistics.median(found),
        "max_found": max(found),
        "queries_point_10": _queries(client, {**QUERY_COUNT_SEARCH, "page_size": "10"}),
        "queries_point_50": _queries(client, {**QUERY_COUNT_SEARCH, "page_size": "50"}),
        "queries_city_10": _queries(client, {**no_point, "page_size": "10"}),
        "queries_city_50": _queries(client, {**no_point, "page_size": "50"}),
    }


def profile_one(client, params: dict) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        _search(client, params)
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)


def main(sizes: list[int], profile: bool) -> None:
    _setup()
    rng = random.Random(SEED)
    searches = _searches(random.Random(SEED + 1))
    client = _client()
    results, grown = [], 0
    for size in sorted(sizes):
        started = time.perf_counter()
        grow(rng, grown, size)
        grown = size
        print(f"{size} cleaners seeded in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        results.append(measure(client, searches, size))
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    if profile:
        profile_one(client, {**QUERY_COUNT_SEARCH, "page_size": str(PAGE_SIZE)})
    print(json.dumps({"sizes": results, "target": "p95 at the largest size <= 2x p95 at the smallest"}))


if __name__ == "__main__":
    arguments = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    main([int(arg) for arg in arguments] or [1000, 10000, 50000], "--profile" in sys.argv)
