"""The worker's own page (issue #23 item 7, ADR 0025): a small installable web app (PWA) at
``/mijn/``. What it serves here is the shell only, the same for everybody and without any
data: the page, its script and style, the web app manifest, the service worker that keeps
the shell for offline use, and the icons. The data comes from
``GET /v1/wijkwerkers/{id}/overzicht`` with the worker's own token, which the page's
script sends as a bearer header (never a cookie: no other site's request can carry it).

Everything is served by this service (no CDN), under a Content-Security-Policy that lets
the page load and call only its own origin."""

from __future__ import annotations

import enum
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse, Response

router = APIRouter(prefix="/mijn", tags=["wijkwerker"], include_in_schema=False)
STATIC = Path(__file__).with_name("static")
SOORTEN = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "sw.js": "text/javascript; charset=utf-8",
    "manifest.webmanifest": "application/manifest+json",
    "icoon-192.png": "image/png",
    "icoon-512.png": "image/png",
}
BELEID = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
          "manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
KOPPEN = {"Content-Security-Policy": BELEID, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
          "Cache-Control": "no-cache"}  # revalidated: a new release reaches the service worker's cache


@router.get("", name="mijn_zonder_slash")
async def zonder_slash() -> Response:
    """A relative redirect: behind the edge (``/evaluatie/mijn``) it stays under the prefix,
    where Starlette's own slash redirect would name an absolute ``/mijn/``."""
    return RedirectResponse("mijn/", status_code=308, headers=KOPPEN)


@router.get("/", name="mijn")
async def pagina() -> Response:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8", headers=KOPPEN)


# a fixed list: no path from the URL reaches the file system (anything else: 422)
Bestand = enum.Enum("Bestand", {naam: naam for naam in SOORTEN}, type=str)  # type: ignore[misc]


@router.get("/{bestand}", name="mijn_bestand")
async def bestand(bestand: Bestand) -> Response:
    return FileResponse(STATIC / bestand.value, media_type=SOORTEN[bestand.value], headers=KOPPEN)
