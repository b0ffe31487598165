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
    from wijkwerk.http.documentatie import ongeldige_voorbeelden, zonder_voorbeeld, zonder_voorbeeld_buiten_json

    app = create_app(Settings(run_workers=False))
    assert zonder_voorbeeld(app.openapi()) == []
    assert zonder_voorbeeld_buiten_json(app.openapi()) == []  # the CSVs, the SEPA file, the bank files
    assert ongeldige_voorbeelden(app) == []
    for example in AfrekeningOut.model_config["json_schema_extra"]["examples"]:  # documented, not declared
        AfrekeningOut.model_validate(example)


def test_the_xml_examples_validate_against_their_iso_20022_xsd_and_read_as_the_import_does():
    """The SEPA file against the pain.001.001.09 XSD sepaxml ships (which writes the real
    one); the bank's files against the vendored XSDs, through the import's own readers."""
    import xmlschema

    from cheques.adapters import bankberichten, sepa
    from cheques.entrypoints.voorbeelden import xml

    spec = create_app(Settings(run_workers=False)).openapi()
    sepa_bestand = spec["paths"]["/v1/uitbetalingen/{periode}/sepa"]["get"]["responses"]["200"]["content"]
    assert sepa_bestand["application/xml"]["example"] == xml("pain.001.001.09")
    xmlschema.XMLSchema(str(sepa.XSD)).validate(xml("pain.001.001.09"))
    uploads = {pad: spec["paths"][pad]["post"]["requestBody"]["content"]["application/xml"]["example"]
               for pad in ("/v1/bankberichten/statusrapport", "/v1/bankberichten/debetmelding")}
    rapport = bankberichten.lees_pain002(uploads["/v1/bankberichten/statusrapport"].encode())
    melding = bankberichten.lees_camt054(uploads["/v1/bankberichten/debetmelding"].encode())
    # the bank answers the example run: its message id and end-to-end ids
    e2e = {t.end_to_end_id for t in rapport.transacties} | {t.end_to_end_id for t in melding.terugstortingen}
    assert rapport.origineel_bericht_id == "WIJKWERK-UITBETALING-2026-03"
    assert e2e and all(e in xml("pain.001.001.09") for e in e2e)


def test_the_csv_examples_have_the_real_csv_header():
    """Written by the same functions as the real CSV, so their header is the real one."""
    import csv
    import io

    from cheques.service_layer import afrekeningen, afsluiten

    spec = create_app(Settings(run_workers=False)).openapi()
    for pad, kolommen in (("/v1/afrekeningen/{periode}", afrekeningen.KOLOMMEN),
                          ("/v1/periodes/{periode}/afstemming", afsluiten.KOLOMMEN)):
        voorbeeld = spec["paths"][pad]["get"]["responses"]["200"]["content"]["text/csv"]["example"]
        rijen = list(csv.reader(io.StringIO(voorbeeld)))
        assert rijen[0] == list(kolommen) and len(rijen) > 1, pad
