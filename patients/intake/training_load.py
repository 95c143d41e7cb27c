"""Running-load rules from the intake (domain.md §1, §8.3); pure, no database.

The patient gives their weekly distance now and 4–6 weeks ago. The derived
% change flags a rise of more than 10 % (domain.md §1: "derived % change flags
a rise over 10 %"), the seeds' 10 % rule.
"""

from decimal import ROUND_HALF_UP, Decimal

LOAD_SPIKE_PCT = Decimal(10)


def weekly_distance_change_pct(*, now_km: Decimal | None, earlier_km: Decimal | None) -> Decimal | None:
    """(now − earlier) ÷ earlier × 100 to 1 dp; None when unknown or earlier is 0."""
    if now_km is None or earlier_km is None or earlier_km == 0:
        return None
    if now_km < 0 or earlier_km < 0:
        raise ValueError("Distances cannot be negative.")
    change = (Decimal(now_km) - Decimal(earlier_km)) / Decimal(earlier_km) * 100
    return change.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_load_spike(*, now_km: Decimal | None, earlier_km: Decimal | None) -> bool:
    """A rise of more than 10 %, or any running after none (return from a break)."""
    if now_km is None or earlier_km is None:
        return False
    if earlier_km == 0:
        return now_km > 0
    # The exact change, not the 1 dp display value.
    return (Decimal(now_km) - Decimal(earlier_km)) * 100 > LOAD_SPIKE_PCT * Decimal(earlier_km)
