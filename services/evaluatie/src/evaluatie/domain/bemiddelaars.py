"""VDAB bemiddelaars at the organisers' disposal (DOMAIN O-2, PR-23, RPT-24).

O-2: VDAB staff per organiser is 0.2 FTE per *started* slice of 12,000 inhabitants above
the first 12,000 (100 FTE Flanders-wide, allocated by inhabitants). The three numbers are
settings; the caseload is workers per FTE actually made available.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from wijkwerk.fouten import OngeldigeInvoer

MAX_FTE = Decimal(1000)


@dataclass(frozen=True)
class O2Norm:
    fte_per_schijf: Decimal = Decimal("0.2")
    inwoners_per_schijf: int = 12_000
    drempel_inwoners: int = 12_000

    def fte(self, inwoners: int) -> Decimal:
        """The staff an area of ``inwoners`` is entitled to: 50,000 → 4 started slices
        above 12,000 → 0.8 FTE; 12,000 or fewer → 0."""
        boven = max(0, inwoners - self.drempel_inwoners)
        schijven = -(-boven // self.inwoners_per_schijf)  # started slices: ceiling
        return self.fte_per_schijf * schijven


def controleer_inzet(fte: Decimal, inwoners: int | None) -> None:
    if fte < 0 or fte > MAX_FTE:
        raise OngeldigeInvoer(f"FTE lies between 0 and {MAX_FTE}.", rule="fte-ongeldig")
    if fte.as_tuple().exponent < -2:  # type: ignore[operator]
        raise OngeldigeInvoer("FTE has at most two decimals.", rule="fte-ongeldig")
    if inwoners is not None and inwoners < 0:
        raise OngeldigeInvoer("Inhabitants cannot be negative.", rule="inwoners-ongeldig")


def per_fte(aantal: int, fte: Decimal | None) -> float | None:
    """Workers per FTE, one decimal; None when no FTE is known or it is zero."""
    if fte is None or fte == 0:
        return None
    return float((Decimal(aantal) / fte).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
