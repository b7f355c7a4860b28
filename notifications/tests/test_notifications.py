from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from cleanit import errors
from marketplace.tests.factories import UserFactory
from notifications import catalogue, selectors, services
from notifications.models import Notification

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

catalogue.register_event("test.campaign_update", catalogue.Category.CAMPAIGNS)
catalogue.register_event("test.payment_receipt", catalogue.Category.PAYMENTS, always=True)


class TestNotify:
    def test_stores_with_category_from_catalogue(self, user):
        notification = services.notify(user=user, event="test.campaign_update", title="Funded!", link="/c/1")
        assert notification.category == "campaigns" and not notification.is_read

    def test_unknown_event_is_a_programming_error(self, user):
        with pytest.raises(LookupError):
            services.notify(user=user, event="nope.never", title="x")

    def test_muted_category_is_not_delivered(self, user):
        services.preferences_update(user=user, campaigns=False)
        assert services.notify(user=user, event="test.campaign_update", title="x") is None
        assert not Notification.objects.exists()

    def test_always_events_ignore_preferences(self, user):
        services.preferences_update(user=user, payments=False)
        assert services.notify(user=user, event="test.payment_receipt", title="Receipt") is not None

    def test_security_and_account_events_are_always_delivered(self, user):
        assert catalogue.get_event("security.password_changed").always
        assert catalogue.get_event("account.welcome").always

    def test_dedupe_key_sends_once(self, user):
        first = services.notify(user=user, event="test.campaign_update", title="x", dedupe_key="job:1:2026-11-22")
        second = services.notify(user=user, event="test.campaign_update", title="x", dedupe_key="job:1:2026-11-22")
        assert first is not None and second is None
        other_user = UserFactory()
        assert services.notify(user=other_user, event="test.campaign_update", title="x",
                               dedupe_key="job:1:2026-11-22") is not None

    def test_notify_many(self, db):
        users = UserFactory.create_batch(3)
        assert services.notify_many(users=users, event="test.campaign_update", title="x") == 3

    def test_notify_many_keeps_the_rules_of_notify_in_two_queries(self, db):
        """Preferences read at once and one insert, whoever is told: a muted category, a suspended and a
        deleted account are left out as by notify, and the always events still reach the suspended."""
        told, muted, suspended = UserFactory.create_batch(3)
        deleted = UserFactory(deleted_at=timezone.now(), is_active=False)
        services.preferences_update(user=muted, campaigns=False)
        suspended.is_active = False
        suspended.save()
        everyone = [told, muted, suspended, deleted, *UserFactory.create_batch(5)]
        with CaptureQueriesContext(connection) as queries:
            sent = services.notify_many(users=everyone, event="test.campaign_update", title="Funded", link="/c/1")
        assert sent == 6 and len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]) == 2
        stored = Notification.objects.filter(event="test.campaign_update")
        assert set(stored.values_list("user_id", flat=True)) == {user.pk for user in everyone} - {
            muted.pk, suspended.pk, deleted.pk}
        assert set(stored.values_list("category", "title", "link")) == {("campaigns", "Funded", "/c/1")}
        assert services.notify_many(users=[muted, suspended, deleted], event="test.payment_receipt", title="x") == 2

    def test_notify_many_with_a_dedupe_key_tells_each_user_once(self, db):
        earlier, other = UserFactory.create_batch(2)
        services.notify(user=earlier, event="test.campaign_update", title="x", dedupe_key="job:1")
        assert services.notify_many(users=[earlier, other, other], event="test.campaign_update", title="x",
                                    dedupe_key="job:1") == 1
        assert Notification.objects.filter(dedupe_key="job:1").count() == 2
        assert services.notify_many(users=[earlier, other], event="test.campaign_update", title="x",
                                    dedupe_key="job:1") == 0

    def test_notify_many_losing_a_dedupe_race_tells_the_others(self, db, monkeypatch):
        racer, other = UserFactory.create_batch(2)
        atomic = services.atomic

        def written_meanwhile():  # another sender stores the racer's between the read and the insert
            monkeypatch.setattr(services, "atomic", atomic)
            services.notify(user=racer, event="test.campaign_update", title="theirs", dedupe_key="job:2")
            return atomic()

        monkeypatch.setattr(services, "atomic", written_meanwhile)
        assert services.notify_many(users=[racer, other], event="test.campaign_update", title="ours",
                                    dedupe_key="job:2") == 1
        assert set(Notification.objects.values_list("user_id", "title")) == {(racer.pk, "theirs"), (other.pk, "ours")}


    def test_a_batch_follows_notifys_rules(self, db):
        muted, suspended, deleted, told, fresh = UserFactory.create_batch(5)
        services.preferences_update(user=muted, campaigns=False)
        suspended.is_active = False
        deleted.deleted_at = timezone.now()
        services.notify(user=told, event="test.campaign_update", title="x", dedupe_key="day:1")
        messages = [{"user": user, "event": "test.campaign_update", "title": "x", "dedupe_key": "day:1"}
                    for user in (muted, suspended, deleted, told, fresh, fresh)]
        messages += [{"user": user, "event": "test.payment_receipt", "title": "Receipt"} for user in (muted, suspended)]
        assert services.notify_batch(messages) == 3
        assert set(Notification.objects.filter(dedupe_key="day:1").values_list("user_id", flat=True)) == {
            told.pk, fresh.pk}
        assert set(Notification.objects.filter(event="test.payment_receipt").values_list("user_id", flat=True)) == {
            muted.pk, suspended.pk}

    def test_a_batch_uses_the_preferences_read_with_its_users_and_stores_in_one_insert(self, db):
        muted, listening, without_row = UserFactory.create_batch(3)
        services.preferences_update(user=muted, campaigns=False)
        services.preferences_update(user=listening, campaigns=True)
        joined = {user.pk: user for user in get_user_model().objects.select_related("notification_preference")
                  .filter(pk__in=[muted.pk, listening.pk, without_row.pk])}
        messages = [{"user": joined[user.pk], "event": "test.campaign_update", "title": "x"}
                    for user in (muted, listening, without_row)]
        messages.append({"user": joined[muted.pk], "event": "test.payment_receipt", "title": "Receipt"})
        with CaptureQueriesContext(connection) as queries:
            assert services.notify_batch(messages) == 3
        statements = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
        assert len(statements) == 1 and statements[0].startswith("INSERT"), statements
        assert set(Notification.objects.values_list("user_id", "event")) == {
            (listening.pk, "test.campaign_update"), (without_row.pk, "test.campaign_update"),
            (muted.pk, "test.payment_receipt")}

    def test_a_batch_meeting_a_concurrent_sender_is_sent_one_by_one(self, db, monkeypatch):
        first, second = UserFactory.create_batch(2)
        real_filter = Notification.objects.filter

        def blind_filter(*args, **kwargs):  # the dedupe look-up misses a notice another sender stores meanwhile
            if "dedupe_key__in" in kwargs:
                NotificationFactory(user=first, dedupe_key="day:1")
                return Notification.objects.none()
            return real_filter(*args, **kwargs)

        monkeypatch.setattr(Notification.objects, "filter", blind_filter)
        sent = services.notify_batch([{"user": user, "event": "test.campaign_update", "title": "x",
                                       "dedupe_key": "day:1"} for user in (first, second)])
        monkeypatch.undo()
        assert sent == 1
        assert Notification.objects.filter(user=first, dedupe_key="day:1").count() == 1
        assert Notification.objects.filter(user=second, dedupe_key="day:1").count() == 1

    def test_notify_many_costs_a_few_queries_per_chunk_not_per_user(self, db, settings):
        users = UserFactory.create_batch(12)
        with CaptureQueriesContext(connection) as queries:
            assert services.notify_many(users=get_user_model().objects.filter(pk__in=[u.pk for u in users]),
                                        event="test.campaign_update", title="x", dedupe_key="day:1") == 12
        counted = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
        assert len(counted) <= 4, counted  # the users, their preferences, the keys used, one insert


