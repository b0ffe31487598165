"""Wires settings, routes and consumers into the prestaties app."""

from datetime import date

from fastapi import FastAPI

from prestaties.config import Settings
from prestaties.entrypoints.routes import (
    activiteiten,
    erkenningen,
    gebruikers,
    koppelingen,
    organisatoren,
    prestaties,
    tellers,
)
from prestaties.entrypoints.routes import bevestiging as bevestiging_routes
from prestaties.service_layer import bevestiging
from prestaties.service_layer.consumenten import evaluaties, referentie
from prestaties.service_layer.uow import PrestatiesUnitOfWork
from wijkwerk.events import topics
from wijkwerk.http.app import Periodic, Runtime, create_service_app, make_consumer


def consumers(runtime: Runtime):
    # One consumer folds everything prestaties needs from toeleiding: organisers with
    # their area, and the workers' trajectory windows; another the evaluation dates from
    # evaluatie (the next evaluation due on a worker's counters, issue #23 item 1).
    return [
        make_consumer(runtime, "referentie", [topics.TOELEIDING], referentie.HANDLERS,
                      unit_of_work=PrestatiesUnitOfWork),
        make_consumer(runtime, "evaluaties", [topics.EVALUATIE], evaluaties.HANDLERS,
                      unit_of_work=PrestatiesUnitOfWork),
    ]


async def verwerk_termijnen(runtime: Runtime) -> int:
    # Today's calendar date, as evaluatie's dated facts take it; each fact carries its own
    # date (the reminder's, the deadline), so when this runs changes nothing.
    return await bevestiging.verwerk_termijnen(lambda: PrestatiesUnitOfWork(runtime.sessions), date.today())


def build_app(settings: Settings) -> FastAPI:
    return create_service_app(
        name="prestaties",
        settings=settings,
        # Routes are matched in this order: the hot path's first (bench figure 3); the confirmation
        # routes before prestaties', whose /prestaties/{prestatie_id} would take /prestaties/te-bevestigen.
        routers=[
            bevestiging_routes.router, prestaties.router, gebruikers.router, erkenningen.router, activiteiten.router,
            koppelingen.router, organisatoren.router, tellers.router,
        ],
        consumers=consumers,
        periodic=[Periodic("bevestigingstermijnen", settings.bevestiging_interval_s, verwerk_termijnen)],
        title="Wijk-werken — prestaties",
        description=(
            "Hour registration: gebruikers and their erkenningen (yearly registration fee), the activity "
            "catalogue and its matrix per organiser, placements (koppelingen) and prestaties in started hours, "
            "within the worker's trajectory and the 60 h/month and 630 h/year caps. Every rejection is a "
            "problem document naming its rule."
        ),
        openapi_tags=[
            {"name": "gebruikers", "description": "Gebruikers, their erkenningen and contacts with the bemiddelaar"},
            {"name": "erkenningen", "description": "Registration per organiser: agreement, yearly fee, validity"},
            {"name": "activiteiten", "description": "Activity catalogue per organiser and the category matrix"},
            {"name": "koppelingen", "description": "Placements: worker × gebruiker × activity, place and distance"},
            {"name": "prestaties", "description": "Hours: register, confirm or dispute, correct, cancel"},
            {"name": "bevestiging", "description": "The confirmation window: open and disputed prestaties, "
                                                   "resolving a dispute"},
            {"name": "referentie", "description": "Reference data from toeleiding"},
        ],
    )
