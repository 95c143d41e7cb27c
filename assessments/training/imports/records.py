"""The fastest anyone has run each distance: an imported "run" faster than that is not a run.

Men's outdoor world records ratified by World Athletics (track to 10,000 m,
road for the half marathon and marathon). A file whose average speed beats the
record of the longest record distance it covers is refused: it is a ride, a
car journey or a GPS error, never the patient's run. Comparing with the record
of a *shorter* distance than the run is lenient on purpose (shorter records are
faster), so no real run is ever refused by rounding; beyond the marathon the
marathon's record speed stays the limit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Record:
    distance_m: int
    seconds: float
    holder: str

    @property
    def speed_m_s(self) -> float:
        return self.distance_m / self.seconds


# Shortest first.
WORLD_RECORDS: tuple[Record, ...] = (
    Record(100, 9.58, "Usain Bolt, Berlin 2009"),
    Record(200, 19.19, "Usain Bolt, Berlin 2009"),
    Record(400, 43.03, "Wayde van Niekerk, Rio de Janeiro 2016"),
    Record(800, 100.91, "David Rudisha, London 2012"),
    Record(1000, 131.96, "Noah Ngeny, Rieti 1999"),
    Record(1500, 206.00, "Hicham El Guerrouj, Rome 1998"),
    Record(1609, 223.13, "Hicham El Guerrouj, Rome 1999 (the mile)"),
    Record(3000, 437.55, "Jakob Ingebrigtsen, Warsaw 2024"),
    Record(5000, 755.36, "Joshua Cheptegei, Monaco 2020"),
    Record(10000, 1571.00, "Joshua Cheptegei, Valencia 2020"),
    Record(21097, 3402.0, "Jacob Kiplimo, Barcelona 2025 (half marathon)"),
    Record(42195, 7235.0, "Kelvin Kiptum, Chicago 2023 (marathon)"),
)


def record_for(distance_m: int) -> Record:
    """The record of the longest record distance not above `distance_m` (the 100 m one below it)."""
    best = WORLD_RECORDS[0]
    for record in WORLD_RECORDS:
        if record.distance_m <= distance_m:
            best = record
    return best


def faster_than_world_record(*, distance_m: int, duration_s: int) -> bool:
    """Whether covering `distance_m` in `duration_s` would beat the world record for that distance."""
    if distance_m <= 0 or duration_s <= 0:
        return False
    return distance_m / duration_s > record_for(distance_m).speed_m_s
