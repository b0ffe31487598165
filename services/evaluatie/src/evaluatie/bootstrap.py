"""Wires settings, routes and consumers into the evaluatie app."""

from fastapi import FastAPI

from evaluatie.config import Settings
from evaluatie.entrypoints import dashboard
from evaluatie.entrypoints.routes import bemiddelaars, evaluaties, maandrapporten, nazorg, opvolging, rapporten
from evaluatie.service_layer import projecties
from wijkwerk.events import topics
from wijkwerk.http.app import Runtime, create_service_app, make_consumer


def consumers(runtime: Runtime):
    return [make_consumer(runtime, "rapportering", [topics.TOELEIDING, topics.PRESTATIES, topics.CHEQUES], projecties.HANDLERS)]


def build_app(settings: Settings) -> FastAPI:
    return create_service_app(
        name="evaluatie",
        settings=settings,
        routers=[evaluaties.router, opvolging.router, bemiddelaars.router, rapporten.router, maandrapporten.router, nazorg.router,
                 bemiddelaars.rapport, dashboard.router],
        consumers=consumers,
        title="Wijk-werken — evaluatie",
        description="Evaluations, outflow monitoring, the reports the Flemish parliament asks for, and the ops dashboard.",
    )
