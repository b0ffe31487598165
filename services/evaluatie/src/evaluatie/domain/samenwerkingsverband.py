"""Reports per samenwerkingsverband (A-18): a samenwerkingsverband groups one or more
organisers, and its figures are the sums of theirs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

_ORGANISATOR = ("organisator_id", "naam", "samenwerkingsverband")


def per_samenwerkingsverband(rijen: Iterable[dict[str, Any]], sleutels: Sequence[str] = ("maand",)) -> list[dict[str, Any]]:
    """One row per samenwerkingsverband (and per ``sleutels``, e.g. the month): every number
    of its organisers' rows summed, and how many organisers it has rows for. Order: first
    appearance."""
    groepen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for rij in rijen:
        sleutel = (*(rij[s] for s in sleutels), rij["samenwerkingsverband"])
        som = groepen.setdefault(sleutel, {**{s: rij[s] for s in sleutels},
                                           "samenwerkingsverband": rij["samenwerkingsverband"], "organisatoren": 0})
        som["organisatoren"] += 1
        for veld, waarde in rij.items():
            if veld in sleutels or veld in _ORGANISATOR:
                continue
            if isinstance(waarde, int | Decimal) and not isinstance(waarde, bool):
                som[veld] = som.get(veld, 0) + waarde
    return list(groepen.values())
