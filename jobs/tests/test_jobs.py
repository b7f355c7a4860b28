"""Job rules and transitions through the services (the API and pages are tested separately)."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import ExifTags, Image

from campaigns.models import Campaign, Contribution
from campaigns.tests.factories import CampaignFactory
from cleanit import errors
from jobs import errors as job_errors
from jobs import notices, rules, services
from jobs.models import CleanerJobStats, Job, JobReview
from marketplace import services as marketplace_services
from marketplace.tests.factories import AdminFactory, CleanerFactory, UserFactory
from notifications.models import Notification
from payments.models import LedgerEntry, Payout, Refund

from .factories import fund, funded_job, noise_image, photo, site_photo, verified_cleaner

pytestmark = pytest.mark.django_db


def claimed_job(cleaner=None, **kwargs):
    job = funded_job(**kwargs)
    cleaner = cleaner or verified_cleaner()
    return services.job_claim(job=job, cleaner=cleaner), cleaner


def completed_job(cleaner=None, seed=1, **kwargs):
    job, cleaner = claimed_job(cleaner, **kwargs)
    return services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job, seed=seed)), cleaner


class TestCreation:
    def test_funded_campaign_becomes_one_job_with_95_5_split_and_90_days(self):
        campaign = CampaignFactory(target_amount=10_001_00)
        fund(campaign)
        job = services.job_create_for_campaign(campaign=campaign)
        assert (job.amount, job.platform_fee) == (9_500_95, 500_05)
        assert job.amount + job.platform_fee == campaign.amount_raised
        assert job.status == "available"
        assert job.expires_at == campaign.funded_at + timedelta(days=90)
        assert services.job_create_for_campaign(campaign=campaign) == job
        assert Job.objects.count() == 1

    def test_created_by_the_funded_signal_after_commit(self, django_capture_on_commit_callbacks):
        campaign = CampaignFactory(target_amount=1_000_00)
        with django_capture_on_commit_callbacks(execute=True):
            fund(campaign)
        assert Job.objects.get(campaign=campaign).amount == 950_00

    def test_not_for_a_campaign_that_is_not_funded(self):
        assert services.job_create_for_campaign(campaign=CampaignFactory()) is None
        assert not Job.objects.exists()

    def test_safety_net_creates_missing_jobs_once(self):
        campaign = CampaignFactory(target_amount=1_000_00)
        fund(campaign)  # the signal's on_commit callback is dropped here, as after a crash
        assert services.jobs_create_missing(now=timezone.now()) == 1
        assert services.jobs_create_missing(now=timezone.now()) == 0

    def test_job_available_notification_once_per_day_to_verified_opted_in_cleaners(self, django_assert_max_num_queries):
        verified, muted = verified_cleaner(), verified_cleaner()
        unverified = CleanerFactory()
        from notifications.services import preferences_update
        preferences_update(user=muted, jobs=False)
        funded_job()
        assert services.jobs_announce() == 1
        funded_job()
        for _ in range(5):
            verified_cleaner()
            services.jobs_announce()
        with django_assert_max_num_queries(3):  # everyone told today: constant, not one query per cleaner
            assert services.jobs_announce() == 0
        assert Notification.objects.filter(event="job.available", user=verified).count() == 1
        assert not Notification.objects.filter(event="job.available", user__in=[muted, unverified]).exists()
        assert services.jobs_announce(now=timezone.now() + timedelta(days=1)) == 6  # a new day: all again


class TestClaim:
    def test_claim_sets_deadline_and_counts(self):
        job = funded_job()
        cleaner = verified_cleaner()
        job = services.job_claim(job=job, cleaner=cleaner)
        assert job.status == "claimed" and job.claimed_by == cleaner and job.claim_count == 1
        assert job.completion_deadline - job.claimed_at == timedelta(days=7)
        assert CleanerJobStats.objects.get(user=cleaner).active_claims == 1

    def test_already_claimed_is_409(self):
        job, _ = claimed_job()
        with pytest.raises(job_errors.AlreadyClaimed) as exc:
            services.job_claim(job=Job.objects.get(pk=job.pk), cleaner=verified_cleaner())
        assert exc.value.code == "already_claimed"

    @pytest.mark.parametrize("case", ["no_kyc", "kyc_pending", "kyc_rejected", "customer", "suspended"])
    def test_who_may_not_claim(self, case):
        job = funded_job()
        if case == "customer":
            user = UserFactory()
        elif case == "suspended":
            user = verified_cleaner()
            marketplace_services.user_suspend(user=user, reason="test")
        else:
            user = CleanerFactory()
            if case != "no_kyc":
                kyc = marketplace_services.kyc_submit(user=user, id_type="pan", id_number="ABCPE1234F",
                                                      account_holder_name="A Cleaner", upi_id="asha@okicici")
                if case == "kyc_rejected":
                    marketplace_services.kyc_review(kyc=kyc, admin=AdminFactory(), action="reject", reason="blurry")
        with pytest.raises(errors.NotAllowed) as exc:
            services.job_claim(job=job, cleaner=user)
        assert exc.value.code == {"customer": "not_a_cleaner", "suspended": "account_suspended"}.get(case, "kyc_required")
        assert Job.objects.get(pk=job.pk).status == "available"

    def test_at_most_five_active_claims(self):
        cleaner = verified_cleaner()
        for _ in range(5):
            services.job_claim(job=funded_job(), cleaner=cleaner)
        sixth = funded_job()
        with pytest.raises(job_errors.ClaimLimit) as exc:
            services.job_claim(job=sixth, cleaner=cleaner)
        assert exc.value.code == "claim_limit"
        assert Job.objects.get(pk=sixth.pk).status == "available"
        stats = CleanerJobStats.objects.get(user=cleaner)
        assert (stats.active_claims, stats.claims) == (5, 5)

    def test_completing_frees_a_slot(self):
        cleaner = verified_cleaner()
        jobs = [services.job_claim(job=funded_job(), cleaner=cleaner) for _ in range(5)]
        services.job_complete(job=jobs[0], cleaner=cleaner, photo=site_photo(jobs[0]))
        services.job_claim(job=funded_job(), cleaner=cleaner)
        assert CleanerJobStats.objects.get(user=cleaner).active_claims == 5

    def test_the_cleaner_who_last_lost_it_may_not_claim_it_again(self):
        job, cleaner = claimed_job()
        services.jobs_auto_release(now=job.completion_deadline + timedelta(minutes=1))
        job.refresh_from_db()
        with pytest.raises(errors.NotAllowed) as exc:
            services.job_claim(job=job, cleaner=cleaner)
        assert exc.value.code == "previously_released"
        assert services.job_claim(job=job, cleaner=verified_cleaner()).status == "claimed"

    def test_failed_claim_does_not_use_up_a_slot(self):
        job, _ = claimed_job()
        other = verified_cleaner()
        with pytest.raises(job_errors.AlreadyClaimed):
            services.job_claim(job=job, cleaner=other)
        assert CleanerJobStats.objects.get(user=other).active_claims == 0

    def test_expired_or_held_jobs_cannot_be_claimed(self):
        job = funded_job()
        Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        with pytest.raises(job_errors.JobNotAvailable) as exc:
            services.job_claim(job=Job.objects.get(pk=job.pk), cleaner=verified_cleaner())
        assert exc.value.code == "job_expired"
        held = funded_job()
        Job.objects.filter(pk=held.pk).update(needs_review=True)
        with pytest.raises(job_errors.JobNotAvailable):
            services.job_claim(job=Job.objects.get(pk=held.pk), cleaner=verified_cleaner())

    def test_creator_is_told(self, django_capture_on_commit_callbacks):
        job = funded_job()
        cleaner = verified_cleaner()
        with django_capture_on_commit_callbacks(execute=True):
            services.job_claim(job=job, cleaner=cleaner)
        assert Notification.objects.filter(user=job.campaign.creator, event="job.claimed").exists()


class TestUnclaim:
    def test_unclaim_with_reason_more_than_24h_before(self):
        job, cleaner = claimed_job()
        job = services.job_unclaim(job=job, cleaner=cleaner, reason="Fell ill",
                                   now=job.completion_deadline - timedelta(hours=25))
        assert job.status == "available" and job.claimed_by is None and job.last_claimer == cleaner
        stats = CleanerJobStats.objects.get(user=cleaner)
        assert (stats.active_claims, stats.penalties) == (0, 0)

    def test_too_late(self):
        job, cleaner = claimed_job()
        with pytest.raises(errors.Conflict) as exc:
            services.job_unclaim(job=job, cleaner=cleaner, reason="Busy",
                                 now=job.completion_deadline - timedelta(hours=24))
        assert exc.value.code == "unclaim_too_late"
        assert Job.objects.get(pk=job.pk).status == "claimed"

    def test_reason_required_and_only_the_claimer(self):
        job, cleaner = claimed_job()
        with pytest.raises(errors.ValidationFailed) as exc:
            services.job_unclaim(job=job, cleaner=cleaner, reason="   ")
        assert "reason" in exc.value.fields
        with pytest.raises(errors.NotAllowed) as exc:
            services.job_unclaim(job=job, cleaner=verified_cleaner(), reason="mine now")
        assert exc.value.code == "not_claimer"


class TestComplete:
    def test_photo_at_the_site_after_the_claim_raises_no_flags(self):
        job, cleaner = claimed_job()
        job = services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job))
        assert job.status == "completed" and job.flags == []
        assert job.distance_m < 5 and job.photo_taken_at is not None and job.first_time_cleaner
        assert job.after_photo.name.startswith("jobs/after/") and "after" not in job.after_photo.name.split("/")[-1]

    def test_stored_copy_keeps_only_gps_and_time(self):
        job, cleaner = claimed_job()
        job = services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job))
        with Image.open(job.after_photo.path) as stored:
            exif = stored.getexif()
            assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude]
            assert ExifTags.Base.DateTimeOriginal in exif.get_ifd(ExifTags.IFD.Exif)
            for tag in (ExifTags.Base.Make, ExifTags.Base.Model, ExifTags.Base.Software):
                assert tag not in exif

    @pytest.mark.parametrize("metres,flagged", [(450, False), (600, True)])
    def test_gps_inside_or_outside_500_m(self, metres, flagged):
        job, cleaner = claimed_job()
        north = job.campaign.latitude + metres / 111_195
        job = services.job_complete(job=job, cleaner=cleaner, photo=photo(
            latitude=north, longitude=job.campaign.longitude, taken_at=timezone.now()))
        assert ("location_mismatch" in job.flags) is flagged
        assert abs(job.distance_m - metres) < 5

    def test_no_exif_flags_gps_missing(self):
        job, cleaner = claimed_job()
        job = services.job_complete(job=job, cleaner=cleaner, photo=photo(exif=Image.Exif()))
        assert job.flags == ["gps_missing"] and job.distance_m is None and job.photo_taken_at is None

    @pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
    def test_png_and_webp_accepted_with_evidence(self, fmt):
        job, cleaner = claimed_job()
        job = services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job, fmt=fmt))
        assert job.flags == [] and job.after_photo.name.endswith(fmt.lower())

    def test_malformed_exif_is_treated_as_missing_never_an_error(self):
        buffer = io.BytesIO()
        noise_image(5).save(buffer, "JPEG", exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x05\x88\x25\xff\xff")
        job, cleaner = claimed_job()
        job = services.job_complete(job=job, cleaner=cleaner, photo=photo(raw=buffer.getvalue()))
        assert job.status == "completed" and "gps_missing" in job.flags

    def test_garbage_gps_values_are_ignored(self):
        exif = Image.Exif()
        exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (95.0, 0.0, 0.0),
                                      ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (77.0, 1.0)}
        exif[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: "not a date"}
        job, cleaner = claimed_job()
        job = services.job_complete(job=job, cleaner=cleaner, photo=photo(exif=exif))
        assert job.flags == ["gps_missing"] and job.photo_taken_at is None

    def test_timestamp_before_claim(self):
        job, cleaner = claimed_job()
        job = services.job_complete(job=job, cleaner=cleaner,
                                    photo=site_photo(job, taken_at=job.claimed_at - timedelta(days=2)))
        assert job.flags == ["timestamp_before_claim"]

    def test_camera_clock_a_few_minutes_behind_is_tolerated(self):
        job, cleaner = claimed_job()
        job = services.job_complete(job=job, cleaner=cleaner,
                                    photo=site_photo(job, taken_at=job.claimed_at - timedelta(minutes=4)))
        assert job.flags == []

    def test_reused_photo_is_flagged_even_after_recompression(self):
        first, cleaner = completed_job(seed=42)
        assert first.flags == []
        job, other = claimed_job()
        recompressed = io.BytesIO()
        Image.open(first.after_photo.path).resize((80, 60)).save(recompressed, "JPEG", quality=60)
        job = services.job_complete(job=job, cleaner=other, photo=photo(raw=recompressed.getvalue()))
        assert "photo_reused" in job.flags

    def test_before_photo_sent_as_after_photo_is_flagged(self):
        job, cleaner = claimed_job()
        Campaign.objects.filter(pk=job.campaign_id).update(photo_phash=str(__import__("imagehash").phash(noise_image(7))))
        job = services.job_complete(job=Job.objects.get(pk=job.pk), cleaner=cleaner, photo=site_photo(job, seed=7))
        assert job.flags == ["photo_reused"]

    def test_low_completion_rate(self):
        cleaner = verified_cleaner()
        for _ in range(2):
            job = services.job_claim(job=funded_job(), cleaner=cleaner)
            services.jobs_auto_release(now=job.completion_deadline + timedelta(minutes=1))
        job = services.job_claim(job=funded_job(), cleaner=cleaner)
        job = services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job))
        assert "low_completion_rate" in job.flags  # 1 completion of 3 claims

    def test_only_the_claimer_and_only_when_claimed(self):
        job, cleaner = claimed_job()
        with pytest.raises(errors.NotAllowed):
            services.job_complete(job=job, cleaner=verified_cleaner(), photo=site_photo(job))
        job = services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job))
        with pytest.raises(errors.Conflict):
            services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job, seed=2))

    def test_bad_photos_refused_and_nothing_changes(self):
        job, cleaner = claimed_job()
        with pytest.raises(errors.UnsupportedMedia):
            services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job, fmt="GIF"))
        with pytest.raises(errors.UnsupportedMedia):
            services.job_complete(job=job, cleaner=cleaner, photo=photo(raw=b"not an image at all"))
        with pytest.raises(errors.ValidationFailed):
            services.job_complete(job=job, cleaner=cleaner, photo=None)
        big = photo(raw=b"x")
        big.size = 10 * 1024 * 1024 + 1
        with pytest.raises(errors.TooLarge):
            services.job_complete(job=job, cleaner=cleaner, photo=big)
        assert Job.objects.get(pk=job.pk).status == "claimed"

    def test_creator_and_admins_are_told(self, django_capture_on_commit_callbacks):
        admin = AdminFactory()
        job, cleaner = claimed_job()
        with django_capture_on_commit_callbacks(execute=True):
            services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job))
        assert Notification.objects.filter(user=job.campaign.creator, event="job.completed").exists()
        assert Notification.objects.filter(user=admin, event="job.completed").exists()


class TestVerify:
    def test_approve_schedules_payout_earns_fee_and_completes_campaign(self):
        job, cleaner = completed_job()
        admin = AdminFactory()
        job = services.job_verify(job=job, admin=admin, action="approve")
        assert job.status == "verified" and job.verified_by == admin and job.verify_seconds is not None
        payout = Payout.objects.get(source_kind="job", source_id=str(job.pk))
        assert (payout.payee, payout.amount, payout.status) == (cleaner, job.amount, "pending")
        assert abs((payout.due_at - job.verified_at) - timedelta(hours=24)) < timedelta(seconds=1)
        assert LedgerEntry.objects.get(kind="fee", escrow_key=job.campaign.escrow_key).amount == job.platform_fee
        campaign = Campaign.objects.get(pk=job.campaign_id)
        assert campaign.status == "completed" and campaign.after_photo.name == job.after_photo.name
        assert CleanerJobStats.objects.get(user=cleaner).verified == 1
        assert JobReview.objects.get(job=job).action == "approve"

    def test_reject_with_retry_goes_back_to_the_cleaner(self):
        job, cleaner = completed_job()
        job = services.job_verify(job=job, admin=AdminFactory(), action="reject", reason="poor_quality",
                                  allow_retry=True)
        assert job.status == "claimed" and job.claimed_by == cleaner and job.rejection_count == 1
        assert job.completion_deadline >= timezone.now() + timedelta(days=1)
        assert CleanerJobStats.objects.get(user=cleaner).active_claims == 1
        job = services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job, seed=9))
        assert job.status == "completed"

    def test_reject_without_retry_fails_and_refunds_contributors(self):
        job, cleaner = completed_job()
        job = services.job_verify(job=job, admin=AdminFactory(), action="reject", reason="wrong_location")
        assert job.status == "failed"
        assert Campaign.objects.get(pk=job.campaign_id).status == "cancelled"
        contribution = Contribution.objects.get(campaign=job.campaign)
        refund = Refund.objects.get(payment=contribution.payment)
        assert refund.amount == job.amount + job.platform_fee
        assert not Payout.objects.exists()

    def test_fake_completion_suspends_and_never_retries(self):
        job, cleaner = completed_job()
        job = services.job_verify(job=job, admin=AdminFactory(), action="reject", reason="fake_completion",
                                  allow_retry=True)
        cleaner.refresh_from_db()
        assert job.status == "failed" and cleaner.is_suspended

    def test_a_cleaner_suspended_for_fake_completion_is_told_why(self, django_capture_on_commit_callbacks):
        job, cleaner = completed_job()
        with django_capture_on_commit_callbacks(execute=True):
            services.job_verify(job=job, admin=AdminFactory(), action="reject", reason="fake_completion")
        notice = Notification.objects.get(user=cleaner, event="account.suspended")
        assert notices.SUSPENDED_FOR_FAKE_COMPLETION in notice.body

    def test_more_than_three_rejections_flag_the_cleaner(self):
        job, cleaner = completed_job()
        admin = AdminFactory()
        for attempt in range(4):
            job = services.job_verify(job=job, admin=admin, action="reject", reason="photo_issues", allow_retry=True)
            assert CleanerJobStats.objects.get(user=cleaner).flagged is (attempt == 3)
            job = services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job, seed=100 + attempt))

    @pytest.mark.parametrize("data,field", [
        ({"action": "maybe"}, "action"), ({"action": "reject"}, "reason"),
        ({"action": "reject", "reason": "bad"}, "reason"), ({"action": "reject", "reason": "other"}, "notes"),
    ])
    def test_bad_decisions_refused(self, data, field):
        job, _ = completed_job()
        with pytest.raises(errors.ValidationFailed) as exc:
            services.job_verify(job=job, admin=AdminFactory(), **data)
        assert field in exc.value.fields
        assert Job.objects.get(pk=job.pk).status == "completed"

    def test_only_completed_jobs_and_only_once(self):
        job, _ = claimed_job()
        with pytest.raises(errors.Conflict):
            services.job_verify(job=job, admin=AdminFactory(), action="approve")
        job = services.job_complete(job=job, cleaner=job.claimed_by, photo=site_photo(job))
        services.job_verify(job=job, admin=AdminFactory(), action="approve")
        with pytest.raises(errors.Conflict):
            services.job_verify(job=Job.objects.get(pk=job.pk), admin=AdminFactory(), action="approve")
        assert Payout.objects.count() == 1

    def test_cleaner_is_told(self, django_capture_on_commit_callbacks):
        job, cleaner = completed_job()
        with django_capture_on_commit_callbacks(execute=True):
            services.job_verify(job=job, admin=AdminFactory(), action="approve")
        assert Notification.objects.filter(user=cleaner, event="job.verified").exists()
        assert Notification.objects.filter(user=job.campaign.creator, event="campaign.completed").exists()


class TestAutoRelease:
    def test_overdue_claim_released_with_penalty_and_idempotent(self, django_capture_on_commit_callbacks):
        job, cleaner = claimed_job()
        later = job.completion_deadline + timedelta(minutes=1)
        with django_capture_on_commit_callbacks(execute=True):
            result = services.jobs_auto_release(now=later)
        assert "released 1" in result.summary
        assert "released 0" in services.jobs_auto_release(now=later).summary
        job.refresh_from_db()
        assert (job.status, job.claimed_by, job.last_claimer, job.release_count) == ("available", None, cleaner, 1)
        stats = CleanerJobStats.objects.get(user=cleaner)
        assert (stats.active_claims, stats.penalties) == (0, 1)
        assert Notification.objects.filter(user=cleaner, event="job.auto_released").exists()

    def test_not_before_the_deadline(self):
        job, _ = claimed_job()
        services.jobs_auto_release(now=job.completion_deadline - timedelta(seconds=1))
        assert Job.objects.get(pk=job.pk).status == "claimed"

    def test_three_penalties_suspend(self):
        cleaner = verified_cleaner()
        for n in range(3):
            job = services.job_claim(job=funded_job(), cleaner=cleaner)
            services.jobs_auto_release(now=job.completion_deadline + timedelta(minutes=1))
            cleaner.refresh_from_db()
            assert cleaner.is_suspended is (n == 2)

    def test_a_cleaner_suspended_for_missed_deadlines_is_told_why(self, django_capture_on_commit_callbacks):
        cleaner = verified_cleaner()
        for _ in range(rules.MAX_PENALTIES):
            job = services.job_claim(job=funded_job(), cleaner=cleaner)
            with django_capture_on_commit_callbacks(execute=True):
                services.jobs_auto_release(now=job.completion_deadline + timedelta(minutes=1))
        notice = Notification.objects.get(user=cleaner, event="account.suspended")
        assert notices.suspended_for_missed_deadlines() in notice.body
        assert f"{rules.MAX_PENALTIES} job deadlines missed" in notice.body

    def test_missing_four_deadlines_in_one_run_suspends_once_and_tells_only_of_those_before(
            self, django_capture_on_commit_callbacks):
        cleaner = verified_cleaner()
        jobs = [services.job_claim(job=funded_job(), cleaner=cleaner) for _ in range(rules.MAX_PENALTIES + 1)]
        later = max(job.completion_deadline for job in jobs) + timedelta(minutes=1)
        with django_capture_on_commit_callbacks(execute=True):
            result = services.jobs_auto_release(now=later)
        assert f"released {len(jobs)} overdue claims (0 held for review, 1 cleaners suspended)" in result.summary
        cleaner.refresh_from_db()
        stats = CleanerJobStats.objects.get(user=cleaner)
        assert cleaner.is_suspended and (stats.penalties, stats.active_claims) == (len(jobs), 0)
        assert Notification.objects.filter(user=cleaner, event="account.suspended").count() == 1
        assert Notification.objects.filter(user=cleaner, event="job.auto_released").count() == rules.MAX_PENALTIES - 1

    def test_released_three_times_is_held_for_review(self):
        job = funded_job()
        for n in range(3):
            job = services.job_claim(job=Job.objects.get(pk=job.pk), cleaner=verified_cleaner())
            services.jobs_auto_release(now=job.completion_deadline + timedelta(minutes=1))
        job.refresh_from_db()
        assert job.status == "available" and job.needs_review and job.release_count == 3
        from jobs import selectors
        assert job not in selectors.jobs_board()
        assert services.job_reoffer(job=job, admin=AdminFactory())
        assert job in selectors.jobs_board()

    def test_expired_jobs_are_flagged_once(self):
        job = funded_job()
        result = services.jobs_auto_release(now=job.expires_at + timedelta(hours=1))
        assert "1 expired" in result.summary
        assert "0 expired" in services.jobs_auto_release(now=job.expires_at + timedelta(hours=2)).summary
        assert Job.objects.get(pk=job.pk).needs_review

    def test_admin_can_cancel_a_held_job_refunding_contributors(self):
        job = funded_job()
        services.job_cancel(job=job, admin=AdminFactory(), reason="Nobody can reach the site")
        assert Job.objects.get(pk=job.pk).status == "failed"
        assert Refund.objects.filter(payment__contribution__campaign=job.campaign).exists()


class TestReminders:
    def test_24h_and_1h_reminders_once_each(self):
        job, cleaner = claimed_job()
        deadline = job.completion_deadline
        assert "sent 0" in services.jobs_send_reminders(now=deadline - timedelta(hours=25)).summary
        assert "sent 1" in services.jobs_send_reminders(now=deadline - timedelta(hours=23)).summary
        assert "sent 0" in services.jobs_send_reminders(now=deadline - timedelta(hours=22)).summary
        assert "sent 1" in services.jobs_send_reminders(now=deadline - timedelta(minutes=50)).summary
        assert "sent 0" in services.jobs_send_reminders(now=deadline - timedelta(minutes=20)).summary
        assert Notification.objects.filter(user=cleaner, event="job.deadline_reminder").count() == 2


class TestCampaignCancelled:
    def test_an_admin_cancelling_the_campaign_withdraws_a_claimed_job(self, django_capture_on_commit_callbacks):
        from campaigns import services as campaign_services

        job, cleaner = claimed_job()
        with django_capture_on_commit_callbacks(execute=True):
            campaign_services.campaign_cancel_by_admin(campaign=job.campaign, admin=AdminFactory(),
                                                       reason="The municipality cleaned it")
        job.refresh_from_db()
        assert job.status == "failed" and "municipality" in job.review_note
        assert CleanerJobStats.objects.get(user=cleaner).active_claims == 0
        assert Notification.objects.filter(user=cleaner, event="job.rejected").exists()
        with pytest.raises(errors.Conflict):
            services.job_complete(job=job, cleaner=cleaner, photo=site_photo(job))

    @pytest.mark.parametrize("stage", ["available", "completed"])
    def test_available_or_completed_jobs_are_withdrawn_too(self, stage):
        from campaigns import services as campaign_services

        job = funded_job() if stage == "available" else completed_job()[0]
        campaign_services.campaign_cancel_by_admin(campaign=job.campaign, admin=AdminFactory(), reason="Duplicate")
        assert Job.objects.get(pk=job.pk).status == "failed"
        with pytest.raises(errors.Conflict):
            services.job_verify(job=Job.objects.get(pk=job.pk), admin=AdminFactory(), action="approve")
        assert not Payout.objects.exists()
