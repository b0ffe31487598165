"""Subscriptions, deliveries and delivery attempts of outbound webhooks (ADR 0018)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Uuid, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, TEXT
from sqlalchemy.ext.asyncio import AsyncSession

from evaluatie.domain.webhooks import Eigenaar

_ABONNEMENT = ("id, url, types, organisator_id, aangemaakt_om, opgezegd_om, "
               "vorig_geldig_tot")
_LEVERING = ("id, event_id, type, status, pogingen, volgende_poging, laatste_http_status, laatste_fout, "
             "aangemaakt_om, laatste_poging_om, geleverd_om")


@dataclass(frozen=True)
class TeLeveren:
    id: uuid.UUID
    abonnement_id: uuid.UUID
    body: bytes
    pogingen: int
    ronde_pogingen: int
    url: str
    geheimen: tuple[str, ...]


class Abonnementen:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def nieuw(self, id: uuid.UUID, eigenaar: Eigenaar, door: str, url: str, types: list[str],
                    organisator_id: str | None, geheim: str) -> None:
        await self.session.execute(
            text("INSERT INTO abonnementen (id, eigenaar_type, eigenaar_org, aangemaakt_door, url, types, "
                 "organisator_id, geheim) VALUES (:id, :t, :o, :door, :url, :types, :org, :geheim)")
            .bindparams(bindparam("types", type_=ARRAY(TEXT))),
            {"id": id, "t": eigenaar.type, "o": eigenaar.org, "door": door, "url": url, "types": types,
             "org": organisator_id, "geheim": geheim},
        )

    async def lijst(self, eigenaar: Eigenaar) -> list:
        rows = await self.session.execute(
            text(f"SELECT {_ABONNEMENT} FROM abonnementen WHERE eigenaar_type = :t AND eigenaar_org = :o "
                 "AND opgezegd_om IS NULL ORDER BY aangemaakt_om, id"),
            {"t": eigenaar.type, "o": eigenaar.org},
        )
        return list(rows)

    async def get(self, id: uuid.UUID, eigenaar: Eigenaar):
        row = await self.session.execute(
            text(f"SELECT {_ABONNEMENT} FROM abonnementen WHERE id = :id AND eigenaar_type = :t "
                 "AND eigenaar_org = :o AND opgezegd_om IS NULL"),
            {"id": id, "t": eigenaar.type, "o": eigenaar.org},
        )
        return row.first()

    async def zeg_op(self, id: uuid.UUID) -> None:
        await self.session.execute(text("UPDATE abonnementen SET opgezegd_om = now() WHERE id = :id"), {"id": id})
        # nothing more is sent for an ended subscription; its pending deliveries close
        await self.session.execute(
            text("UPDATE leveringen SET status = 'mislukt', laatste_fout = 'abonnement opgezegd' "
                 "WHERE abonnement_id = :id AND status = 'wachtend'"), {"id": id})

    async def roteer(self, id: uuid.UUID, geheim: str, overlap_s: float) -> datetime:
        return await self.session.scalar(
            text("UPDATE abonnementen SET vorig_geheim = geheim, geheim = :g, "
                 "vorig_geldig_tot = now() + make_interval(secs => :s) WHERE id = :id RETURNING vorig_geldig_tot"),
            {"id": id, "g": geheim, "s": overlap_s},
        )

    async def maak_leveringen(self, type_: str, organisator_id: uuid.UUID | None, event_id: uuid.UUID,
                              body: bytes) -> int:
        """One delivery per active subscription to ``type_`` that sees the event's organiser
        (an event without one reaches only subscriptions for every organiser); a re-read
        event adds none (unique per subscription and event)."""
        result = await self.session.execute(
            text("INSERT INTO leveringen (id, abonnement_id, event_id, type, body) "
                 "SELECT gen_random_uuid(), a.id, :event_id, :type, :body FROM abonnementen a "
                 "WHERE a.opgezegd_om IS NULL AND :type = ANY (a.types) "
                 "AND (a.organisator_id IS NULL OR a.organisator_id = :org) "
                 "ON CONFLICT (abonnement_id, event_id) DO NOTHING"),
            {"event_id": event_id, "type": type_, "body": body, "org": organisator_id},
        )
        return cast(CursorResult[Any], result).rowcount

    async def leveringen(self, abonnement_id: uuid.UUID, status: str | None, limit: int, offset: int) -> list:
        rows = await self.session.execute(
            text(f"SELECT {_LEVERING} FROM leveringen WHERE abonnement_id = :a "
                 "AND (CAST(:s AS text) IS NULL OR status = :s) "
                 "ORDER BY aangemaakt_om DESC, id LIMIT :limit OFFSET :offset"),
            {"a": abonnement_id, "s": status, "limit": limit, "offset": offset},
        )
        return list(rows)

    async def pogingen(self, levering_ids: list[uuid.UUID]) -> dict[uuid.UUID, list]:
        rows = await self.session.execute(
            text("SELECT levering_id, poging, om, http_status, fout, wacht_s FROM leveringspogingen "
                 "WHERE levering_id = ANY (:ids) ORDER BY levering_id, poging")
            .bindparams(bindparam("ids", type_=ARRAY(Uuid))),
            {"ids": levering_ids},
        )
        per: dict[uuid.UUID, list] = {}
        for r in rows:
            per.setdefault(r.levering_id, []).append(r)
        return per

    async def opnieuw(self, abonnement_id: uuid.UUID, levering_id: uuid.UUID):
        """Send a delivery again (the same webhook-id), now, with a fresh round of attempts."""
        row = await self.session.execute(
            text(f"UPDATE leveringen SET status = 'wachtend', ronde_pogingen = 0, volgende_poging = now() "
                 f"WHERE id = :id AND abonnement_id = :a RETURNING {_LEVERING}"),
            {"id": levering_id, "a": abonnement_id},
        )
        return row.first()


class Bezorging:
    """The delivery worker's reads and writes; each call is its own short transaction, so
    no row lock is held while a request is in flight."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, aantal: int, lease_s: float) -> list[TeLeveren]:
        """Up to ``aantal`` due deliveries, leased: their next attempt moves ``lease_s`` on, so
        another replica skips them (SKIP LOCKED now, the lease after the commit) and a worker
        that dies mid-request leaves them due again once the lease ends (at least once)."""
        rows = await self.session.execute(
            text("WITH te_doen AS ("
                 "  SELECT l.id FROM leveringen l JOIN abonnementen a ON a.id = l.abonnement_id"
                 "  WHERE l.status = 'wachtend' AND l.volgende_poging <= now() AND a.opgezegd_om IS NULL"
                 "  ORDER BY l.volgende_poging LIMIT :n FOR UPDATE OF l SKIP LOCKED) "
                 "UPDATE leveringen l SET volgende_poging = now() + make_interval(secs => :lease) "
                 "FROM te_doen, abonnementen a WHERE l.id = te_doen.id AND a.id = l.abonnement_id "
                 "RETURNING l.id, l.abonnement_id, l.body, l.pogingen, l.ronde_pogingen, a.url, a.geheim, "
                 "CASE WHEN a.vorig_geldig_tot > now() THEN a.vorig_geheim END AS vorig_geheim"),
            {"n": aantal, "lease": lease_s},
        )
        return [
            TeLeveren(r.id, r.abonnement_id, bytes(r.body), r.pogingen, r.ronde_pogingen, r.url,
                      tuple(g for g in (r.geheim, r.vorig_geheim) if g))
            for r in rows
        ]

    async def geleverd(self, levering: TeLeveren, http_status: int) -> None:
        poging = await self.session.scalar(
            text("UPDATE leveringen SET status = 'geleverd', pogingen = pogingen + 1, "
                 "ronde_pogingen = ronde_pogingen + 1, laatste_http_status = :h, laatste_fout = NULL, "
                 "laatste_poging_om = clock_timestamp(), geleverd_om = clock_timestamp() WHERE id = :id "
                 "RETURNING pogingen"),
            {"id": levering.id, "h": http_status},
        )
        await self._poging(levering, poging, http_status, None, None)

    async def mislukt(self, levering: TeLeveren, http_status: int | None, fout: str, wacht_s: float | None) -> None:
        """A failed attempt: the next after ``wacht_s``, or none (``None``: ``mislukt``)."""
        poging = await self.session.scalar(
            text("UPDATE leveringen SET pogingen = pogingen + 1, ronde_pogingen = ronde_pogingen + 1, "
                 "laatste_http_status = :h, laatste_fout = :f, laatste_poging_om = clock_timestamp(), "
                 "status = CASE WHEN CAST(:w AS float8) IS NULL THEN 'mislukt' ELSE 'wachtend' END, "
                 "volgende_poging = clock_timestamp() + make_interval(secs => coalesce(CAST(:w AS float8), 0)) "
                 "WHERE id = :id RETURNING pogingen"),
            {"id": levering.id, "h": http_status, "f": fout[:500], "w": wacht_s},
        )
        await self._poging(levering, poging, http_status, fout, wacht_s)

    async def _poging(self, levering: TeLeveren, poging: int | None, http_status: int | None, fout: str | None,
                      wacht_s: float | None) -> None:
        # numbered by the row's counter, taken under its row lock: two workers whose leases
        # overlapped (at least once) number their attempts apart
        await self.session.execute(
            text("INSERT INTO leveringspogingen (levering_id, poging, om, http_status, fout, wacht_s) "
                 "VALUES (:id, :p, clock_timestamp(), :h, :f, :w)"),
            {"id": levering.id, "p": poging, "h": http_status, "f": fout and fout[:500], "w": wacht_s},
        )

    async def ruim_op(self, bewaar_dagen: int, aantal: int) -> int:
        """Deletes up to ``aantal`` finished deliveries (delivered or given up) created more
        than ``bewaar_dagen`` ago, with their attempts; the number deleted. A pending delivery
        is never deleted, however old. The attempts are append-only for this role: the
        database function does it with the owner's rights (migration 2026_12_06_h_bewaren_1).
        SKIP LOCKED: replicas clean up side by side."""
        return int(await self.session.scalar(text("SELECT wijkwerk_leveringen_opruimen(:d, :n)"),
                                             {"d": bewaar_dagen, "n": aantal}) or 0)

    async def oudste_wachtend_s(self) -> float:
        return float(await self.session.scalar(text(
            "SELECT coalesce(extract(epoch FROM now() - min(aangemaakt_om)), 0) FROM leveringen "
            "WHERE status = 'wachtend'")) or 0)


