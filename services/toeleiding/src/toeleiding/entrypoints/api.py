"""The toeleiding ASGI app (``uvicorn toeleiding.entrypoints.api:create_app --factory``)."""

from fastapi import FastAPI

from toeleiding.bootstrap import build_app
from toeleiding.config import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    return build_app(settings or Settings())
