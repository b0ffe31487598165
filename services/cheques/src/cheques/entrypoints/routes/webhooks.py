from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Request
from pydantic import ValidationError

from cheques.config import Settings
from cheques.domain import handtekening
from cheques.entrypoints.deps import get_klok, get_settings, get_uow
from cheques.entrypoints.regelboek import REGELS
from cheques.entrypoints.schemas import webhooks as s
from cheques.service_layer import commands, webhooks
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.actor import zet_actor
from wijkwerk.events.envelope import Actor
from wijkwerk.fouten import DomainError, OngeldigeInvoer
from wijkwerk.observability import WEBHOOK_REJECTED
from wijkwerk.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], responses=PROBLEM_RESPONSES)


def _command(payload) -> object:
    velden = payload.model_dump(exclude={"type"})
    if isinstance(payload, s.ChequeGevalideerd | s.ChequesGevalideerd) and (
        (payload.prestatie_id is None) == (payload.prestatie_referentie is None)
    ):
        raise OngeldigeInvoer("Name the prestatie by prestatie_id or by prestatie_referentie (one of them).",
                              rule="prestatie-of-referentie")
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
        "Signed as Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256 of "
        "\"{webhook-id}.{webhook-timestamp}.{raw body}\">` with one of the issuer's secrets valid now; "
        "several signatures may be sent space-separated (secret rotation). Stale (> 5 min) or future "
        "(> 1 min) timestamps and bad signatures are refused with 401. A redelivered `webhook-id` is "
        "acknowledged without a second effect. No bearer token: the signature is the authentication. "
        "A validation names the prestatie by `prestatie_id` or by `prestatie_referentie`, the short code "
        "the gebruiker sees on its prestatie (e.g. `P-0000Z8-H`): a code with a wrong check character is "
        "refused as `prestatie-referentie-ongeldig`. An order for an organiser where the gebruiker holds no "
        "active erkenning on the order date is refused `geen-actieve-erkenning` (A-14, with `erkenning_status`). "
        "A 409 with `Retry-After` (`organisator-nog-onbekend`, `prestatie-nog-onbekend`, "
        "`erkenning-nog-onbekend`) is retryable: deliver the same delivery again after that many seconds. "
        "A cheque is valid through issue date + validity months − 1 day, judged on the prestatie's date "
        "(A-21): a cheque submitted later, even after a `cheque.vervallen`, still pays a prestatie within "
        "its validity; one for a later prestatie is refused as `cheque-vervallen`, and a `cheque.vervallen` "
        "dated within the validity as `cheque-nog-geldig`."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": s.WEBHOOK.json_schema(),
                    "examples": {"gevalideerd": {"value": s.VOORBEELD},
                                 "bundel": {"value": s.VOORBEELD_BUNDEL},
                                 "bundel-met-referentie": {"value": s.VOORBEELD_REFERENTIE}},
                }
            },
        }
    },
    responses=REGELS.weigert(
        "handtekening-ontbreekt", "handtekening-ongeldig", "tijdstip-ongeldig", "webhook-verouderd",
        "webhook-uit-de-toekomst", "prestatie-of-referentie", "prestatie-referentie-ongeldig",
        "prestatie-nog-onbekend", "organisator-nog-onbekend", "erkenning-nog-onbekend",
        "geen-actieve-erkenning", "tarief-onbekend", "drager-onbekend", "bestelling-bestaat-al",
        "bestelling-onbekend", "serienummer-bestaat-al", "serienummer-dubbel", "meer-cheques-dan-besteld",
        "uitgifte-voor-bestelling", "cheque-onbekend", "cheque-al-gebruikt", "cheque-terugbetaald",
        "cheque-vervallen", "cheque-andere-gebruiker", "validatie-voor-prestatie", "meer-cheques-dan-uren",
        "cheque-nog-geldig", "restant-negatief", "periode-afgesloten"
    ),
)
async def ontvang(
    request: Request,
    uow: Annotated[ChequesUnitOfWork, Depends(get_uow)],
    settings: Annotated[Settings, Depends(get_settings)],
    uitgever: Annotated[str, Path(pattern=r"^[a-z0-9-]{1,40}$")],
    klok: Annotated[Callable[[], float], Depends(get_klok)],
    webhook_id: Annotated[str | None, Header(max_length=200)] = None,
    webhook_timestamp: Annotated[str | None, Header()] = None,
    webhook_signature: Annotated[str | None, Header(max_length=2000)] = None,
) -> s.WebhookOut:
    raw = await request.body()
    geheimen = settings.uitgever_geheimen(uitgever)
    try:
        ts = handtekening.controleer(
            geheimen, webhook_id, webhook_timestamp, webhook_signature, raw, nu=klok(),
            max_leeftijd_s=settings.webhook_max_leeftijd_s, max_voorsprong_s=settings.webhook_max_voorsprong_s,
        )
        assert webhook_id is not None  # controleer refuses a delivery without its id
        zet_actor(Actor(subject=uitgever, org=uitgever, org_type="uitgever"), rechtstreeks=True)  # the audit trail
        payload = _parse(raw)
        levering = commands.Levering(uitgever, webhook_id, ts, raw, payload.type)
        verwerkt = await webhooks.verwerk(levering, _command(payload), uow)
    except DomainError as exc:
        # The path is the caller's to choose before it is authenticated: only known issuers
        # get their own series, so a stranger cannot grow the label set.
        bekend = bool(geheimen)
        WEBHOOK_REJECTED.labels("cheques", uitgever if bekend else "onbekend",
                                exc.rule if bekend else "uitgever-onbekend").inc()
        raise
    return s.WebhookOut(uitgever=uitgever, delivery_id=webhook_id, type=payload.type, verwerkt=verwerkt)
