def format_inr(paise: int | None) -> str:
    """12345678 paise -> '₹1,23,456.78' (Indian digit grouping)."""
    if paise is None:
        return ""
    sign = "-" if paise < 0 else ""
    rupees, cents = divmod(abs(int(paise)), 100)
    digits = str(rupees)
    if len(digits) > 3:
        head, tail = digits[:-3], digits[-3:]
        groups = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        if head:
            groups.insert(0, head)
        digits = ",".join(groups) + "," + tail
    return f"{sign}₹{digits}.{cents:02d}"
