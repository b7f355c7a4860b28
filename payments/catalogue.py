from notifications.catalogue import Category, register_event

register_event("payment.received", Category.PAYMENTS, always=True)
register_event("payment.failed", Category.PAYMENTS, always=True)
register_event("refund.processed", Category.PAYMENTS, always=True)
register_event("refund.flagged", Category.PAYMENTS, always=True)