class TestReadAndPurge:
    def test_mark_read_only_own(self, user):
        mine = NotificationFactory(user=user)
        theirs = NotificationFactory()
        assert services.notification_mark_read(user=user, notification_id=mine.pk).is_read
        with pytest.raises(errors.NotFound):
            services.notification_mark_read(user=user, notification_id=theirs.pk)
        theirs.refresh_from_db()
        assert not theirs.is_read

    def test_mark_all_read(self, user):
        NotificationFactory.create_batch(3, user=user)
        other = NotificationFactory()
        assert services.notification_mark_all_read(user=user) == 3
        assert selectors.unread_count(user=user) == 0
        other.refresh_from_db()
        assert not other.is_read

    def test_mark_all_read_before_a_moment_leaves_the_newer_unread(self, user):
        from datetime import timedelta

        from django.utils import timezone

        old, new = NotificationFactory.create_batch(2, user=user)
        old.created_at = timezone.now() - timedelta(days=8)
        old.save(update_fields=["created_at"])
        assert services.notification_mark_all_read(user=user, before=timezone.now() - timedelta(days=7)) == 1
        old.refresh_from_db()
        new.refresh_from_db()
        assert old.is_read and not new.is_read

    def test_purge_older_than_90_days_and_idempotent(self, user):
        with freeze_time(timezone.now() - timedelta(days=91)):
            NotificationFactory(user=user)
        with freeze_time(timezone.now() - timedelta(days=89)):
            NotificationFactory(user=user)
        assert services.notifications_purge(now=timezone.now()) == 1
        assert services.notifications_purge(now=timezone.now()) == 0
        assert Notification.objects.count() == 1

    def test_preferences_refuse_unknown_categories(self, user):
        with pytest.raises(errors.ValidationFailed):
            services.preferences_update(user=user, security=False)


