"""Load scenarios for benchmarks/run.py (locust FastHttpUser: a light client, so the load generator
takes less of the CPU it shares with the server). Each User class is one scenario, run on its own
(closed loop, no think time) against a gunicorn server with production-like settings."""

import os
from collections import Counter
from datetime import datetime, timedelta, timezone
from itertools import count
from urllib.parse import urlencode

from locust import FastHttpUser as HttpUser
from locust import between, constant, constant_throughput, events, task

BENCH_EMAIL = os.environ.get("BENCH_EMAIL", "bench@bench.cleanit.in")
BENCH_PASSWORD = os.environ.get("BENCH_PASSWORD", "Bench!Pass9")


class ReferenceUser(HttpUser):
    """The same stack with no work behind it: the physical limit on this machine."""

    wait_time = constant(0)

    @task
    def live(self):
        self.client.get("/health/live", name="reference /health/live")


class HomePageUser(HttpUser):
    wait_time = constant(0)

    @task
    def home(self):
        self.client.get("/", name="home page")


class LoginUser(HttpUser):
    """API sign-in: dominated by bcrypt at cost 12 on purpose."""

    wait_time = constant(0)

    @task
    def login(self):
        self.client.post("/api/v1/auth/login", json={"email": BENCH_EMAIL, "password": BENCH_PASSWORD},
                         name="POST /api/v1/auth/login")


class NotificationsUser(HttpUser):
    """Authenticated with one access token obtained before the run (BENCH_TOKEN), so sign-in cost
    stays out of the measurement."""

    wait_time = constant(0)

    def on_start(self):
        self.auth = {"Authorization": f"Bearer {os.environ['BENCH_TOKEN']}"}

    @task
    def notifications(self):
        self.client.get("/api/v1/notifications?page_size=20", name="GET /api/v1/notifications", headers=self.auth)


SCALE = int(os.environ.get("BENCH_SCALE", "1"))
_TOKENS = os.environ.get("BENCH_TOKENS_FILE")
_CAMPAIGNS = os.environ.get("BENCH_CAMPAIGNS_FILE")


def _load(path):
    import json

    with open(path) as handle:
        return json.load(handle)


class CampaignBrowser(HttpUser):
    """Browses campaigns like a visitor: the list (API and page) and a campaign's detail, reading
    each for 1 to 3 seconds."""

    fixed_count = 100 * SCALE
    wait_time = between(1, 3)

    def on_start(self):
        import random

        self.random = random.Random()
        self.campaigns = _load(_CAMPAIGNS) if _CAMPAIGNS else []

    @task(3)
    def list_api(self):
        self.client.get("/api/v1/campaigns?page_size=20", name="GET /api/v1/campaigns")

    @task(1)
    def list_page(self):
        self.client.get("/campaigns/", name="GET /campaigns/ (page)")

    @task(2)
    def detail_api(self):
        if self.campaigns:
            self.client.get(f"/api/v1/campaigns/{self.random.choice(self.campaigns)}",
                            name="GET /api/v1/campaigns/{id}")


class Contributor(HttpUser):
    """Contributes ₹10 through the API: order, the simulator's checkout, then verify; 1 to 3 seconds
    between contributions."""

    fixed_count = 50 * SCALE
    wait_time = between(1, 3)

    def on_start(self):
        import random

        self.random = random.Random()
        tokens = _load(_TOKENS) if _TOKENS else []
        self.campaigns = _load(_CAMPAIGNS) if _CAMPAIGNS else []
        self.auth = {"Authorization": f"Bearer {self.random.choice(tokens)}"} if tokens else {}

    @task
    def contribute(self):
        campaign = self.random.choice(self.campaigns)
        with self.client.post(f"/api/v1/campaigns/{campaign}/contribute", json={"amount": 1000}, headers=self.auth,
                              name="POST contribute", catch_response=True) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:120]}")
                return
            order_id = response.json()["order_id"]
        paid = self.client.post(f"/simulator/razorpay/checkout/{order_id}/pay", data="outcome=success",
                                headers={"Accept": "application/json",
                                         "Content-Type": "application/x-www-form-urlencoded"},
                                name="POST simulator pay")
        if paid.status_code == 200:
            self.client.post("/api/v1/payments/verify", json=paid.json(), headers=self.auth,
                             name="POST /api/v1/payments/verify")


