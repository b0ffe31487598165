import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict

from prestaties.adapters.referentie import OrganisatorReferentie
from prestaties.entrypoints.deps import Leessessie
from prestaties.entrypoints.regelboek import REGELS
from wijkwerk.auth import Principal, require
from wijkwerk.fouten import NotFound
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/organisatoren", tags=["referentie"], responses=PROBLEM_RESPONSES)


class OrganisatorRef(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "naam": "Wijk-werken Midwest", "samenwerkingsverband": "Midwest", "gemeenten": ["36015", "36008", "36006"]}]})

    id: uuid.UUID
    naam: str
    samenwerkingsverband: str
    gemeenten: list[str]


@router.get("/{organisator_id}", summary="The organiser as known here (area), from toeleiding events",
    responses=REGELS.weigert("organisator-onbekend"),
)
async def lees(
    organisator_id: uuid.UUID,
    session: Leessessie,
    _: Annotated[Principal, Depends(require("prestaties:read"))],
) -> OrganisatorRef:
    found = await OrganisatorReferentie(session).get(organisator_id)
    if found is None:
        raise NotFound("This organiser is not known here (yet).", rule="organisator-onbekend")
    return OrganisatorRef(**found)
