import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from evaluatie.adapters.leesmodellen import Leesmodellen
from evaluatie.adapters.rapporten import Rapporten
from evaluatie.domain.uitstroom import HORIZONTEN
from evaluatie.entrypoints.csv import csv_response
from evaluatie.entrypoints.deps import Leessessie
from evaluatie.entrypoints.rapportvoorbeelden import csv_inhoud, gedocumenteerd
from evaluatie.entrypoints.rapportvorm import Formaat, Maand, Reader, antwoord, maanden
from evaluatie.entrypoints.rapportvorm import scope as scope_van
from evaluatie.entrypoints.regelboek import REGELS
from wijkwerk.auth import Principal, gegevensscope, require
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/rapporten", tags=["rapporten"], responses=PROBLEM_RESPONSES)


class DossiersPerOrganisator(BaseModel):
    organisator_id: uuid.UUID
    naam: str
    samenwerkingsverband: str
    dossiers: int
    actief: int
    voorlopig: int
    afgesloten: int
    actief_of_voorlopig: int


class DossierRapport(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "rapport": "RPT-01", "tot_en_met": "2019-02-28", "berekend_op": "2019-03-01T08:00:00Z",
        "rijen": [{"organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "naam": "Wijk-werken Midwest",
                   "samenwerkingsverband": "Midwest", "dossiers": 412, "actief": 251, "voorlopig": 68,
                   "afgesloten": 93, "actief_of_voorlopig": 319}],
        "totaal": 412, "totaal_actief": 251, "totaal_voorlopig": 68, "totaal_afgesloten": 93,
        "totaal_actief_of_voorlopig": 319, "aandeel_actief_of_voorlopig": 0.7743}]})

    rapport: str = "RPT-01"
    tot_en_met: date
    berekend_op: datetime
    rijen: list[DossiersPerOrganisator]
    totaal: int
    totaal_actief: int
    totaal_voorlopig: int
    totaal_afgesloten: int
    totaal_actief_of_voorlopig: int
    aandeel_actief_of_voorlopig: float | None


async def _dossiers(session: Leessessie, principal: Principal, dag: date,
                    organisator_id: uuid.UUID | None = None) -> list[DossiersPerOrganisator]:
    scope = gegevensscope(principal)
    if scope.niets:
        return []
    organisator_id = scope.beperk(organisator_id)
    rows = await Leesmodellen(session).dossiers_per_organisator(dag, organisator_id)
    return [DossiersPerOrganisator(organisator_id=r["id"], **{k: v for k, v in r.items() if k != "id"}) for r in rows]


@router.get(
    "/dossiers", summary="RPT-01: dossiers registered per organiser on a date: actief, voorlopig, afgesloten (A-09)",
    responses={200: {"model": DossierRapport, "content": {"text/csv": csv_inhoud(
        [{"tot_en_met": "2019-02-28", **r} for r in DossierRapport.model_config["json_schema_extra"]["examples"][0]["rijen"]])}}},
)
async def dossiers(
    session: Leessessie,
    principal: Annotated[Principal, Depends(require("rapportering:read"))],
    tot_en_met: Annotated[date | None, Query()] = None,
    format: Literal["json", "csv"] = "json",
):
    dag = tot_en_met or date.today()
    rijen = await _dossiers(session, principal, dag)
    if format == "csv":
        return csv_response(({"tot_en_met": dag, **r.model_dump()} for r in rijen), f"rpt-01-{dag}.csv")
    totaal = sum(r.dossiers for r in rijen)
    actief = sum(r.actief_of_voorlopig for r in rijen)
    return DossierRapport(
        tot_en_met=dag, berekend_op=datetime.now(UTC), rijen=rijen, totaal=totaal,
        totaal_actief=sum(r.actief for r in rijen), totaal_voorlopig=sum(r.voorlopig for r in rijen),
        totaal_afgesloten=sum(r.afgesloten for r in rijen),
        totaal_actief_of_voorlopig=actief, aandeel_actief_of_voorlopig=round(actief / totaal, 4) if totaal else None,
    )


