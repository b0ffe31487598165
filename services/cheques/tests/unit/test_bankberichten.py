"""The bank's files are read only after validation against the vendored ISO 20022 XSDs;
the test bank builds them from one of our own pain.001 files."""

import hashlib
from datetime import date, datetime

import pytest

from cheques import testbank
from cheques.adapters import bankberichten
from cheques.adapters.sepa import Opdrachtgever, Overschrijving, schrijf_pain001
from wijkwerk.fouten import OngeldigeInvoer

PAIN001 = schrijf_pain001(
    Opdrachtgever("VDAB", "BE71096123456769"), date(2026, 4, 1),
    [Overschrijving("An Peeters", "BE68539007547034", 4590, "Wijk-werken 2026-03", "E1"),
     Overschrijving("Bart Claes", "BE62510007547061", 410, "Wijk-werken 2026-03", "E2")],
    bericht_id="WIJKWERK-UITBETALING-2026-03",
)


def test_the_vendored_schemas_are_iso_s_published_ones():
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in bankberichten.XSD_MAP.glob("*.xsd")}
    assert digests == {
        "pain.002.001.10.xsd": "2f9f8d0e9891fa9f31ccf0576397afe501614384d688ae6e43ba694b3d24b0cf",
        "camt.054.001.08.xsd": "2b392a1f7e70e70902fd0d803ff85989613bd1cae351663240b0bb9243be2c28",
    }


def test_a_status_report_names_the_run_the_date_and_each_transfer_s_status():
    inhoud = testbank.statusrapport(PAIN001, op=datetime(2026, 4, 3, 9, 30), groepstatus="PART",
                                    transacties={"E2": ("RJCT", "AC04")})
    rapport = bankberichten.lees_pain002(inhoud)
    assert (rapport.origineel_bericht_id, rapport.groepstatus, rapport.bankdatum) == (
        "WIJKWERK-UITBETALING-2026-03", "PART", date(2026, 4, 3))
    assert [(t.end_to_end_id, t.status, t.reden) for t in rapport.transacties] == [("E2", "RJCT", "AC04")]


def test_a_notification_lists_the_returns_with_their_amount_reason_and_booking_date():
    inhoud = testbank.debetmelding(PAIN001, {"E1": "AC04"}, boekdatum=date(2026, 4, 8))
    melding = bankberichten.lees_camt054(inhoud)
    assert [(t.end_to_end_id, t.bedrag_cent, t.reden, t.bankdatum) for t in melding.terugstortingen] == [
        ("E1", 4590, "AC04", date(2026, 4, 8))]


def _fout(lees, inhoud) -> OngeldigeInvoer:
    with pytest.raises(OngeldigeInvoer) as fout:
        lees(inhoud)
    return fout.value


def test_a_file_the_schema_refuses_is_refused_naming_the_rule_and_the_schema():
    goed = testbank.statusrapport(PAIN001, op=datetime(2026, 4, 3, 9, 30), transacties={"E2": ("RJCT", "AC04")})
    fout = _fout(bankberichten.lees_pain002, goed.replace(b"<TxSts>RJCT</TxSts>", b"<TxSts>NOPE!</TxSts>"))
    assert (fout.rule, fout.extra["schema"]) == ("bankbestand-ongeldig", "pain.002.001.10")
    assert "TxSts" in str(fout)
    fout = _fout(bankberichten.lees_pain002, goed.replace(b"<OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>", b""))
    assert fout.rule == "bankbestand-ongeldig"


def test_the_wrong_message_type_garbage_and_entities_are_refused():
    melding = testbank.debetmelding(PAIN001, {"E1": "AC04"}, boekdatum=date(2026, 4, 8))
    assert _fout(bankberichten.lees_pain002, melding).rule == "bankbestand-soort-onjuist"
    assert _fout(bankberichten.lees_camt054, b"not xml at all").rule == "bankbestand-ongeldig"
    bom = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>'
    assert _fout(bankberichten.lees_camt054, bom).rule == "bankbestand-ongeldig"


def test_entries_that_are_no_booked_return_are_left_out():
    inhoud = testbank.debetmelding(PAIN001, {"E1": "AC04", "E2": "MD07"}, boekdatum=date(2026, 4, 8))
    # the first entry is pending, not booked; the second is no return (no RtrInf)
    pending = inhoud.replace(b"<Cd>BOOK</Cd>", b"<Cd>PDNG</Cd>", 1)
    assert [t.end_to_end_id for t in bankberichten.lees_camt054(pending).terugstortingen] == ["E2"]
    start, end = inhoud.rindex(b"<RtrInf>"), inhoud.rindex(b"</RtrInf>") + len(b"</RtrInf>")
    geen_terugstorting = inhoud[:start] + inhoud[end:]
    assert [t.end_to_end_id for t in bankberichten.lees_camt054(geen_terugstorting).terugstortingen] == ["E1"]


def test_the_test_bank_command_writes_the_answer_to_a_file_the_service_reads(tmp_path, capsysbinary):
    bestand = tmp_path / "pain001.xml"
    bestand.write_bytes(PAIN001)
    testbank.main(["statusrapport", str(bestand), "--weiger", "E2=AC04", "--op", "2026-04-03"])
    rapport = bankberichten.lees_pain002(capsysbinary.readouterr().out)
    assert (rapport.groepstatus, rapport.bankdatum, rapport.transacties[0].reden) == ("PART", date(2026, 4, 3), "AC04")
    testbank.main(["debetmelding", str(bestand), "--terug", "E1=MD07", "--op", "2026-04-08"])
    melding = bankberichten.lees_camt054(capsysbinary.readouterr().out)
    assert [(t.end_to_end_id, t.reden) for t in melding.terugstortingen] == [("E1", "MD07")]
