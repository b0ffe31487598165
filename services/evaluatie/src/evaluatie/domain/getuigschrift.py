"""The work-experience certificate (issue #23 item 5): what it states, as of a business
date, and the exact bytes the platform signs.

A certificate "as of D" holds only facts dated on or before D: the worker's prestaties
(not cancelled) per activity with their period and started hours, and the evaluations'
dates and outcomes. It states the name as the organiser had it printed and nothing else
about the person (no INSZ, no address, no pseudonymous id): the public verification page
shows exactly these facts, so a reader of the QR code learns nothing more than the paper."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from wijkwerk.fouten import Conflict, OngeldigeInvoer

GELDIG, ONGELDIG, INGETROKKEN = "geldig", "ongeldig", "ingetrokken"


@dataclass(frozen=True)
class Activiteitsuren:
    activiteit: str
    van: date
    tot: date
    uren: int


@dataclass(frozen=True)
class Evaluatiefeit:
    datum: date
    uitkomst: str


@dataclass(frozen=True)
class Verklaring:
    """What the certificate states; :meth:`als_json` is what is signed and shown."""

    getuigschrift_id: uuid.UUID
    naam: str
    organisator: str
    op: date
    activiteiten: tuple[Activiteitsuren, ...]
    evaluaties: tuple[Evaluatiefeit, ...]

    @property
    def uren(self) -> int:
        return sum(a.uren for a in self.activiteiten)

    @property
    def van(self) -> date | None:
        return min((a.van for a in self.activiteiten), default=None)

    @property
    def tot(self) -> date | None:
        return max((a.tot for a in self.activiteiten), default=None)

    def als_json(self) -> dict[str, Any]:
        return {
            "getuigschrift_id": str(self.getuigschrift_id),
            "naam": self.naam,
            "organisator": self.organisator,
            "op": self.op.isoformat(),
            "periode": {"van": self.van.isoformat() if self.van else None,
                        "tot": self.tot.isoformat() if self.tot else None},
            "uren": self.uren,
            "activiteiten": [{"activiteit": a.activiteit, "van": a.van.isoformat(), "tot": a.tot.isoformat(),
                              "uren": a.uren} for a in self.activiteiten],
            "evaluaties": [{"datum": e.datum.isoformat(), "uitkomst": e.uitkomst} for e in self.evaluaties],
        }

    @classmethod
    def uit_json(cls, data: dict[str, Any]) -> Verklaring:
        return cls(
            getuigschrift_id=uuid.UUID(data["getuigschrift_id"]), naam=data["naam"], organisator=data["organisator"],
            op=date.fromisoformat(data["op"]),
            activiteiten=tuple(Activiteitsuren(a["activiteit"], date.fromisoformat(a["van"]),
                                               date.fromisoformat(a["tot"]), int(a["uren"]))
                               for a in data["activiteiten"]),
            evaluaties=tuple(Evaluatiefeit(date.fromisoformat(e["datum"]), e["uitkomst"]) for e in data["evaluaties"]),
        )


def canoniek(data: dict[str, Any]) -> bytes:
    """The signed bytes: sorted keys, no whitespace, UTF-8 (RFC 8785-like for these values:
    strings, integers and ISO dates only)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def bouw(getuigschrift_id: uuid.UUID, naam: str, organisator: str, op: date, vandaag: date,
         prestaties: list[tuple[str, date, int]], evaluaties: list[tuple[date, str]]) -> Verklaring:
    """The statement from the worker's prestaties (activity, date, started hours) and
    evaluations (date, outcome); facts after ``op`` are left out whatever the caller gave."""
    if op > vandaag:
        raise OngeldigeInvoer(f"A certificate as of {op} cannot be issued on {vandaag}: that day has not come.",
                              rule="getuigschrift-in-de-toekomst")
    per: dict[str, list[tuple[date, int]]] = {}
    for activiteit, datum, uren in prestaties:
        if datum <= op and uren > 0:
            per.setdefault(activiteit, []).append((datum, uren))
    if not per:
        raise Conflict(f"The worker has no accepted prestatie on or before {op}: nothing to certify.",
                       rule="getuigschrift-zonder-prestaties")
    activiteiten = tuple(
        Activiteitsuren(activiteit, min(d for d, _ in rijen), max(d for d, _ in rijen), sum(u for _, u in rijen))
        for activiteit, rijen in sorted(per.items()))
    feiten = tuple(Evaluatiefeit(d, u) for d, u in sorted(evaluaties) if d <= op)
    return Verklaring(getuigschrift_id, naam, organisator, op, activiteiten, feiten)


def status(ingetrokken_op: date | None, handtekening_klopt: bool) -> str:
    if not handtekening_klopt:
        return ONGELDIG
    return INGETROKKEN if ingetrokken_op is not None else GELDIG