class TestNotificationsApi:
    def test_list_unread_filter_and_pagination(self, auth_client, user):
        NotificationFactory.create_batch(3, user=user)
        NotificationFactory(user=user, is_read=True)
        NotificationFactory()  # someone else's
        body = auth_client.get("/api/v1/notifications").json()
        assert body["count"] == 4 and set(body) == {"count", "next", "previous", "results"}
        assert set(body["results"][0]) >= {"id", "category", "event", "title", "body", "link", "is_read",
                                           "created_at"}
        assert auth_client.get("/api/v1/notifications?unread=true").json()["count"] == 3
        page = auth_client.get("/api/v1/notifications?page_size=2&page=2").json()
        assert len(page["results"]) == 2 and page["previous"]

    def test_page_size_is_capped_at_100(self, auth_client, user):
        NotificationFactory.create_batch(101, user=user)
        assert len(auth_client.get("/api/v1/notifications?page_size=500").json()["results"]) == 100

    def test_invalid_page_is_404_envelope(self, auth_client, user):
        response = auth_client.get("/api/v1/notifications?page=99")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"

    def test_unread_count(self, auth_client, user):
        NotificationFactory.create_batch(2, user=user)
        assert auth_client.get("/api/v1/notifications/unread-count").json() == {"count": 2}

    def test_mark_read_and_read_all(self, auth_client, user):
        first, _ = NotificationFactory.create_batch(2, user=user)
        response = auth_client.post(f"/api/v1/notifications/{first.pk}/read")
        assert response.status_code == 200 and response.json()["is_read"] is True
        assert auth_client.post("/api/v1/notifications/read-all").json() == {"updated": 1}

    def test_other_users_notification_is_404(self, auth_client):
        theirs = NotificationFactory()
        assert auth_client.post(f"/api/v1/notifications/{theirs.pk}/read").status_code == 404
        assert auth_client.post("/api/v1/notifications/not-a-uuid/read").status_code == 404

    def test_anonymous_is_401(self, api_client, db):
        for method, path in [("get", ""), ("get", "/unread-count"), ("post", "/read-all")]:
            assert getattr(api_client, method)(f"/api/v1/notifications{path}").status_code == 401

    def test_preferences_api(self, auth_client, user):
        url = "/api/v1/users/me/notification-preferences"
        assert auth_client.get(url).json() == {"bookings": True, "campaigns": True, "jobs": True, "payments": True}
        response = auth_client.put(url, {"jobs": False}, format="json")
        assert response.status_code == 200 and response.json()["jobs"] is False
        bad = auth_client.put(url, {"jobs": "perhaps", "security": False}, format="json")
        assert bad.status_code == 400 and {"jobs"} <= set(bad.json()["error"]["fields"])
        assert auth_client.put(url, {"security": False}, format="json").status_code == 400
        assert auth_client.get(url).json()["jobs"] is False