_JOBS = os.environ.get("BENCH_JOBS_FILE")
_CLEANER_TOKENS = os.environ.get("BENCH_CLEANER_TOKENS_FILE")
EXPECTED_CLAIM_ANSWERS = {200, 409, 429}  # won; already claimed by another; at the 5-claim limit


class JobClaimer(HttpUser):
    """Claims a random job at 0.5 claims/s (20 of these make 10 claims/s), as one of ten cleaners in
    turn, so no cleaner stays at the 5-claim limit for the whole run."""

    fixed_count = 20
    wait_time = constant_throughput(0.5)

    def on_start(self):
        import random

        self.random = random.Random()
        self.jobs = _load(_JOBS) if _JOBS else []
        tokens = _load(_CLEANER_TOKENS) if _CLEANER_TOKENS else []
        self.tokens = self.random.sample(tokens, min(10, len(tokens)))

    @task
    def claim(self):
        headers = {"Authorization": f"Bearer {self.random.choice(self.tokens)}"}
        with self.client.post(f"/api/v1/jobs/{self.random.choice(self.jobs)}/claim", headers=headers,
                              name="POST /api/v1/jobs/{id}/claim", catch_response=True) as response:
            if response.status_code in EXPECTED_CLAIM_ANSWERS:
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:120]}")


class JobBrowser(HttpUser):
    """A cleaner looking at the board: the list (20 a page) and a job, 1 to 3 seconds apart."""

    fixed_count = 50
    wait_time = between(1, 3)

    def on_start(self):
        import random

        self.random = random.Random()
        self.jobs = _load(_JOBS) if _JOBS else []
        tokens = _load(_CLEANER_TOKENS) if _CLEANER_TOKENS else []
        self.auth = {"Authorization": f"Bearer {self.random.choice(tokens)}"} if tokens else {}

    @task(3)
    def board(self):
        self.client.get("/api/v1/jobs?page_size=20", headers=self.auth, name="GET /api/v1/jobs")

    @task(1)
    def board_sorted(self):
        self.client.get("/api/v1/jobs?page_size=20&sort=amount", headers=self.auth, name="GET /api/v1/jobs?sort=amount")


_PLACES = os.environ.get("BENCH_PLACES_FILE")
THINK = os.environ.get("BENCH_THINK", "1") != "0"
SEARCH_RADII_KM = (2, 5, 10)
SEARCH_SORTS = ("distance", "rating", "price")
IST = timezone(timedelta(hours=5, minutes=30))


class CleanerSearcher(HttpUser):
    """A customer looking for a cleaner (API): searches a city around a point near one of its neighbourhoods,
    opens a profile from the results, asks for its free slots tomorrow for one of its services. With
    BENCH_THINK=0 it asks as fast as answers come (closed loop), else it reads each answer for 1 to 3 s."""

    wait_time = between(1, 3) if THINK else constant(0)

    def on_start(self):
        import random

        self.random = random.Random()
        self.places = _load(_PLACES) if _PLACES else []
        self.seen = []  # (cleaner id, [service ids]) from the searches so far

    @task(3)
    def search(self):
        city = self.random.choices(self.places, [place["weight"] for place in self.places])[0]
        latitude, longitude = self.random.choice(city["areas"])
        params = {"city": city["city"], "lat": f"{latitude + self.random.uniform(-0.01, 0.01):.5f}",
                  "lng": f"{longitude + self.random.uniform(-0.01, 0.01):.5f}",
                  "radius_km": self.random.choice(SEARCH_RADII_KM), "sort": self.random.choice(SEARCH_SORTS),
                  "page_size": 20}
        with self.client.get(f"/api/v1/cleaners?{urlencode(params)}", name="GET /api/v1/cleaners (city, point, sort)",
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:120]}")
                return
            results = response.json()["results"]
        self.seen = ([(r["id"], [s["id"] for s in r["services"]]) for r in results] + self.seen)[:100]

    @task(2)
    def profile(self):
        if not self.seen:
            return self.search()
        cleaner, _ = self.random.choice(self.seen)
        self.client.get(f"/api/v1/cleaners/{cleaner}", name="GET /api/v1/cleaners/{id}")

    @task(2)
    def slots(self):
        if not self.seen:
            return self.search()
        cleaner, services = self.random.choice(self.seen)
        tomorrow = (datetime.now(IST) + timedelta(days=1)).date().isoformat()
        query = urlencode({"date": tomorrow, "service_id": self.random.choice(services)})
        self.client.get(f"/api/v1/cleaners/{cleaner}/availability?{query}",
                        name="GET /api/v1/cleaners/{id}/availability")


