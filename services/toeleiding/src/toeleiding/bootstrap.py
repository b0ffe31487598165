"""Wires settings, routes, consumers and housekeeping into the toeleiding app."""

from datetime import date

from fastapi import FastAPI

from toeleiding.config import Settings
from toeleiding.entrypoints.routes import organisatoren, trajecten, wijkwerkers
from toeleiding.service_layer import trajecten as traject_handlers
from toeleiding.service_layer.consumenten import evaluaties
from toeleiding.service_layer.uow import ToeleidingUnitOfWork
from wijkwerk.events import topics
from wijkwerk.http.app import Periodic, Runtime, create_service_app, make_consumer


async def sluit_verlopen_trajecten(runtime: Runtime) -> int:
    return await traject_handlers.sluit_verlopen_trajecten(ToeleidingUnitOfWork(runtime.sessions), date.today())


def consumers(runtime: Runtime):
    if not runtime.settings.einde_bij_evaluatie:
        return []
    return [make_consumer(runtime, "evaluaties", [topics.EVALUATIE], evaluaties.HANDLERS,
                          unit_of_work=ToeleidingUnitOfWork)]


def build_app(settings: Settings) -> FastAPI:
    return create_service_app(
        name="toeleiding",
        settings=settings,
        routers=[organisatoren.router, wijkwerkers.router, trajecten.router],
        consumers=consumers,
        periodic=[Periodic("sluit-verlopen-trajecten", settings.sluit_verlopen_interval_s, sluit_verlopen_trajecten)],
        title="Wijk-werken — toeleiding",
        description=(
            "Referral service: wijk-werkorganisatoren (area, cheque tariff), wijk-werker dossiers, "
            "referrals and trajectories. The only owner of personal data; events carry a pseudonymous "
            "wijkwerker_id."
        ),
        openapi_tags=[
            {"name": "organisatoren", "description": "Organisers, their area and effective-dated cheque tariffs"},
            {"name": "wijkwerkers", "description": "Worker dossiers (personal data stays here)"},
            {"name": "trajecten", "description": "Referrals (toeleiding) and trajectories"},
            {"name": "intern", "description": "Service-to-service calls"},
        ],
    )
