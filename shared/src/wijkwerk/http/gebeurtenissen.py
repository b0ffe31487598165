"""``GET /v1/gebeurtenissen``: a service's event history, streamed for replays elsewhere
(ADR 0004); every service gets it from :func:`wijkwerk.http.app.create_service_app`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from wijkwerk.auth import Principal, require
from wijkwerk.messaging import archief
from wijkwerk.problems import PROBLEM_RESPONSES, Problem


def router() -> APIRouter:
    """``GET /v1/gebeurtenissen``: this service's event history for replays elsewhere."""
    router = APIRouter(prefix="/v1/gebeurtenissen", tags=["gebeurtenissen"], responses=PROBLEM_RESPONSES)

    @router.get(
        "",
        summary="Every event this service published, in commit order (NDJSON, for replays elsewhere)",
        response_class=StreamingResponse,
        responses={200: {"content": {archief.MEDIA_TYPE: {"example": archief.voorbeeld()}},
                         "description": "One event envelope a line, closed by `#einde <count>`."}},
    )
    async def gebeurtenissen(
        request: Request,
        principal: Annotated[Principal, Depends(require(archief.SCOPE))],
    ) -> StreamingResponse:
        if principal.org_type not in ("service", "vdab"):
            raise Problem(403, "alleen-centraal", "The event history is for central callers only.")
        stroom = archief.ndjson(archief.DatabaseArchief(request.app.state.runtime.engine))
        try:
            eerste = await anext(stroom)  # the archive's completeness is checked before the response starts
        except archief.GeschiedenisOnvolledig as exc:
            raise Problem(409, "geschiedenis-onvolledig", str(exc)) from None

        async def alles() -> AsyncIterator[bytes]:
            yield eerste
            async for stuk in stroom:
                yield stuk

        return StreamingResponse(alles(), media_type=archief.MEDIA_TYPE)

    return router