_CUSTOMER_TOKENS = os.environ.get("BENCH_CUSTOMER_TOKENS_FILE")
_BOOKING_CLEANERS = os.environ.get("BENCH_BOOKING_CLEANERS_FILE")
BOOKING_CUSTOMERS, BOOKING_CLEANERS = 80, 20  # per scale: 100 concurrent users at 1x
BOOKING_HORIZON_DAYS = 60  # marketplace.rules.SLOT_HORIZON_DAYS
PAYMENT_LOOKS = 3  # a customer looks at its booking up to this many times a visit, waiting for the acceptance
OUTCOMES = Counter()  # what happened, expected answers included; written to BENCH_OUTCOMES_FILE at the end
_customer_numbers, _cleaner_numbers = count(), count()  # one account per user


@events.test_stop.add_listener
def _write_outcomes(environment, **kwargs):
    path = os.environ.get("BENCH_OUTCOMES_FILE")
    if path:
        import json

        with open(path, "w") as handle:
            json.dump(dict(OUTCOMES), handle)


def _error_code(response) -> str:
    try:
        return response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return ""


def _booked_cleaners() -> list[dict]:
    """The cleaners this scale's BookingCleaner users answer for (20 at 1x, 40 at 2x)."""
    return (_load(_BOOKING_CLEANERS) if _BOOKING_CLEANERS else [])[:BOOKING_CLEANERS * SCALE]