class TestQueryCounts:
    def _count(self, client_call):
        with CaptureQueriesContext(connection) as ctx:
            response = client_call()
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def test_api_list_constant(self, auth_client, user):
        NotificationFactory(user=user)
        one = self._count(lambda: auth_client.get("/api/v1/notifications?page_size=100"))
        NotificationFactory.create_batch(49, user=user)
        fifty = self._count(lambda: auth_client.get("/api/v1/notifications?page_size=100"))
        assert one == fifty

    def test_page_list_constant(self, client, user):
        client.force_login(user)
        NotificationFactory(user=user)
        one = self._count(lambda: client.get(reverse("notifications:list")))
        NotificationFactory.create_batch(49, user=user)
        fifty = self._count(lambda: client.get(reverse("notifications:list")))
        assert one == fifty


class TestNotificationPages:
    @pytest.fixture
    def signed_in(self, client, user):
        client.force_login(user)
        return client

    def test_bell_shows_unread_count(self, signed_in, user):
        NotificationFactory.create_batch(2, user=user)
        content = signed_in.get(reverse("home")).content.decode()
        assert 'data-testid="unread-count">2<' in content
        assert "every 30s" in content

    def test_bell_partial(self, signed_in, user):
        NotificationFactory(user=user)
        response = signed_in.get(reverse("notifications:bell"))
        assert response.status_code == 200 and b"<html" not in response.content and b">1<" in response.content

    def test_list_and_unread_filter(self, signed_in, user):
        NotificationFactory(user=user, title="Unread one")
        NotificationFactory(user=user, title="Read one", is_read=True)
        assert "Read one" in signed_in.get(reverse("notifications:list")).content.decode()
        unread = signed_in.get(reverse("notifications:list") + "?filter=unread").content.decode()
        assert "Unread one" in unread and "Read one" not in unread

    def test_mark_read_plain_post_and_htmx(self, signed_in, user):
        first, second = NotificationFactory.create_batch(2, user=user)
        response = signed_in.post(reverse("notifications:read", args=[first.pk]))
        assert response.status_code == 302
        response = signed_in.post(reverse("notifications:read", args=[second.pk]), HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and response["HX-Trigger"] == "notifications-changed"
        assert selectors.unread_count(user=user) == 0

    def test_open_follows_local_link_only(self, signed_in, user):
        local = NotificationFactory(user=user, link="/account/settings/")
        external = NotificationFactory(user=user, link="https://evil.example.com/")
        assert signed_in.post(reverse("notifications:read", args=[local.pk]), {"open": "1"}).url == "/account/settings/"
        assert signed_in.post(reverse("notifications:read", args=[external.pk]),
                              {"open": "1"}).url == reverse("notifications:list")

    def test_cannot_mark_someone_elses(self, signed_in):
        theirs = NotificationFactory()
        assert signed_in.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
        assert signed_in.post(reverse("notifications:read", args=["garbage"])).status_code == 404

    def test_mark_all_read_page(self, signed_in, user):
        NotificationFactory.create_batch(2, user=user)
        assert signed_in.post(reverse("notifications:read_all")).status_code == 302
        assert selectors.unread_count(user=user) == 0

    def test_anonymous_redirected(self, client, db):
        assert client.get(reverse("notifications:list")).status_code == 302
        assert client.post(reverse("notifications:read_all")).status_code == 302

    def test_user_text_is_escaped(self, signed_in, user):
        NotificationFactory(user=user, title="<script>alert(1)</script>")
        content = signed_in.get(reverse("notifications:list")).content.decode()
        assert "<script>alert(1)</script>" not in content and "&lt;script&gt;" in content
