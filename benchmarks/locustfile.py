"""Load scenarios for benchmarks/run.py. Each User class is one scenario, run on its own
(closed loop, no think time) against a gunicorn server with production-like settings."""

import os

from locust import HttpUser, constant, task

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
        self.client.headers["Authorization"] = f"Bearer {os.environ['BENCH_TOKEN']}"

    @task
    def notifications(self):
        self.client.get("/api/v1/notifications?page_size=20", name="GET /api/v1/notifications")
