"""The published API document: every operation summarised and documenting its problems."""

from cheques.config import Settings
from cheques.entrypoints.api import create_app
from cheques.entrypoints.schemas.geld import VerdeeltariefIn
from cheques.entrypoints.schemas.webhooks import VOORBEELD, WEBHOOK


def _operations():
    spec = create_app(Settings(run_workers=False)).openapi()
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            yield spec, path, method, op


def test_every_operation_has_a_summary_and_documents_problems():
    count = 0
    for _, path, method, op in _operations():
        assert op.get("summary"), f"{method} {path} has no summary"
        if path.startswith("/v1/"):
            assert "401" in op["responses"] and "422" in op["responses"], f"{method} {path}"
            count += 1
    assert count >= 9


def test_the_request_examples_validate():
    WEBHOOK.validate_python(VOORBEELD)
    for example in VerdeeltariefIn.model_config["json_schema_extra"]["examples"]:
        VerdeeltariefIn.model_validate(example)


def test_the_period_close_examples_validate():
    from cheques.entrypoints.schemas.periodes import AfsluitingIn, AfsluitingOut, AfstemmingOut, VerificatieOut

    for model in (AfsluitingIn, AfsluitingOut, AfstemmingOut, VerificatieOut):
        for example in model.model_config["json_schema_extra"]["examples"]:
            model.model_validate(example)
    spec = create_app(Settings(run_workers=False)).openapi()
    sluiten = spec["paths"]["/v1/periodes/{periode}/afsluiting"]["post"]
    regels = {r for status in ("403", "409", "422")
              for r in sluiten["responses"][status]["content"]["application/problem+json"]["examples"]}
    assert {"alleen-centraal", "periode-al-afgesloten", "vorige-periode-open", "periode-niet-voorbij",
            "afsluitdatum-in-de-toekomst"} <= regels


def test_every_operation_documents_the_overload_503():
    """Past its limit a process answers 503 + Retry-After (wijkwerk.http.overbelasting)."""
    zonder = [(method, path) for _, path, method, op in _operations()
              if path not in ("/health", "/ready", "/metrics") and "503" not in op["responses"]]
    assert zonder == []


def test_the_payout_lifecycle_documents_its_rules_and_examples_validate():
    from cheques.entrypoints.schemas.geld import BankberichtVerwerkt, UitbetalingsHistoriekOut, UitbetalingsrondeOut

    for model in (BankberichtVerwerkt, UitbetalingsHistoriekOut, UitbetalingsrondeOut):
        for example in model.model_config["json_schema_extra"]["examples"]:
            model.model_validate(example)
    spec = create_app(Settings(run_workers=False)).openapi()

    def regels(path: str, method: str = "post") -> set[str]:
        op = spec["paths"][path][method]
        return {r for status in ("403", "409", "422") if status in op["responses"]
                for r in op["responses"][status].get("content", {}).get("application/problem+json", {}).get("examples", {})}

    assert {"uitbetaling-vier-ogen", "uitbetaling-status-ongeldig"} <= regels("/v1/uitbetalingen/{periode}/goedkeuring")
    assert {"bankbestand-ongeldig", "statusrapport-tegenstrijdig"} <= regels("/v1/bankberichten/statusrapport")
    assert "terugstorting-bedrag-wijkt-af" in regels("/v1/bankberichten/debetmelding")
    body = spec["paths"]["/v1/bankberichten/statusrapport"]["post"]["requestBody"]
    assert "application/xml" in body["content"]


def test_every_rule_the_code_raises_is_documented_on_an_operation_and_no_other():
    """``cheque-niet-gevalideerd`` is raised only when a prestatie's correction (an event,
    no request) undoes a validation."""
    from pathlib import Path

    import cheques
    from cheques.entrypoints.regelboek import REGELS
    from wijkwerk.http.documentatie import afwijkingen
    from wijkwerk.problems import ProblemDocument

    spec = create_app(Settings(run_workers=False)).openapi()
    gevonden = afwijkingen(spec, Path(cheques.__file__).parent, REGELS)
    assert gevonden == {"ongedocumenteerd": {"cheque-niet-gevalideerd"}, "niet-in-code": set(),
                        "catalogus-niet-in-code": set()}
    for _, _, _, op in _operations():
        for response in op["responses"].values():
            for example in response.get("content", {}).get("application/problem+json", {}).get("examples", {}).values():
                ProblemDocument.model_validate(example["value"])


def test_every_answer_has_an_example_that_validates_against_its_own_model():
    from cheques.entrypoints.schemas.geld import AfrekeningOut
    from wijkwerk.http.documentatie import ongeldige_voorbeelden, zonder_voorbeeld

    app = create_app(Settings(run_workers=False))
    assert zonder_voorbeeld(app.openapi()) == []
    assert ongeldige_voorbeelden(app) == []
    for example in AfrekeningOut.model_config["json_schema_extra"]["examples"]:  # documented, not declared
        AfrekeningOut.model_validate(example)
