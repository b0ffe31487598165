"""The work-experience certificate as PDF (fpdf2), with a QR code (segno) carrying its
verification URL. The signed statement travels inside the file as an attachment
(``getuigschrift.json``, the exact signed bytes) with its signature (``getuigschrift.sig``,
base64url Ed25519), so a reader can check it offline against the published key; the same
signature is printed on the page."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import segno
from fpdf import FPDF

from evaluatie.adapters.getuigschriften import Opgeslagen
from evaluatie.domain.getuigschrift import Verklaring

UITKOMSTEN = {"zelfde_klus": "verder in dezelfde klus", "uitstroom_werk": "uitstroom naar werk",
              "ander_traject": "doorstroom naar een ander traject", "stopt": "stopt"}


def _latin1(tekst: str) -> str:
    return tekst.encode("latin-1", "replace").decode("latin-1")


def getuigschrift_pdf(opgeslagen: Opgeslagen, verklaring: Verklaring, url: str) -> bytes:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    titel = "Getuigschrift werkervaring wijk-werken"
    pdf.set_title(titel)
    pdf.set_author(_latin1(verklaring.organisator))
    pdf.set_creator("wijkwerk evaluatie")
    pdf.set_keywords(f"getuigschrift {verklaring.getuigschrift_id}")
    pdf.set_creation_date(datetime(verklaring.op.year, verklaring.op.month, verklaring.op.day, tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, titel, new_x="LMARGIN", new_y="NEXT")

    def regel(tekst: str, *, vet: bool = False, grootte: float = 10) -> None:
        pdf.set_font("Helvetica", "B" if vet else "", grootte)
        pdf.multi_cell(0, 6, _latin1(tekst), new_x="LMARGIN", new_y="NEXT")

    regel(f"Naam: {verklaring.naam}", vet=True, grootte=12)
    regel(f"Organisator: {verklaring.organisator}")
    regel(f"Stand op: {verklaring.op.isoformat()} (alle feiten tot en met deze datum)")
    if verklaring.van and verklaring.tot:
        regel(f"Periode: {verklaring.van.isoformat()} tot {verklaring.tot.isoformat()}")
    pdf.ln(2)
    regel("Gepresteerde uren per activiteit (begonnen uren)", vet=True)
    pdf.set_font("Helvetica", "B", 9)
    for kop, breedte in (("Activiteit", 80), ("Van", 30), ("Tot", 30), ("Uren", 20)):
        pdf.cell(breedte, 6, kop, border="B")
    pdf.ln()
    pdf.set_font("Helvetica", size=9)
    for a in verklaring.activiteiten:
        pdf.cell(80, 6, _latin1(a.activiteit))
        pdf.cell(30, 6, a.van.isoformat())
        pdf.cell(30, 6, a.tot.isoformat())
        pdf.cell(20, 6, str(a.uren), align="R")
        pdf.ln()
    regel(f"Totaal: {verklaring.uren} uren", vet=True)
    pdf.ln(2)
    regel("Evaluaties", vet=True)
    if not verklaring.evaluaties:
        regel("Geen evaluatie tot en met deze datum.")
    for e in verklaring.evaluaties:
        regel(f"{e.datum.isoformat()}: {UITKOMSTEN.get(e.uitkomst, e.uitkomst)}")
    pdf.ln(2)
    regel("Echtheid nagaan: scan de QR-code of open", vet=True)
    regel(url, grootte=8)
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    pdf.image(qr, w=40, h=40)
    regel(f"Ondertekend door het wijk-werkplatform (Ed25519, sleutel {opgeslagen.sleutel_id}):", grootte=7)
    regel(opgeslagen.handtekening, grootte=7)
    pdf.embed_file(bytes=opgeslagen.inhoud.encode("utf-8"), basename="getuigschrift.json",
                   desc="De ondertekende verklaring", compress=False)
    pdf.embed_file(bytes=opgeslagen.handtekening.encode("ascii"), basename="getuigschrift.sig",
                   desc="Ed25519-handtekening (base64url) over getuigschrift.json", compress=False)
    return bytes(pdf.output())
