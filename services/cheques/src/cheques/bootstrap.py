"""Wires settings, routes and consumers into the cheques app."""

from fastapi import FastAPI

from cheques.config import Settings
from cheques.entrypoints.routes import tarieven
from cheques.service_layer import referentie
from wijkwerk.events import topics
from wijkwerk.http.app import Runtime, create_service_app, make_consumer


def consumers(runtime: Runtime):
    return [make_consumer(runtime, "referentie", [topics.TOELEIDING], referentie.HANDLERS)]


def build_app(settings: Settings) -> FastAPI:
    return create_service_app(
        name="cheques",
        settings=settings,
        routers=[tarieven.router],
        consumers=consumers,
        title="Wijk-werken — cheques",
        description="Cheque issuing, issuer webhooks, the double-entry payout ledger, SEPA payouts and settlements.",
    )