@router.get(
    "/dossiers-per-maand", summary="RPT-01 per organiser and month end: actief, voorlopig, afgesloten",
    responses={**gedocumenteerd("dossiers-per-maand"), **REGELS.weigert("periode-ongeldig", "periode-te-lang")},
    description="For every month from `van` to `tot` (YYYY-MM), the dossiers registered by its last day, split by "
                "their status on that day (A-09); only facts dated by then count.",
)
async def dossiers_per_maand(session: Leessessie, principal: Reader, van: Maand, tot: Maand,
                             organisator_id: uuid.UUID | None = None, format: Formaat = "json"):
    organisator_id = scope_van(principal, organisator_id)
    rijen = []
    for maand, _, einde in maanden(van, tot):
        rijen += [{"maand": maand, **r.model_dump()} for r in await _dossiers(session, principal, einde, organisator_id)]
    return antwoord("RPT-01", {"van": van, "tot": tot, "organisator_id": organisator_id}, rijen, format)


class AdviesRij(BaseModel):
    advies_maanden: int | None
    toeleidingen: int


class AdviesRapport(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"rapport": "RPT-07", "van": "2026-01-01", "tot": "2026-03-31", "organisator_id": None, "berekend_op": "2026-04-01T06:00:00+00:00", "rijen": [{"advies_maanden": 12, "toeleidingen": 184}, {"advies_maanden": 6, "toeleidingen": 41}, {"advies_maanden": None, "toeleidingen": 9}], "totaal": 234, "aandeel_12_maanden": 0.7863}]})

    rapport: str = "RPT-07"
    van: date
    tot: date
    organisator_id: uuid.UUID | None
    berekend_op: datetime
    rijen: list[AdviesRij]
    totaal: int
    aandeel_12_maanden: float | None


@router.get("/advies", summary="RPT-07: referrals by advised trajectory length (12 months vs shorter)",
            responses={200: {"model": AdviesRapport, "content": {"text/csv": csv_inhoud(
                [{"van": "2026-01-01", "tot": "2026-03-31", "organisator_id": None, **r}
                 for r in AdviesRapport.model_config["json_schema_extra"]["examples"][0]["rijen"]])}}})
async def advies(
    session: Leessessie,
    principal: Annotated[Principal, Depends(require("rapportering:read"))],
    van: date,
    tot: date,
    organisator_id: uuid.UUID | None = None,
    format: Literal["json", "csv"] = "json",
):
    organisator_id = gegevensscope(principal).beperk(organisator_id)
    rows = await Leesmodellen(session).toeleidingen_per_advies(van, tot, organisator_id)
    if format == "csv":
        return csv_response(({"van": van, "tot": tot, "organisator_id": organisator_id, "advies_maanden": m,
                              "toeleidingen": n} for m, n in rows), f"rpt-07-{van}-{tot}.csv")
    totaal = sum(n for _, n in rows)
    twaalf = sum(n for m, n in rows if m == 12)
    return AdviesRapport(
        van=van,
        tot=tot,
        organisator_id=organisator_id,
        berekend_op=datetime.now(UTC),
        rijen=[AdviesRij(advies_maanden=m, toeleidingen=n) for m, n in rows],
        totaal=totaal,
        aandeel_12_maanden=round(twaalf / totaal, 4) if totaal else None,
    )


