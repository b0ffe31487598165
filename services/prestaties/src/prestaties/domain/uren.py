"""Started hours and the hour caps (H-1, H-2, H-4, A-01, A-02)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import time

from wijkwerk.fouten import OngeldigeInvoer

MINUTEN_PER_DAG = 24 * 60


def begonnen_uren(minuten: int) -> int:
    """A-01: each started hour counts as a full hour and a cheque: 2h10 → 3, 0h30 → 1."""
    return math.ceil(minuten / 60)


def controleer_duur(start: time, minuten: int) -> None:
    """A prestatie is one continuous, positive block within one day (A-01)."""
    if minuten <= 0:
        raise OngeldigeInvoer("A prestatie lasts a positive number of minutes.", rule="duur-niet-positief")
    if start.hour * 60 + start.minute + minuten > MINUTEN_PER_DAG:
        raise OngeldigeInvoer("A prestatie ends on the day it starts.", rule="niet-binnen-een-dag")


@dataclass(frozen=True)
class Plafonds:
    """PR-12: settings (per scheme, PR-25), in started hours."""

    per_maand: int = 60
    per_jaar: int = 630

    def over(self, stand: UrenStand) -> UrenStand:
        """The hours the caps still leave."""
        return UrenStand(max(0, self.per_maand - stand.maand), max(0, self.per_jaar - stand.jaar))


@dataclass(frozen=True)
class UrenStand:
    """Started hours of the worker's prestaties that count (not cancelled), over all
    gebruikers and organisers, in the calendar month and year of a date (A-02)."""

    maand: int
    jaar: int

    def zonder(self, uren: int) -> UrenStand:
        return UrenStand(self.maand - uren, self.jaar - uren)


def controleer_maandplafond(uren: int, stand: UrenStand, plafonds: Plafonds) -> None:
    """A-02: a prestatie that would take the month's total over the cap is rejected whole;
    the problem document carries the figures a partner needs (hours used, asked and left,
    and the cap). The rule names are stable API names, whatever the configured cap."""
    over = plafonds.over(stand)
    if uren > over.maand:
        raise OngeldigeInvoer(
            f"At most {plafonds.per_maand} started hours per calendar month; {stand.maand} used, {uren} asked, "
            f"{over.maand} left.",
            rule="max-60-uur-per-maand",
            uren_gebruikt=stand.maand, uren_gevraagd=uren, uren_over=over.maand, plafond=plafonds.per_maand,
        )


def controleer_jaarplafond(uren: int, stand: UrenStand, plafonds: Plafonds) -> None:
    over = plafonds.over(stand)
    if uren > over.jaar:
        raise OngeldigeInvoer(
            f"At most {plafonds.per_jaar} started hours per calendar year; {stand.jaar} used, {uren} asked, "
            f"{over.jaar} left.",
            rule="max-630-uur-per-jaar",
            uren_gebruikt=stand.jaar, uren_gevraagd=uren, uren_over=over.jaar, plafond=plafonds.per_jaar,
        )


def controleer_plafonds(uren: int, stand: UrenStand, plafonds: Plafonds) -> None:
    controleer_maandplafond(uren, stand, plafonds)
    controleer_jaarplafond(uren, stand, plafonds)
