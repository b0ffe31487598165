"""The problems the payout lifecycle's endpoints answer, as OpenAPI examples (issue #18)."""

from __future__ import annotations

from typing import Any

from wijkwerk.problems import PROBLEM_BASE, ProblemDocument


def _probleem(status: int, rule: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"summary": rule, "value": {"type": PROBLEM_BASE + rule, "title": "", "status": status, "detail": detail,
                                        "rule": rule, **extra}}


def _weigeringen(**per_status: dict[str, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    # Under application/json so FastAPI merges them with the problem schema; the app's
    # OpenAPI hook publishes that content as application/problem+json.
    titels = {"403": "Forbidden", "409": "Conflict", "422": "Unprocessable"}
    return {int(s[1:]): {"model": ProblemDocument, "description": titels[s[1:]],
                         "content": {"application/json": {"examples": v}}} for s, v in per_status.items()}


_STATUS = _probleem(409, "uitbetaling-status-ongeldig", "A run that is opgesteld cannot be sent; it must be goedgekeurd.",
                    status_nu="opgesteld", vereist=["goedgekeurd"])
_SCOPE = _probleem(403, "scope-ontbreekt", "This operation needs one of the scopes: cheques:payout.")

GOEDKEURING_WEIGERINGEN = _weigeringen(
    s403={"uitbetaling-vier-ogen": _probleem(403, "uitbetaling-vier-ogen", "The run must be approved by someone other "
                                             "than the person who drew it up."), "scope-ontbreekt": _SCOPE},
    s409={"uitbetaling-status-ongeldig": _STATUS},
)
VERZENDING_WEIGERINGEN = _weigeringen(
    s409={"uitbetaling-status-ongeldig": _STATUS,
          "geen-sepa-bestand": _probleem(409, "geen-sepa-bestand", "The run pays nobody: there is nothing to send.")},
)
SEPA_WEIGERINGEN = _weigeringen(
    s409={"uitbetaling-status-ongeldig": _STATUS,
          "bankgegevens-ontbreken": _probleem(409, "bankgegevens-ontbreken", "toeleiding has no bank details any more "
                                              "for workers of this run.", wijkwerkers=["6f1c2f7e-…"])},
)
_ONGELDIG = _probleem(422, "bankbestand-ongeldig", "The file is not valid against pain.002.001.10.xsd: value length "
                      "cannot be greater than 4 at /Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts/TxInfAndSts/TxSts.",
                      schema="pain.002.001.10")
_SOORT = _probleem(422, "bankbestand-soort-onjuist", "Expected a pain.002.001.10 document, got namespace "
                   "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08.", schema="pain.002.001.10")
STATUSRAPPORT_WEIGERINGEN = _weigeringen(
    s409={"uitbetaling-status-ongeldig": _STATUS,
          "statusrapport-tegenstrijdig": _probleem(409, "statusrapport-tegenstrijdig", "WW2026036f1c… was reported "
                                                   "betaald before.")},
    s422={"bankbestand-ongeldig": _ONGELDIG, "bankbestand-soort-onjuist": _SOORT,
          "statusrapport-onbekende-ronde": _probleem(422, "statusrapport-onbekende-ronde", "OrgnlMsgId 'X-1' is no "
                                                     "payout run of this platform.")},
)
DEBETMELDING_WEIGERINGEN = _weigeringen(
    s409={"uitbetaling-status-ongeldig": _STATUS},
    s422={"bankbestand-ongeldig": _ONGELDIG,
          "terugstorting-bedrag-wijkt-af": _probleem(422, "terugstorting-bedrag-wijkt-af", "WW2026036f1c…: returned "
                                                     "1531 cents, paid 1530.")},
)