class EvaluatieRapport(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"rapport": "RPT-08", "van": "2026-01-01", "tot": "2026-06-30", "organisator_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "berekend_op": "2026-07-01T06:00:00+00:00", "evaluaties": 96, "geevalueerde_wijkwerkers": 88, "per_uitkomst": {"zelfde_klus": 61, "uitstroom_werk": 14, "ander_traject": 12, "stopt": 9}}]})

    rapport: str = "RPT-08"
    van: date
    tot: date
    organisator_id: uuid.UUID | None
    berekend_op: datetime
    evaluaties: int
    geevalueerde_wijkwerkers: int
    per_uitkomst: dict[str, int]


def _scoped(principal: Principal, organisator_id: uuid.UUID | None) -> uuid.UUID | None:
    return gegevensscope(principal).beperk(organisator_id)


@router.get("/evaluaties", summary="RPT-08: evaluations registered in a period, workers evaluated, outcomes",
            responses={200: {"model": EvaluatieRapport, "content": {"text/csv": csv_inhoud([
                {"van": "2026-01-01", "tot": "2026-06-30", "organisator_id": None, "uitkomst": u, "evaluaties": n,
                 "geevalueerde_wijkwerkers": w} for u, n, w in (("totaal", 96, 88), ("ander_traject", 12, ""),
                                                               ("stopt", 9, ""), ("uitstroom_werk", 14, ""),
                                                               ("zelfde_klus", 61, ""))])}}})
async def rapport_evaluaties(
    session: Leessessie,
    principal: Annotated[Principal, Depends(require("rapportering:read"))],
    van: date,
    tot: date,
    organisator_id: uuid.UUID | None = None,
    format: Literal["json", "csv"] = "json",
):
    organisator_id = _scoped(principal, organisator_id)
    cijfers = await Rapporten(session).evaluaties(van, tot, organisator_id)
    if format == "csv":  # one row for all evaluations, then one per outcome
        kop = {"van": van, "tot": tot, "organisator_id": organisator_id}
        return csv_response(
            [{**kop, "uitkomst": "totaal", "evaluaties": cijfers["evaluaties"],
              "geevalueerde_wijkwerkers": cijfers["geevalueerde_wijkwerkers"]}]
            + [{**kop, "uitkomst": u, "evaluaties": n, "geevalueerde_wijkwerkers": ""}
               for u, n in sorted(cijfers["per_uitkomst"].items())],
            f"rpt-08-{van}-{tot}.csv")
    return EvaluatieRapport(van=van, tot=tot, organisator_id=organisator_id, berekend_op=datetime.now(UTC), **cijfers)


class UitstroomGroep(BaseModel):
    horizon_maanden: int
    groep: str
    uitkeringsstatus: str | None = Field(None, description="With per_uitkeringsstatus: the benefit status at "
                                         "referral (RPT-03)")
    dossiers: int
    categorieen: dict[str, int]


class UitstroomRapport(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"rapport": "RPT-04", "op": "2026-12-31", "organisator_id": None, "berekend_op": "2027-01-02T06:00:00+00:00", "rijen": [{"horizon_maanden": 3, "groep": "nieuw", "uitkeringsstatus": None, "dossiers": 212, "categorieen": {"werk_werknemer": 38, "werk_zelfstandige": 2, "begeleidingsservice": 11, "werkzoekend": 97, "onbekend": 64}}, {"horizon_maanden": 3, "groep": "ex_pwa", "uitkeringsstatus": None, "dossiers": 17, "categorieen": {"werk_werknemer": 1, "werkzoekend": 9, "onbekend": 7}}]}]})

    rapport: str = "RPT-04"
    op: date
    organisator_id: uuid.UUID | None
    berekend_op: datetime
    rijen: list[UitstroomGroep]


@router.get(
    "/uitstroom",
    summary="RPT-03/04/10: outflow 3, 6, 9 and 12 months after the end, ex-PWA vs new (and by benefit status), "
            "by V-4 category",
    description="`dossiers` is the cohort of ended trajectories (A-19): a re-referred worker counts once per "
                "trajectory that ended at least N months before `op`, measured from that trajectory's own end.",
    responses={200: {"model": UitstroomRapport, "content": {"text/csv": csv_inhoud([
        {"horizon_maanden": r["horizon_maanden"], "groep": r["groep"], "categorie": c, "aantal": n, "cohort": r["dossiers"]}
        for r in UitstroomRapport.model_config["json_schema_extra"]["examples"][0]["rijen"]
        for c, n in ({"dossiers": r["dossiers"]} | r["categorieen"]).items()])}}},
)
async def rapport_uitstroom(
    session: Leessessie,
    principal: Annotated[Principal, Depends(require("rapportering:read"))],
    op: date | None = None,
    organisator_id: uuid.UUID | None = None,
    format: Literal["json", "csv"] = "json",
    per_uitkeringsstatus: Annotated[bool, Query(description="RPT-03: split each group by the benefit status at "
                                                "referral (volledig_werkzoekend, leefloon, ziekteuitkering, "
                                                "geen_uitkering)")] = False,
):
    dag = op or date.today()
    organisator_id = _scoped(principal, organisator_id)
    rapporten = Rapporten(session)
    rijen = [
        UitstroomGroep(horizon_maanden=h, **groep)
        for h in HORIZONTEN
        for groep in await rapporten.uitstroom(dag, h, organisator_id, per_uitkeringsstatus)
    ]
    if format == "csv":
        return csv_response(
            (
                {"horizon_maanden": r.horizon_maanden, "groep": r.groep,
                 **({"uitkeringsstatus": r.uitkeringsstatus} if per_uitkeringsstatus else {}),
                 "categorie": c, "aantal": n, "cohort": r.dossiers}
                for r in rijen
                for c, n in ({"dossiers": r.dossiers} | r.categorieen).items()
            ),
            f"uitstroom-{dag}.csv",
        )
    return UitstroomRapport(op=dag, organisator_id=organisator_id, berekend_op=datetime.now(UTC), rijen=rijen)
