"""A bank as tests and demos need one: the pain.002 status report and the camt.054
notification of returns a bank sends in answer to one of our pain.001 files, built from
that file (its message id, payment information id, end-to-end ids and amounts), valid
against the official XSDs. Not used by the service itself."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from cheques.adapters.bankberichten import CAMT054, PAIN002, schema

PAIN001 = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}


@dataclass(frozen=True)
class Opdracht:
    """What a bank reads from our pain.001."""

    bericht_id: str
    betaling_id: str
    debiteur_iban: str
    overschrijvingen: dict[str, str]  # end-to-end id → amount as written ("45.90")


def lees_pain001(inhoud: bytes) -> Opdracht:
    doc = ET.fromstring(inhoud)
    return Opdracht(
        bericht_id=doc.find(".//p:GrpHdr/p:MsgId", PAIN001).text,
        betaling_id=doc.find(".//p:PmtInf/p:PmtInfId", PAIN001).text,
        debiteur_iban=doc.find(".//p:PmtInf/p:DbtrAcct/p:Id/p:IBAN", PAIN001).text,
        overschrijvingen={
            tx.find("p:PmtId/p:EndToEndId", PAIN001).text: tx.find("p:Amt/p:InstdAmt", PAIN001).text
            for tx in doc.iterfind(".//p:CdtTrfTxInf", PAIN001)
        },
    )


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _reden(parent: ET.Element, code: str | None) -> None:
    if code:
        _sub(_sub(_sub(parent, "StsRsnInf"), "Rsn"), "Cd", code)


def _klaar(root: ET.Element, naam: str) -> bytes:
    inhoud = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    schema(naam).validate(inhoud)  # a test that sends an invalid file means to: build it by hand
    return inhoud


def statusrapport(
    pain001: bytes, *, op: datetime, groepstatus: str | None = "ACSC", groepreden: str | None = None,
    transacties: Mapping[str, tuple[str, str | None]] | None = None,
) -> bytes:
    """pain.002.001.10; ``transacties``: end-to-end id → (TxSts, reason code)."""
    opdracht = lees_pain001(pain001)
    root = ET.Element("Document", xmlns=f"urn:iso:std:iso:20022:tech:xsd:{PAIN002}")
    rapport = _sub(root, "CstmrPmtStsRpt")
    kop = _sub(rapport, "GrpHdr")
    _sub(kop, "MsgId", f"STS-{uuid.uuid4().hex[:20]}")
    _sub(kop, "CreDtTm", op.isoformat(timespec="seconds"))
    groep = _sub(rapport, "OrgnlGrpInfAndSts")
    _sub(groep, "OrgnlMsgId", opdracht.bericht_id)
    _sub(groep, "OrgnlMsgNmId", "pain.001.001.09")
    if groepstatus:
        _sub(groep, "GrpSts", groepstatus)
        _reden(groep, groepreden)
    if transacties:
        pmt = _sub(rapport, "OrgnlPmtInfAndSts")
        _sub(pmt, "OrgnlPmtInfId", opdracht.betaling_id)
        for e2e, (status, reden) in transacties.items():
            tx = _sub(pmt, "TxInfAndSts")
            _sub(tx, "OrgnlEndToEndId", e2e)
            _sub(tx, "TxSts", status)
            _reden(tx, reden)
    return _klaar(root, PAIN002)


def debetmelding(pain001: bytes, teruggestort: Mapping[str, str], *, boekdatum: date) -> bytes:
    """camt.054.001.08 with one booked entry per returned transfer (end-to-end id → return
    reason code, e.g. AC04 closed account), credited back to the debtor's account."""
    opdracht = lees_pain001(pain001)
    root = ET.Element("Document", xmlns=f"urn:iso:std:iso:20022:tech:xsd:{CAMT054}")
    melding = _sub(root, "BkToCstmrDbtCdtNtfctn")
    kop = _sub(melding, "GrpHdr")
    _sub(kop, "MsgId", f"NTF-{uuid.uuid4().hex[:20]}")
    _sub(kop, "CreDtTm", f"{boekdatum.isoformat()}T18:00:00")
    ntfctn = _sub(melding, "Ntfctn")
    _sub(ntfctn, "Id", f"NTF-{boekdatum.isoformat()}")
    _sub(_sub(_sub(ntfctn, "Acct"), "Id"), "IBAN", opdracht.debiteur_iban)
    for e2e, reden in teruggestort.items():
        bedrag = opdracht.overschrijvingen[e2e]
        ntry = _sub(ntfctn, "Ntry")
        _sub(ntry, "Amt", bedrag, Ccy="EUR")
        _sub(ntry, "CdtDbtInd", "CRDT")
        _sub(_sub(ntry, "Sts"), "Cd", "BOOK")
        _sub(_sub(ntry, "BookgDt"), "Dt", boekdatum.isoformat())
        _sub(_sub(ntry, "ValDt"), "Dt", boekdatum.isoformat())
        domein = _sub(_sub(ntry, "BkTxCd"), "Domn")
        _sub(domein, "Cd", "PMNT")
        familie = _sub(domein, "Fmly")
        _sub(familie, "Cd", "ICDT")
        _sub(familie, "SubFmlyCd", "RRTN")
        tx = _sub(_sub(ntry, "NtryDtls"), "TxDtls")
        _sub(_sub(tx, "Refs"), "EndToEndId", e2e)
        _sub(tx, "Amt", bedrag, Ccy="EUR")
        _sub(tx, "CdtDbtInd", "CRDT")
        _sub(_sub(_sub(tx, "RtrInf"), "Rsn"), "Cd", reden)
    return _klaar(root, CAMT054)


def main(argv: list[str] | None = None) -> None:
    """``python -m cheques.testbank statusrapport|debetmelding <pain001.xml> …``: the bank's
    answer on stdout, to try the lifecycle on the embedded system (README)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m cheques.testbank")
    parser.add_argument("soort", choices=("statusrapport", "debetmelding"))
    parser.add_argument("pain001", type=argparse.FileType("rb"))
    parser.add_argument("--groepstatus", default="PART", help="pain.002 group status (ACSC, PART, RJCT, …)")
    parser.add_argument("--weiger", action="append", default=[], metavar="E2E=CODE",
                        help="pain.002: reject this transfer with this reason code (repeatable)")
    parser.add_argument("--terug", action="append", default=[], metavar="E2E=CODE",
                        help="camt.054: this transfer came back with this reason code (repeatable)")
    parser.add_argument("--op", default=None, help="the bank's date (YYYY-MM-DD); default today")
    args = parser.parse_args(argv)
    dag = date.fromisoformat(args.op) if args.op else date.today()
    pain001 = args.pain001.read()
    paren = [tuple(p.split("=", 1)) for p in (args.weiger if args.soort == "statusrapport" else args.terug)]
    if args.soort == "statusrapport":
        inhoud = statusrapport(pain001, op=datetime(dag.year, dag.month, dag.day, 9), groepstatus=args.groepstatus,
                               transacties={e2e: ("RJCT", code) for e2e, code in paren})
    else:
        inhoud = debetmelding(pain001, dict(paren), boekdatum=dag)
    sys.stdout.buffer.write(inhoud)


if __name__ == "__main__":
    main()
