"""Wires settings, routes and consumers into the cheques app."""

from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from cheques.adapters.herberekening import laatste_herberekening
from cheques.config import PRESTATIES_CONSUMER, Settings
from cheques.entrypoints.routes import (
    afrekeningen,
    cheques,
    documenten,
    grootboek,
    periodes,
    signalen,
    tarieven,
    tellers,
    terugbetalingen,
    uitbetalingen,
    voorraad,
    webhooks,
)
from cheques.service_layer import terugdraaien, vervallen
from cheques.service_layer.consumenten import prestaties, referentie
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.dienstentoken import service_token
from wijkwerk.events import topics
from wijkwerk.http.app import Periodic, Runtime, create_service_app, make_consumer
from wijkwerk.messaging.archief import SCOPE as ARCHIEF_SCOPE
from wijkwerk.observability import record_recompute


def consumers(runtime: Runtime):
    return [
        make_consumer(runtime, "referentie", [topics.TOELEIDING], referentie.HANDLERS,
                      unit_of_work=ChequesUnitOfWork),
        # Money: a worker's prestaties are applied in their order, so a parked one halts
        # that worker's later events until an operator resolves it (`wijkwerk dlq`).
        make_consumer(runtime, PRESTATIES_CONSUMER, [runtime.settings.prestaties_topic],
                      prestaties.handlers(runtime.settings.signaal_drempels),
                      halt_per_key=True, unit_of_work=ChequesUnitOfWork),
    ]


async def draai_validaties_terug(runtime: Runtime) -> int:
    """Applies the reversal orders the prestaties consumer wrote (issue #6)."""
    return await terugdraaien.voer_uit(lambda: ChequesUnitOfWork(runtime.sessions))


async def laat_cheques_vervallen(runtime: Runtime) -> int:
    """The expiry job up to today (Brussels): which cheques are due is all the day decides,
    each fact is dated its cheque's own expiry day (issue #23 item 2)."""
    vandaag = datetime.now(ZoneInfo("Europe/Brussels")).date()
    return len(await vervallen.laat_vervallen(lambda: ChequesUnitOfWork(runtime.sessions), vandaag))


async def meet_herberekening(runtime: Runtime) -> None:
    """The last stored recompute's result as metrics, so a difference found by the daily
    job (another process) raises WijkwerkRecomputeDifference on every platform."""
    async with runtime.sessions() as session:
        laatste = await laatste_herberekening(session)
    if laatste is not None:
        record_recompute("cheques", laatste, finished_at=laatste["uitgevoerd_op"].timestamp())


def build_app(settings: Settings) -> FastAPI:
    app = create_service_app(
        name="cheques",
        settings=settings,
        routers=[
            tarieven.router, tarieven.rates, webhooks.router, terugbetalingen.vervallingen, cheques.router,
            terugbetalingen.router, terugbetalingen.aanvragen, uitbetalingen.router,
            uitbetalingen.bank, uitbetalingen.historiek,
            afrekeningen.router, grootboek.router, voorraad.router, tellers.router, periodes.router,
            documenten.router, signalen.router,
        ],
        consumers=consumers,
        periodic=[Periodic("draai-validaties-terug", settings.terugdraaien_interval_s, draai_validaties_terug),
                  Periodic("herberekening-meting", 60.0, meet_herberekening),
                  Periodic("cheques-vervallen", settings.vervallen_interval_s, laat_cheques_vervallen)],
        # Signed, and deduplicated by their delivery id in the same transaction as their effect.
        idempotency_exempt=("/v1/webhooks/",),
        title="Wijk-werken — cheques",
        description=(
            "Cheque issuing through the issuer's signed webhooks, the double-entry payout ledger in integer "
            "cents, monthly SEPA payouts, settlements per organiser and party, and a recompute that proves "
            "the ledger equals the event streams."
        ),
        openapi_tags=[
            {"name": "webhooks", "description": "Signed webhooks of the cheque issuer (HMAC, no bearer token)"},
            {"name": "cheques", "description": "Cheques and their lifecycle"},
            {"name": "tarieven", "description": "Effective-dated split rates"},
            {"name": "uitbetalingen", "description": "Monthly worker payouts and their SEPA files"},
            {"name": "afrekeningen", "description": "Monthly settlements per organiser and party"},
            {"name": "grootboek", "description": "The payout ledger and its recompute from the event streams"},
            {"name": "periodes", "description": "Monthly period close: frozen months, hash chain, reconciliation"},
            {"name": "signalen", "description": "Fraud and error flags held from payout until released or rejected"},
            {"name": "referentie", "description": "Reference data from other services"},
        ],
    )
    # One per app, so the client-credentials token is cached across payout runs.
    app.state.dienstentoken = service_token(
        settings.auth, subject="cheques", scopes=["cheques:payout", ARCHIEF_SCOPE])
    return app
