"""``python -m wijkwerk_platform.serve <service> [uvicorn options]``: the image's server command.

uvicorn with the service's ASGI factory and, when the service's settings name a certificate
(``<SERVICE>_TLS_CERTFILE`` and ``<SERVICE>_TLS_KEYFILE``), HTTPS on the API port — read
through the service's Settings like every other setting, so a half-given pair stops the
start with the settings' own message. Every other option is uvicorn's (``--port``,
``--workers`` …), passed through unchanged.
"""

from __future__ import annotations

import importlib
import sys

from wijkwerk_platform.cli.services import SERVICES


def uvicorn_argv(service: str, options: list[str]) -> list[str]:
    spec = next((s for s in SERVICES if s.name == service), None)
    if spec is None:
        raise SystemExit(f"unknown service {service!r}; one of {', '.join(s.name for s in SERVICES)}")
    settings = importlib.import_module(f"{service}.config").Settings()
    tls = ["--ssl-certfile", settings.tls_certfile, "--ssl-keyfile", settings.tls_keyfile] if settings.tls_certfile else []
    return [spec.app_factory, "--factory", *tls, *options]


def main(argv: list[str] | None = None) -> None:
    import uvicorn.main

    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        raise SystemExit("usage: python -m wijkwerk_platform.serve <service> [uvicorn options]")
    uvicorn.main.main(uvicorn_argv(argv[0], argv[1:]))


if __name__ == "__main__":
    main()