class BookingCustomer(HttpUser):
    """A customer with an account of their own (API): searches near one of the booked cleaners (the city, a
    point within ~300 m of it, 2 km, by distance), opens that cleaner's free slots on a day 1 to 60 days
    ahead for one of its services, books one of them; then looks at its oldest unpaid booking (up to
    PAYMENT_LOOKS times, reading each answer) and pays it once its cleaner has accepted it (create-intent,
    the simulator's checkout, verify); one not accepted yet is looked at again on the next visit. Reads
    each answer for 1 to 3 s.
    A 409 slot_unavailable (another customer took the time between the slots and the booking) is an
    expected answer, counted in OUTCOMES."""

    fixed_count = BOOKING_CUSTOMERS * SCALE
    wait_time = between(1, 3)

    def on_start(self):
        import random

        self.random = random.Random()
        tokens = _load(_CUSTOMER_TOKENS) if _CUSTOMER_TOKENS else []
        self.auth = {"Authorization": f"Bearer {tokens[next(_customer_numbers) % len(tokens)]}"} if tokens else {}
        self.cleaners = _booked_cleaners()
        self.waiting = []  # ids of this customer's bookings not yet paid, oldest first

    @task
    def visit(self):
        self.book()
        for _ in range(PAYMENT_LOOKS):
            if not self.waiting:
                break
            self.wait()
            if self.pay_accepted():
                break

    def book(self):
        cleaner = self.random.choice(self.cleaners)
        params = {"city": cleaner["city"], "lat": f"{cleaner['lat'] + self.random.uniform(-0.003, 0.003):.5f}",
                  "lng": f"{cleaner['lng'] + self.random.uniform(-0.003, 0.003):.5f}", "radius_km": 2,
                  "sort": "distance", "page_size": 20}
        with self.client.get(f"/api/v1/cleaners?{urlencode(params)}", headers=self.auth, catch_response=True,
                             name="GET /api/v1/cleaners (near a cleaner)") as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:120]}")
                return
            found = next((r for r in response.json()["results"] if r["id"] == cleaner["id"]), None)
        OUTCOMES["search: the cleaner on the first page" if found else "search: the cleaner not on the first page"] += 1
        services = [s["id"] for s in found["services"]] if found else cleaner["services"]
        self.wait()
        day = (datetime.now(IST) + timedelta(days=self.random.randint(1, BOOKING_HORIZON_DAYS))).date().isoformat()
        service = self.random.choice(services)
        query = urlencode({"date": day, "service_id": service})
        with self.client.get(f"/api/v1/cleaners/{cleaner['id']}/availability?{query}", headers=self.auth,
                             catch_response=True, name="GET /api/v1/cleaners/{id}/availability") as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:120]}")
                return
            slots = response.json()["slots"]
        if not slots:
            OUTCOMES["slots: none free that day"] += 1
            return
        self.wait()
        body = {"cleaner_id": cleaner["id"], "service_id": service, "booking_date": day,
                "start_time": self.random.choice(slots)["start"], "special_instructions": "Benchmark booking",
                "service_address": {"street": "12, Bench Road", "city": cleaner["city"], "state": cleaner["state"],
                                    "pincode": cleaner["pincode"]}}
        with self.client.post("/api/v1/bookings", json=body, headers=self.auth, catch_response=True,
                              name="POST /api/v1/bookings") as response:
            if response.status_code == 201:
                self.waiting.append(response.json()["id"])
                OUTCOMES["bookings: 201 booked"] += 1
            elif response.status_code == 409 and _error_code(response) == "slot_unavailable":
                response.success()
                OUTCOMES["bookings: 409 slot_unavailable (expected)"] += 1
            else:
                response.failure(f"{response.status_code}: {response.text[:160]}")

    def pay_accepted(self) -> bool:
        """Looks at the oldest waiting booking and pays it once its cleaner has accepted it. False while it
        waits for the cleaner (or when the look failed)."""
        booking_id = self.waiting[0]
        with self.client.get(f"/api/v1/bookings/{booking_id}", headers=self.auth, catch_response=True,
                             name="GET /api/v1/bookings/{id}") as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:120]}")
                return False
            booking = response.json()
        if booking["status"] == "pending":
            OUTCOMES["payments: looked at a booking not accepted yet"] += 1
            return False
        self.waiting.pop(0)
        if booking["status"] != "confirmed" or booking["payment_status"] != "pending":
            OUTCOMES[f"payments: booking {booking['status']}, payment {booking['payment_status']}"] += 1
            return True
        self.wait()
        with self.client.post("/api/v1/payments/create-intent", json={"booking_id": booking_id}, headers=self.auth,
                              catch_response=True, name="POST /api/v1/payments/create-intent") as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:120]}")
                return True
            order_id = response.json()["order_id"]
        paid = self.client.post(f"/simulator/razorpay/checkout/{order_id}/pay", data="outcome=success",
                                headers={"Accept": "application/json",
                                         "Content-Type": "application/x-www-form-urlencoded"},
                                name="POST simulator pay")
        if paid.status_code == 200:
            verified = self.client.post("/api/v1/payments/verify", json=paid.json(), headers=self.auth,
                                        name="POST /api/v1/payments/verify")
            if verified.status_code == 200:
                OUTCOMES["payments: paid (verified)"] += 1
        return True


