"""The principal behind a change travels with it (issue #18): a command's actor stamps the
events it emits and queues their audit rows; a consumed event's actor stamps the events it
causes, without a second audit row; an envelope without one reads as before."""

from __future__ import annotations

import asyncio
import uuid

from wijkwerk.actor import huidige_actor, zet_actor
from wijkwerk.db.ruw import draag_verbinding
from wijkwerk.db.uow import _INSERT_AUDIT_EN_OUTBOX, UnitOfWork
from wijkwerk.events import Actor, Envelope
from wijkwerk.events.toeleiding import OrganisatorGeregistreerd
from wijkwerk.messaging.consumer import Received, dispatch

MEDEWERKER = Actor(subject="medewerker-1", org=None, org_type="vdab")


def _organisator() -> OrganisatorGeregistreerd:
    return OrganisatorGeregistreerd(organisator_id=uuid.uuid4(), naam="O", samenwerkingsverband="S", gemeenten=())


def test_a_command_stamps_its_events_and_queues_one_audit_row_each() -> None:
    async def run() -> tuple[UnitOfWork, Envelope]:
        zet_actor(MEDEWERKER, rechtstreeks=True)
        uow = UnitOfWork.joined(None)  # type: ignore[arg-type]  # emit touches no session
        return uow, uow.emit(_organisator())

    uow, envelope = asyncio.run(run())
    assert envelope.actor == MEDEWERKER
    assert Envelope.from_bytes(envelope.to_bytes()).actor == MEDEWERKER
    [rij] = uow._audit  # noqa: SLF001
    assert (rij["soort"], rij["handeling"], rij["subject"], rij["event_id"]) == (
        "wijziging", "OrganisatorGeregistreerd", "medewerker-1", envelope.event_id)


def test_a_consumed_events_actor_carries_on_to_the_events_it_causes_without_an_audit_row() -> None:
    oorzaak = Envelope.wrap(_organisator(), producer="toeleiding", actor=MEDEWERKER)
    gevolgen: list[tuple[Envelope, list]] = []

    async def handler(session, event, envelope) -> None:
        uow = UnitOfWork.joined(session, causation_id=str(envelope.event_id))
        gevolgen.append((uow.emit(_organisator()), uow._audit))  # noqa: SLF001

    async def run() -> None:
        await dispatch({OrganisatorGeregistreerd: handler})(
            None, [Received(oorzaak, _organisator(), None)])  # type: ignore[arg-type]
        assert huidige_actor() is None  # nothing leaks to what the task does next

    asyncio.run(run())
    [(gevolg, audit_rijen)] = gevolgen
    assert (gevolg.actor, gevolg.causation_id, audit_rijen) == (MEDEWERKER, str(oorzaak.event_id), [])


def test_an_envelope_without_an_actor_is_written_exactly_as_before() -> None:
    envelope = Envelope.wrap(_organisator(), producer="toeleiding")
    assert b'"actor"' not in envelope.to_bytes()
    assert Envelope.from_bytes(envelope.to_bytes()) == envelope


class _Sessie:
    """Records what a unit of work writes (a hand-written fake of the session; the audit and
    outbox rows go out as raw asyncpg, on the connection it carries)."""

    def __init__(self) -> None:
        self.geschreven: list[tuple[str, dict]] = []
        self.info: dict = {}
        draag_verbinding(self, self)  # type: ignore[arg-type]

    async def execute(self, sql: str, *args: object) -> None:
        self.geschreven.append((sql, dict(zip(_INSERT_AUDIT_EN_OUTBOX.namen, args, strict=True))))


def test_a_requests_change_without_events_is_recorded_under_the_requests_name() -> None:
    async def run() -> _Sessie:
        sessie = _Sessie()
        zet_actor(MEDEWERKER, rechtstreeks=True, verzoek="PUT /v1/organisatoren/{organisator_id}/iets")
        uow = UnitOfWork.joined(sessie)  # type: ignore[arg-type]
        await uow.commit()
        zet_actor(MEDEWERKER, rechtstreeks=False)  # a consumed event that causes nothing: no row
        await UnitOfWork.joined(sessie).commit()  # type: ignore[arg-type]
        return sessie

    [(statement, rijen)] = asyncio.run(run()).geschreven  # audit and outbox rows in one statement
    assert "INSERT INTO audit" in statement
    assert (rijen["a_handeling"], rijen["a_subject"], rijen["a_event_id"], rijen["o_event_id"]) == (
        ["PUT /v1/organisatoren/{organisator_id}/iets"], ["medewerker-1"], [None], [])
