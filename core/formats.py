"""How figures read on every page, export and report: one rule each."""


def percent(value: float | None, digits: int = 1) -> str:
    """0.875 -> '87.5%'; None (nothing to divide by) -> '—'."""
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f}%"
