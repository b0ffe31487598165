import time
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request
from pydantic import ValidationError

from cheques.config import Settings
from cheques.domain import handtekening
from cheques.domain.fouten import OngeldigeInvoer
from cheques.entrypoints.deps import get_settings, get_uow
from cheques.entrypoints.schemas import webhooks as s
from cheques.service_layer import commands, webhooks
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], responses=PROBLEM_RESPONSES)


def _command(payload) -> object:
    velden = payload.model_dump(exclude={"type"})
    match payload:
        case s.BestellingBetaald():
            return commands.RegistreerBestelling(**velden)
        case s.ChequesUitgegeven():
            return commands.GeefChequesUit(**velden | {"serienummers": tuple(payload.serienummers)})
        case s.ChequeGevalideerd():
            return commands.ValideerCheque(**velden)
        case s.ChequesGevalideerd():
            return commands.ValideerCheques(**velden | {"serienummers": tuple(payload.serienummers)})
        case s.ChequeTerugbetaald():
            return commands.BetaalChequeTerug(**velden)
        case s.ChequeVervallen():
            return commands.LaatChequeVervallen(**velden)
    raise AssertionError(payload)


def _parse(raw: bytes):
    try:
        return s.WEBHOOK.validate_json(raw)
    except ValidationError as exc:
        errors = [{"loc": [str(p) for p in e["loc"]], "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        first = errors[0] if errors else {"loc": [], "msg": "invalid"}
        detail = f"{'.'.join(first['loc'])}: {first['msg']}"
        raise OngeldigeInvoer(detail, rule="ongeldige-invoer", errors=errors) from None


@router.post(
    "/{uitgever}",
    summary="Receive a signed webhook from a cheque issuer",
    description=(
        "HMAC-SHA256 over `{X-Wijkwerk-Timestamp}.{raw body}` with the issuer's secret, sent as "
        "`X-Wijkwerk-Signature: v1=<hex>`. Stale (> 5 min) or future (> 1 min) timestamps and bad "
        "signatures are refused with 401. A redelivered `X-Wijkwerk-Delivery` is acknowledged without a "
        "second effect. No bearer token: the signature is the authentication. A 409 with `Retry-After` "
        "(`organisator-nog-onbekend`, `prestatie-nog-onbekend`) is retryable: deliver the same delivery again "
        "after that many seconds."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": s.WEBHOOK.json_schema(),
                    "examples": {"gevalideerd": {"value": s.VOORBEELD},
                                 "bundel": {"value": s.VOORBEELD_BUNDEL}},
                }
            },
        }
    },
)
async def ontvang(
    request: Request,
    uow: Annotated[ChequesUnitOfWork, Depends(get_uow)],
    settings: Annotated[Settings, Depends(get_settings)],
    uitgever: Annotated[str, Path(pattern=r"^[a-z0-9-]{1,40}$")],
    x_wijkwerk_timestamp: Annotated[str | None, Header()] = None,
    x_wijkwerk_signature: Annotated[str | None, Header()] = None,
    x_wijkwerk_delivery: Annotated[str | None, Header(max_length=200)] = None,
) -> s.WebhookOut:
    raw = await request.body()
    ts = handtekening.controleer(
        settings.uitgever_geheim(uitgever), x_wijkwerk_timestamp, x_wijkwerk_signature, raw, nu=time.time(),
        max_leeftijd_s=settings.webhook_max_leeftijd_s, max_voorsprong_s=settings.webhook_max_voorsprong_s,
    )
    if not x_wijkwerk_delivery:
        raise OngeldigeInvoer("X-Wijkwerk-Delivery is required.", rule="delivery-ontbreekt")
    payload = _parse(raw)
    levering = commands.Levering(uitgever, x_wijkwerk_delivery, ts, raw, payload.type)
    verwerkt = await webhooks.verwerk(levering, _command(payload), uow)
    return s.WebhookOut(uitgever=uitgever, delivery_id=x_wijkwerk_delivery, type=payload.type, verwerkt=verwerkt)
