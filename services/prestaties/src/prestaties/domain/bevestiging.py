"""The confirmation window (issue #23 item 3): the other party confirms or disputes a
prestatie within N working days of its registration (or last correction); silence
confirms it on the deadline, a dated fact; a reminder is due M working days before.

Working days are Monday to Friday, less the configured public holidays (the repository
keeps no holiday calendar of its own: ``PRESTATIES_FEESTDAGEN``). The rule is an
effective-dated setting, read on the day the window opens."""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from prestaties.domain.tarieven import geldig_op


class Uitkomst(enum.StrEnum):
    """How the organiser (or central ops) resolved a dispute."""

    GEHANDHAAFD = "gehandhaafd"  # the prestatie stands as registered: payable
    AFGEWEZEN = "afgewezen"  # the dispute was right: the prestatie is reversed (cancelled)


def is_werkdag(dag: date, feestdagen: Collection[date] = ()) -> bool:
    return dag.weekday() < 5 and dag not in feestdagen


def werkdagen_na(start: date, n: int, feestdagen: Collection[date] = ()) -> date:
    """The n-th working day after ``start`` (``start`` itself does not count); n = 0 is
    ``start``."""
    if n < 0:
        raise ValueError("n must not be negative")
    dag = start
    while n > 0:
        dag += timedelta(days=1)
        if is_werkdag(dag, feestdagen):
            n -= 1
    return dag


def werkdagen_voor(einde: date, n: int, feestdagen: Collection[date] = ()) -> date:
    """The n-th working day before ``einde`` (``einde`` itself does not count)."""
    if n < 0:
        raise ValueError("n must not be negative")
    dag = einde
    while n > 0:
        dag -= timedelta(days=1)
        if is_werkdag(dag, feestdagen):
            n -= 1
    return dag


@dataclass(frozen=True)
class TermijnRegel:
    """From ``vanaf``: the other party has ``werkdagen`` working days; a reminder is due
    ``herinnering_werkdagen`` working days before the deadline."""

    vanaf: date
    werkdagen: int = 5
    herinnering_werkdagen: int = 1

    def __post_init__(self) -> None:
        if self.werkdagen < 1 or not 0 <= self.herinnering_werkdagen < self.werkdagen:
            raise ValueError("a window has at least one working day, and its reminder falls inside it")


@dataclass(frozen=True)
class Termijn:
    """One window: opened on ``vanaf``; the last day to answer is ``tot`` (inclusive);
    the reminder's date ``herinnering_op``."""

    vanaf: date
    tot: date
    herinnering_op: date


def open_termijn(vanaf: date, regels: Sequence[TermijnRegel], feestdagen: Collection[date] = ()) -> Termijn:
    regel = geldig_op(regels, vanaf, wat="confirmation window rule")
    tot = werkdagen_na(vanaf, regel.werkdagen, feestdagen)
    return Termijn(vanaf=vanaf, tot=tot, herinnering_op=werkdagen_voor(tot, regel.herinnering_werkdagen, feestdagen))


__all__ = ["Termijn", "TermijnRegel", "Uitkomst", "is_werkdag", "open_termijn", "werkdagen_na", "werkdagen_voor"]
