"""The bank's messages about a payout run, read after validation against the official
ISO 20022 schemas (vendored in ``xsd/``, see its README): pain.002.001.10 (customer payment
status report, the answer to our pain.001.001.09) and camt.054.001.08 (debit/credit
notification; its entries with return information are transfers the bank returned).

No maintained Python parser of pain.002 exists (sepaxml only writes pain.001/008), so this
reads them with xmlschema: the file is checked against the XSD first (entities and remote
references are refused: ``defuse="always"``) and refused whole with rule
``bankbestand-ongeldig`` naming the first schema error; then the few fields the lifecycle
needs are read."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from xml.etree.ElementTree import Element

import xmlschema

from cheques.domain.levenscyclus import Debetmelding, Statusrapport, Terugstorting, Transactiestatus
from wijkwerk.fouten import OngeldigeInvoer

XSD_MAP = Path(__file__).parent / "xsd"
PAIN002 = "pain.002.001.10"
CAMT054 = "camt.054.001.08"
MAX_BYTES = 20 * 1024 * 1024  # a month's report for every worker in Flanders is far below this


def _ns(schema: str) -> str:
    return f"urn:iso:std:iso:20022:tech:xsd:{schema}"


@cache
def schema(naam: str) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD_MAP / f"{naam}.xsd"))


def _gevalideerd(inhoud: bytes, naam: str) -> Element:
    if len(inhoud) > MAX_BYTES:
        raise OngeldigeInvoer(f"The file is larger than {MAX_BYTES} bytes.", rule="bankbestand-te-groot")
    try:
        bron = xmlschema.XMLResource(inhoud, defuse="always", allow="none")
    except Exception as exc:  # not XML, or refused by the defuser (entities)
        raise OngeldigeInvoer(f"The file is no well-formed XML: {type(exc).__name__}.", rule="bankbestand-ongeldig",
                              schema=naam) from None
    namespace = bron.root.tag.partition("}")[0].lstrip("{")
    if namespace != _ns(naam):
        raise OngeldigeInvoer(f"Expected a {naam} document, got namespace {namespace or '(none)'}.",
                              rule="bankbestand-soort-onjuist", schema=naam)
    fout = next(schema(naam).iter_errors(bron), None)
    if fout is not None:
        raise OngeldigeInvoer(f"The file is not valid against {naam}.xsd: {fout.reason} at {fout.path}.",
                              rule="bankbestand-ongeldig", schema=naam)
    return bron.root


class _Lezer:
    def __init__(self, naam: str) -> None:
        self.ns = {"d": _ns(naam)}

    def tekst(self, element: Element, pad: str) -> str | None:
        gevonden = element.find(pad, self.ns)
        return None if gevonden is None or gevonden.text is None else gevonden.text.strip()

    def alle(self, element: Element, pad: str) -> list[Element]:
        return element.findall(pad, self.ns)


def _dag(waarde: str) -> date:
    """An ISODate or ISODateTime as written: the bank's own calendar day (its offset kept)."""
    return date.fromisoformat(waarde[:10]) if len(waarde) > 10 else date.fromisoformat(waarde)


_BEDRAG = re.compile(r"^\d{1,15}(\.\d{1,2})?$")


def _cent(waarde: str | None, munt: str | None) -> int:
    if waarde is None or munt != "EUR" or not _BEDRAG.match(waarde):
        raise OngeldigeInvoer(f"Amount {waarde!r} {munt or ''} is no euro amount in cents.",
                              rule="bankbestand-bedrag-ongeldig")
    try:
        return int(Decimal(waarde) * 100)
    except InvalidOperation:  # pragma: no cover - the pattern above already excludes it
        raise OngeldigeInvoer(f"Amount {waarde!r} is invalid.", rule="bankbestand-bedrag-ongeldig") from None


def lees_pain002(inhoud: bytes) -> Statusrapport:
    root = _gevalideerd(inhoud, PAIN002)
    lees = _Lezer(PAIN002)
    rapport = root.find("d:CstmrPmtStsRpt", lees.ns)
    groep = rapport.find("d:OrgnlGrpInfAndSts", lees.ns)
    transacties: list[Transactiestatus] = []
    pmt_status: str | None = None
    pmt_reden: str | None = None
    for pmt in lees.alle(rapport, "d:OrgnlPmtInfAndSts"):
        # A run is one payment information block; its status stands in for a missing group status.
        pmt_status = pmt_status or lees.tekst(pmt, "d:PmtInfSts")
        pmt_reden = pmt_reden or lees.tekst(pmt, "d:StsRsnInf/d:Rsn/d:Cd")
        for tx in lees.alle(pmt, "d:TxInfAndSts"):
            e2e = lees.tekst(tx, "d:OrgnlEndToEndId")
            if e2e is None:
                raise OngeldigeInvoer("A transaction status without OrgnlEndToEndId cannot be matched.",
                                      rule="statusrapport-zonder-end-to-end-id")
            transacties.append(Transactiestatus(e2e, lees.tekst(tx, "d:TxSts"), lees.tekst(tx, "d:StsRsnInf/d:Rsn/d:Cd")))
    return Statusrapport(
        bericht_id=lees.tekst(rapport, "d:GrpHdr/d:MsgId"),
        origineel_bericht_id=lees.tekst(groep, "d:OrgnlMsgId"),
        groepstatus=lees.tekst(groep, "d:GrpSts") or pmt_status,
        groepreden=lees.tekst(groep, "d:StsRsnInf/d:Rsn/d:Cd") or pmt_reden,
        bankdatum=_dag(lees.tekst(rapport, "d:GrpHdr/d:CreDtTm")),
        transacties=tuple(transacties),
    )


def lees_camt054(inhoud: bytes) -> Debetmelding:
    root = _gevalideerd(inhoud, CAMT054)
    lees = _Lezer(CAMT054)
    melding = root.find("d:BkToCstmrDbtCdtNtfctn", lees.ns)
    terug: list[Terugstorting] = []
    for ntry in lees.alle(melding, "d:Ntfctn/d:Ntry"):
        if lees.tekst(ntry, "d:Sts/d:Cd") not in (None, "BOOK"):
            continue  # pending or informational: not booked by the bank yet
        dag = lees.tekst(ntry, "d:BookgDt/d:Dt") or lees.tekst(ntry, "d:BookgDt/d:DtTm") \
            or lees.tekst(ntry, "d:ValDt/d:Dt") or lees.tekst(ntry, "d:ValDt/d:DtTm")
        for tx in lees.alle(ntry, "d:NtryDtls/d:TxDtls"):
            if tx.find("d:RtrInf", lees.ns) is None:
                continue  # not a return
            e2e = lees.tekst(tx, "d:Refs/d:EndToEndId")
            if e2e is None or dag is None:
                raise OngeldigeInvoer("A return without EndToEndId or booking date cannot be booked back.",
                                      rule="terugstorting-onvolledig")
            bedrag = tx.find("d:Amt", lees.ns)
            if bedrag is None:
                bedrag = ntry.find("d:Amt", lees.ns)
            terug.append(Terugstorting(e2e, _cent(bedrag.text, bedrag.get("Ccy")),
                                       lees.tekst(tx, "d:RtrInf/d:Rsn/d:Cd"), _dag(dag)))
    return Debetmelding(bericht_id=lees.tekst(melding, "d:GrpHdr/d:MsgId"), terugstortingen=tuple(terug))


__all__ = ["CAMT054", "PAIN002", "lees_camt054", "lees_pain002", "schema"]