async def stand(session: AsyncSession, organisator_id: uuid.UUID | None) -> dict[str, float]:
    """Outbound deliveries now, for the dashboard: subscriptions, deliveries pending and given up
    (every one still in the log), delivered in the last 24 h, and the oldest pending one's age
    in seconds; an organiser's page counts the subscriptions limited to it only."""
    row = (await session.execute(text(
        "SELECT (SELECT count(*) FROM abonnementen a WHERE a.opgezegd_om IS NULL AND (CAST(:org AS uuid) IS NULL "
        "        OR a.organisator_id = CAST(:org AS uuid))) AS abonnementen, "
        "  count(*) FILTER (WHERE l.status = 'wachtend') AS wachtend, "
        "  count(*) FILTER (WHERE l.status = 'mislukt') AS mislukt, "
        "  count(*) FILTER (WHERE l.status = 'geleverd' AND l.aangemaakt_om > now() - interval '1 day') AS geleverd_24u, "
        "  coalesce(extract(epoch FROM now() - min(l.aangemaakt_om) FILTER (WHERE l.status = 'wachtend')), 0) "
        "    AS oudste_wachtend_s "
        "FROM leveringen l JOIN abonnementen a ON a.id = l.abonnement_id "
        "WHERE (CAST(:org AS uuid) IS NULL OR a.organisator_id = CAST(:org AS uuid)) "
        "  AND (l.status <> 'geleverd' OR l.aangemaakt_om > now() - interval '1 day')"),
        {"org": organisator_id})).one()
    return {k: float(v or 0) for k, v in row._mapping.items()}
