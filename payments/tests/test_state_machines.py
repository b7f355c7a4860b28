"""Each money record's transition table, walked: every allowed move succeeds, every other is
refused and changes nothing."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from cleanit.statemachine import try_transition
from marketplace.tests.factories import UserFactory
from payments.models import Payment, Payout, Refund
from tests.statemachine import walk_transition_table

pytestmark = pytest.mark.django_db
_numbers = itertools.count()


def payment_in(status):
    n = next(_numbers)
    return Payment.objects.create(payer=UserFactory(), payable_kind="test", payable_id=str(n), escrow_key=f"test:{n}",
                                  description="Walk", amount=10000, gateway_order_id=f"order_walk{n}", status=status)


def refund_in(status):
    return Refund.objects.create(payment=payment_in(Payment.Status.CAPTURED), refund_key=f"walk:{next(_numbers)}",
                                 amount=10000, reason="walk", status=status)


def payout_in(status):
    due = timezone.now() - timedelta(days=1)
    return Payout.objects.create(payee=UserFactory(), source_kind="test", source_id=str(next(_numbers)),
                                 escrow_key="test:walk", description="Walk", amount=10000, due_at=due,
                                 next_attempt_at=due, status=status)


def test_payment_table():
    assert walk_transition_table(Payment, payment_in) == 3


def test_refund_table():
    assert walk_transition_table(Refund, refund_in) == 8


def test_payout_table():
    assert walk_transition_table(Payout, payout_in) == 9


def test_domain_path_is_in_the_tables():
    """domain.md §5: pending -> processing -> refunded | failed (refunds), paid | failed (payouts)."""
    for model, done in ((Refund, Refund.Status.REFUNDED), (Payout, Payout.Status.PAID)):
        table = model.TRANSITIONS
        assert model.Status.PROCESSING in table[model.Status.PENDING]
        assert {done, model.Status.FAILED} <= table[model.Status.PROCESSING]


def test_a_refused_try_transition_is_one_query_and_leaves_the_object_alone(django_assert_num_queries):
    payout = payout_in(Payout.Status.PAID)
    with django_assert_num_queries(1):  # the conditional update; no read to explain a refusal nobody shows
        assert not try_transition(payout, Payout.Status.PROCESSING)
    assert payout.status == Payout.Status.PAID
    with django_assert_num_queries(1):
        assert try_transition(payout, Payout.Status.FAILED, flagged=True)
    assert (payout.status, payout.flagged) == (Payout.Status.FAILED, True)
