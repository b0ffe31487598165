"""Certificates in PostgreSQL, and the read models a certificate is built from: the worker's
dossier (its organiser), prestaties (activity, date, started hours) and evaluations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class Opgeslagen:
    id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    op: date
    inhoud: str  # the statement's canonical JSON, exactly as signed
    handtekening: str
    sleutel_id: str
    ingetrokken_op: date | None = None
    ingetrokken_reden: str | None = None


_KOLOMMEN = "id, wijkwerker_id, organisator_id, op, inhoud, handtekening, sleutel_id, ingetrokken_op, ingetrokken_reden"


class Getuigschriften:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def organisator_van(self, wijkwerker_id: uuid.UUID) -> tuple[uuid.UUID, str] | None:
        """The worker's organiser (its dossier's) and its name."""
        rij = (await self.session.execute(text(
            "SELECT d.organisator_id, coalesce(o.naam, CAST(d.organisator_id AS text)) AS naam FROM rm_dossiers d "
            "LEFT JOIN rm_organisatoren o ON o.id = d.organisator_id WHERE d.wijkwerker_id = :w"),
            {"w": wijkwerker_id})).first()
        return None if rij is None else (rij.organisator_id, rij.naam)

    async def prestaties(self, wijkwerker_id: uuid.UUID, op: date) -> list[tuple[str, date, int]]:
        rijen = await self.session.execute(text(
            "SELECT activiteit_categorie, datum, begonnen_uren FROM rm_prestaties "
            "WHERE wijkwerker_id = :w AND NOT geannuleerd AND datum <= :op ORDER BY datum"),
            {"w": wijkwerker_id, "op": op})
        return [(r.activiteit_categorie, r.datum, int(r.begonnen_uren)) for r in rijen]

    async def evaluaties(self, wijkwerker_id: uuid.UUID, op: date) -> list[tuple[date, str]]:
        rijen = await self.session.execute(text(
            "SELECT datum, uitkomst FROM evaluaties WHERE wijkwerker_id = :w AND datum <= :op ORDER BY datum"),
            {"w": wijkwerker_id, "op": op})
        return [(r.datum, r.uitkomst) for r in rijen]

    async def voeg_toe(self, g: Opgeslagen, door: str) -> None:
        await self.session.execute(text(
            "INSERT INTO getuigschriften (id, wijkwerker_id, organisator_id, op, inhoud, handtekening, sleutel_id, "
            "uitgegeven_door) VALUES (:id, :w, :o, :op, :inhoud, :h, :k, :door)"),
            {"id": g.id, "w": g.wijkwerker_id, "o": g.organisator_id, "op": g.op, "inhoud": g.inhoud,
             "h": g.handtekening, "k": g.sleutel_id, "door": door})

    async def get(self, getuigschrift_id: uuid.UUID) -> Opgeslagen | None:
        rij = (await self.session.execute(text(f"SELECT {_KOLOMMEN} FROM getuigschriften WHERE id = :id"),
                                          {"id": getuigschrift_id})).first()
        return None if rij is None else Opgeslagen(*rij)

    async def van_wijkwerker(self, wijkwerker_id: uuid.UUID) -> list[Opgeslagen]:
        rijen = await self.session.execute(text(
            f"SELECT {_KOLOMMEN} FROM getuigschriften WHERE wijkwerker_id = :w ORDER BY uitgegeven_om, id"),
            {"w": wijkwerker_id})
        return [Opgeslagen(*r) for r in rijen]

    async def trek_in(self, getuigschrift_id: uuid.UUID, op: date, reden: str, door: str) -> None:
        await self.session.execute(text(
            "UPDATE getuigschriften SET ingetrokken_op = :op, ingetrokken_reden = :reden, ingetrokken_door = :door "
            "WHERE id = :id AND ingetrokken_op IS NULL"),
            {"id": getuigschrift_id, "op": op, "reden": reden, "door": door})
