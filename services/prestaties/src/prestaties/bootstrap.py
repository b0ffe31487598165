"""Wires settings, routes and consumers into the prestaties app."""

from fastapi import FastAPI

from prestaties.config import Settings
from prestaties.entrypoints.routes import organisatoren
from prestaties.service_layer import referentie
from wijkwerk.events import topics
from wijkwerk.http.app import Runtime, create_service_app, make_consumer


def consumers(runtime: Runtime):
    return [make_consumer(runtime, "referentie", [topics.TOELEIDING], referentie.HANDLERS)]


def build_app(settings: Settings) -> FastAPI:
    return create_service_app(
        name="prestaties",
        settings=settings,
        routers=[organisatoren.router],
        consumers=consumers,
        title="Wijk-werken — prestaties",
        description="Hour registration: gebruikers, erkenningen, activities, placements and prestaties.",
    )
