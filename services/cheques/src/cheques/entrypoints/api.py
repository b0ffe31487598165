"""The cheques ASGI app (``uvicorn cheques.entrypoints.api:create_app --factory``)."""

from fastapi import FastAPI

from cheques.bootstrap import build_app
from cheques.config import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    return build_app(settings or Settings())
