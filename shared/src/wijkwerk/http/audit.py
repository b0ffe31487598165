"""``GET /v1/audit``: a service's audit trail, for central callers (issue #18).

Mounted by every service (``create_service_app``). Who changed what (``wijziging``: one
record per event a command caused) and who read personal data (``inzage``), newest first,
paged, filtered by dossier, principal, kind and period. Organisers, referrers and
gebruikers are refused even with the scope: the trail names other organisations' staff.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from wijkwerk.auth import CENTRAL, Principal, require
from wijkwerk.db import audit
from wijkwerk.http.paging import Limit, Offset
from wijkwerk.problems import PROBLEM_RESPONSES, Problem

SCOPE = "audit:lezen"
BRUSSEL = ZoneInfo("Europe/Brussels")
EERSTE, LAATSTE = date(2000, 1, 1), date(9998, 12, 31)  # bounded: the UTC conversion cannot overflow


class AuditRecord(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": 4182, "op": "2026-03-04T10:15:02.481+01:00", "soort": "inzage", "handeling": "bankgegevens-gelezen", "subject": "cheques-uitbetaling", "org": None, "org_type": "vdab", "wijkwerker_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "aggregate_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "event_id": None, "correlation_id": "c0ffee00-1b2c-4d3e-8f90-a1b2c3d4e5f6"}]})

    id: int
    op: datetime = Field(description="When it was recorded (the change's or the read's transaction)")
    soort: Literal["wijziging", "inzage"]
    handeling: str = Field(description="The event type of a change, or what was read (e.g. `bankgegevens-gelezen`)")
    subject: str | None = Field(description="The principal: the token's `sub`, or the webhook's issuer")
    org: str | None
    org_type: str | None
    wijkwerker_id: uuid.UUID | None = Field(description="The dossier concerned, where there is one")
    aggregate_id: str | None
    event_id: uuid.UUID | None
    correlation_id: str | None


def router() -> APIRouter:
    r = APIRouter(prefix="/v1/audit", tags=["audit"], responses=PROBLEM_RESPONSES)

    @r.get("", summary="The audit trail: who changed what, who read personal data (central callers only)")
    async def lijst(
        request: Request,
        principal: Annotated[Principal, Depends(require(SCOPE))],
        wijkwerker_id: Annotated[uuid.UUID | None, Query(description="Only this dossier")] = None,
        subject: Annotated[str | None, Query(min_length=1, max_length=255, pattern=r"^[^\x00-\x1f\x7f]+$",
                                             description="Only this principal")] = None,
        soort: Literal["wijziging", "inzage"] | None = None,
        van: Annotated[date | None, Query(ge=EERSTE, le=LAATSTE,
                                          description="From this day (Brussels time), inclusive")] = None,
        tot: Annotated[date | None, Query(ge=EERSTE, le=LAATSTE,
                                          description="Up to and including this day (Brussels time)")] = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[AuditRecord]:
        if principal.org_type not in CENTRAL:
            raise Problem(403, "alleen-centraal", "The audit trail is for central callers only.")
        if van is not None and tot is not None and tot < van:
            raise Problem(422, "periode-ongeldig", "`tot` lies before `van`.")
        criteria = audit.Filter(
            wijkwerker_id=wijkwerker_id, subject=subject, soort=soort,
            van=datetime.combine(van, time(), BRUSSEL) if van else None,
            tot=datetime.combine(tot + timedelta(days=1), time(), BRUSSEL) if tot else None,
        )
        async with request.app.state.runtime.sessions() as session:
            rows = await audit.zoek(session, criteria, limit=limit, offset=offset)
        return [AuditRecord(**row) for row in rows]

    return r
