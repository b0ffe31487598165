"""The prestaties ASGI app (``uvicorn prestaties.entrypoints.api:create_app --factory``)."""

from fastapi import FastAPI

from prestaties.bootstrap import build_app
from prestaties.config import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    return build_app(settings or Settings())
