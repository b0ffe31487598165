"""The payout slip's and the yearly statement's values (issue #23 item 5), without I/O."""

from __future__ import annotations

import io
import uuid
from datetime import date

import pytest
from pypdf import PdfReader

from cheques.adapters.pdf import jaaroverzicht_pdf, loonbrief_pdf
from cheques.domain.documenten import (
    CHEQUE,
    REIS,
    Bestellijn,
    Jaaroverzicht,
    Loonbrief,
    Maandgebruik,
    Sliplijn,
    euro,
    jaar_van,
    ontleed_sleutel,
)
from wijkwerk.fouten import OngeldigeInvoer

G, K = uuid.uuid4(), uuid.uuid4()


def test_a_ledger_key_names_the_kind_of_posting_and_what_it_is_about():
    assert ontleed_sleutel("cheque:WW-2026-000123") == (CHEQUE, False, "WW-2026-000123")
    assert ontleed_sleutel("cheque:WW-2026-000123:2") == (CHEQUE, False, "WW-2026-000123")
    assert ontleed_sleutel("storno:cheque:WW-2026-000123:2") == (CHEQUE, True, "WW-2026-000123")
    assert ontleed_sleutel(f"reis:{K}:2026-03-02:3") == (REIS, False, f"{K}:2026-03-02")
    assert ontleed_sleutel(f"storno:reis:{K}:2026-03-02") == (REIS, True, f"{K}:2026-03-02")


def test_euro_amounts_are_written_the_dutch_way_from_cents():
    assert [euro(c) for c in (0, 5, 410, -410, 123456)] == [
        "EUR 0,00", "EUR 0,05", "EUR 4,10", "EUR -4,10", "EUR 1.234,56"]


def test_a_storno_takes_back_the_hour_and_the_amount():
    brief = Loonbrief(uuid.uuid4(), "2026-03", (
        Sliplijn(CHEQUE, date(2026, 3, 3), 410, "cheque A", date(2026, 3, 2), G),
        Sliplijn(CHEQUE, date(2026, 3, 3), 410, "cheque B", date(2026, 3, 2), G),
        Sliplijn(REIS, date(2026, 3, 3), 300, "verplaatsingsvergoeding 2026-03-02", date(2026, 3, 2), G),
        Sliplijn(CHEQUE, date(2026, 3, 20), -410, "storno cheque B", date(2026, 3, 2), G, storno=True),
    ))
    assert (brief.uren, brief.loon_cent, brief.reis_cent, brief.totaal_cent) == (1, 410, 300, 710)
    tekst = PdfReader(io.BytesIO(loonbrief_pdf(brief, date(2026, 4, 1)))).pages[0].extract_text()
    assert "2026-03-20 2026-03-02" in tekst and "-1 storno cheque B EUR -4,10" in tekst
    assert "Totaal verdiend in 2026-03: EUR 7,10" in tekst


def test_the_statement_nets_reversed_validations():
    overzicht = Jaaroverzicht(G, 2026, (Bestellijn(date(2026, 1, 5), K, "Wijk-werken Brugge", "elektronisch", 4, 595),),
                              (Maandgebruik(2, gebruikt=3, gebruikt_cent=1785, teruggedraaid=1, teruggedraaid_cent=595),
                               Maandgebruik(12, vervallen=1)))
    totalen = (overzicht.gekocht, overzicht.gekocht_cent, overzicht.gebruikt, overzicht.gebruikt_cent)
    assert totalen == (4, 2380, 2, 1190)
    tekst = PdfReader(io.BytesIO(jaaroverzicht_pdf(overzicht, date(2026, 12, 31)))).pages[0].extract_text()
    assert "februari 3 EUR 17,85 1 EUR 11,90 0 0" in tekst and "december 0 EUR 0,00 0 EUR 0,00 0 1" in tekst


@pytest.mark.parametrize("tekst", ["2017", "26", "20a6", "3000"])
def test_a_statement_year_is_a_year_of_the_scheme(tekst):
    with pytest.raises(OngeldigeInvoer) as fout:
        jaar_van(tekst)
    assert fout.value.rule == "jaar-ongeldig"
