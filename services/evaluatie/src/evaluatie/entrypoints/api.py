"""The evaluatie ASGI app (``uvicorn evaluatie.entrypoints.api:create_app --factory``)."""

from fastapi import FastAPI

from evaluatie.bootstrap import build_app
from evaluatie.config import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    return build_app(settings or Settings())