class BookingCleaner(HttpUser):
    """One of the booked cleaners (its own account): looks at its upcoming bookings every 1 to 3 s and
    accepts the pending ones."""

    fixed_count = BOOKING_CLEANERS * SCALE
    wait_time = between(1, 3)

    def on_start(self):
        cleaners = _booked_cleaners()
        self.auth = {"Authorization": f"Bearer {cleaners[next(_cleaner_numbers) % len(cleaners)]['token']}"}

    @task
    def answer(self):
        with self.client.get("/api/v1/cleaners/me/bookings?show=upcoming&page_size=50", headers=self.auth,
                             catch_response=True, name="GET /api/v1/cleaners/me/bookings?show=upcoming") as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:120]}")
                return
            pending = [b["id"] for b in response.json()["results"] if b["status"] == "pending"]
        for booking_id in pending:
            with self.client.patch(f"/api/v1/bookings/{booking_id}/status", json={"status": "confirmed"},
                                   headers=self.auth, catch_response=True,
                                   name="PATCH /api/v1/bookings/{id}/status (accept)") as response:
                if response.status_code == 200:
                    OUTCOMES["accepts: 200 confirmed"] += 1
                else:
                    response.failure(f"{response.status_code}: {response.text[:120]}")


# Throughput of one list or page at a time (issue 12's targets 1 and 2): 50 users, closed loop, each asking
# one of the endpoint's usual URLs; BENCH_TARGET names the endpoint. The anonymous ones carry no
# credentials; the signed-in ones each use a token of their own (a cleaner, a customer, a backer).
def _throughput_paths(target: str):
    """(paths, tokens): the URLs a user of this target picks from, and the tokens they sign in with."""
    campaigns = _load(_CAMPAIGNS) if _CAMPAIGNS else []
    places = _load(_PLACES) if _PLACES else []
    cleaners = [c["id"] for c in (_load(_BOOKING_CLEANERS) if _BOOKING_CLEANERS else [])]
    cities = [place["city"] for place in places]
    if target == "home":
        return ["/"], []
    if target == "campaigns-page":
        return ["/campaigns/", "/campaigns/?page=2", "/campaigns/?sort=ending_soon"], []
    if target == "campaigns-api":
        return ["/api/v1/campaigns?page_size=20", "/api/v1/campaigns?page_size=20&page=2",
                "/api/v1/campaigns?page_size=20&sort=ending_soon"], []
    if target == "campaign-page":
        return [f"/campaigns/{pk}/" for pk in campaigns], []
    if target == "campaign-api":
        return [f"/api/v1/campaigns/{pk}" for pk in campaigns], []
    if target == "cleaners-page":
        return [f"/cleaners/?{urlencode({'city': city})}" for city in cities], []
    if target == "cleaners-api":
        return [f"/api/v1/cleaners?{urlencode({'city': city, 'sort': sort, 'page_size': 20})}"
                for city in cities for sort in ("rating", "price")], []
    if target == "cleaner-page":
        return [f"/cleaners/{pk}/" for pk in cleaners], []
    if target == "cleaner-api":
        return [f"/api/v1/cleaners/{pk}" for pk in cleaners], []
    if target == "jobs-board":
        return ["/api/v1/jobs?page_size=20", "/api/v1/jobs?page_size=20&sort=amount"], \
            _load(_CLEANER_TOKENS) if _CLEANER_TOKENS else []
    if target == "my-bookings":
        return ["/api/v1/bookings"], _load(_CUSTOMER_TOKENS) if _CUSTOMER_TOKENS else []
    if target == "transactions":
        return ["/api/v1/users/me/transactions"], _load(_TOKENS) if _TOKENS else []
    raise ValueError(f"unknown BENCH_TARGET {target!r}")


_user_numbers = count()


class ThroughputUser(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        import random

        self.random = random.Random()
        self.target = os.environ["BENCH_TARGET"]
        self.paths, tokens = _throughput_paths(self.target)
        self.auth = {"Authorization": f"Bearer {tokens[next(_user_numbers) % len(tokens)]}"} if tokens else {}

    @task
    def ask(self):
        self.client.get(self.random.choice(self.paths), headers=self.auth, name=self.target)
