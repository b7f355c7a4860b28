from notifications.catalogue import Category, register_event

register_event("payment.received", Category.PAYMENTS, always=True)
register_event("payment.failed", Category.PAYMENTS, always=True)
register_event("refund.processed", Category.PAYMENTS, always=True)
register_event("refund.flagged", Category.PAYMENTS, always=True)
register_event("payout.paid", Category.PAYMENTS, always=True)
register_event("payout.failed", Category.PAYMENTS, always=True)
register_event("payout.flagged", Category.PAYMENTS, always=True)
