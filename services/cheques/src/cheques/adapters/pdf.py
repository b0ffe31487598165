"""The payout slip and the yearly statement as PDF (fpdf2). The values come from
:mod:`cheques.domain.documenten`; this module only lays them out. A document carries its
business date as its creation date, so the same facts give the same file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from fpdf import FPDF

from cheques.domain.documenten import CHEQUE, Jaaroverzicht, Loonbrief, euro

MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


def _latin1(tekst: str) -> str:
    """The PDF core fonts are Latin-1: anything else is replaced, never an error."""
    return tekst.encode("latin-1", "replace").decode("latin-1")


class _Document(FPDF):
    def __init__(self, titel: str, datum: date) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.titel = titel
        self.set_title(titel)
        self.set_author("Wijk-werken platform")
        self.set_creator("wijkwerk cheques")
        self.set_creation_date(datetime(datum.year, datum.month, datum.day, tzinfo=UTC))
        self.set_auto_page_break(auto=True, margin=15)
        self.add_page()
        self.set_font("Helvetica", "B", 15)
        self.cell(0, 9, _latin1(titel), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", size=9)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=7)
        self.cell(0, 5, _latin1(f"{self.titel} - pagina {self.page_no()}/{{nb}}"), align="C")

    def regel(self, tekst: str, *, vet: bool = False) -> None:
        self.set_font("Helvetica", "B" if vet else "", 9)
        self.cell(0, 5.5, _latin1(tekst), new_x="LMARGIN", new_y="NEXT")

    def tabel(self, kop: Sequence[str], rijen: Sequence[Sequence[str]], breedtes: Sequence[float],
              rechts: set[int]) -> None:
        self.ln(2)
        self.set_font("Helvetica", "B", 8)
        for tekst, breedte in zip(kop, breedtes, strict=True):
            self.cell(breedte, 6, _latin1(tekst), border="B")
        self.ln()
        self.set_font("Helvetica", size=7.5)
        for rij in rijen:
            for i, (tekst, breedte) in enumerate(zip(rij, breedtes, strict=True)):
                self.cell(breedte, 5, _latin1(tekst), align="R" if i in rechts else "L")
            self.ln()
        self.ln(2)

    def bytes(self) -> bytes:
        return bytes(self.output())


def loonbrief_pdf(brief: Loonbrief, opgemaakt_op: date) -> bytes:
    pdf = _Document(f"Loonbrief wijk-werken {brief.periode}", opgemaakt_op)
    pdf.regel(f"Wijk-werker: {brief.wijkwerker_id}")
    pdf.regel(f"Periode: {brief.periode} (alle boekingen met een datum in deze maand)")
    if brief.deel_van_organisator is not None:
        pdf.regel(f"Deel van organisator {brief.deel_van_organisator}: enkel prestaties in zijn werkingsgebied")
    rijen = [
        (lijn.geboekt_op.isoformat(), lijn.prestatie_datum.isoformat() if lijn.prestatie_datum else "-",
         str(lijn.gebruiker_id or "-"), str(lijn.uren) if lijn.soort == CHEQUE else "",
         ("storno " if lijn.storno else "") + (lijn.omschrijving.removeprefix("storno ")), euro(lijn.bedrag_cent))
        for lijn in brief.lijnen
    ]
    pdf.tabel(("Geboekt", "Prestatie", "Gebruiker", "Uren", "Omschrijving", "Bedrag"), rijen,
              (19, 19, 58, 10, 56, 28), {3, 5})
    if not rijen:
        pdf.regel("Geen boekingen in deze maand.")
    pdf.regel(f"Begonnen uren: {brief.uren}", vet=True)
    pdf.regel(f"Vergoeding per begonnen uur: {euro(brief.loon_cent)}", vet=True)
    pdf.regel(f"Verplaatsingsvergoeding: {euro(brief.reis_cent)}", vet=True)
    pdf.regel(f"Totaal verdiend in {brief.periode}: {euro(brief.totaal_cent)}", vet=True)
    if brief.uitbetaald_cent is not None:
        pdf.regel(f"Uitbetaald voor {brief.periode}: {euro(brief.uitbetaald_cent)} ({brief.uitbetalingsstatus})")
    elif brief.deel_van_organisator is None:
        pdf.regel(f"Nog geen uitbetaling voor {brief.periode}.")
    pdf.ln(3)
    pdf.regel("De bedragen zijn de boekingen van het grootboek op de rekening van de wijk-werker; een uitbetaling "
              "betaalt wat tot het einde van de maand verdiend en nog niet betaald is.")
    return pdf.bytes()


def jaaroverzicht_pdf(overzicht: Jaaroverzicht, opgemaakt_op: date) -> bytes:
    pdf = _Document(f"Jaaroverzicht wijk-werkcheques {overzicht.jaar}", opgemaakt_op)
    pdf.regel(f"Gebruiker: {overzicht.gebruiker_id}")
    pdf.regel(f"Jaar: {overzicht.jaar} (alle feiten met een datum in dit jaar)")
    if overzicht.deel_van_organisator is not None:
        pdf.regel(f"Deel van organisator {overzicht.deel_van_organisator}: enkel cheques voor deze organisator")
    pdf.regel("Gekochte cheques", vet=True)
    pdf.tabel(("Besteld op", "Organisator", "Drager", "Aantal", "Prijs", "Totaal"),
              [(b.besteld_op.isoformat(), b.organisator[:48], b.drager, str(b.aantal), euro(b.prijs_cent),
                euro(b.totaal_cent)) for b in overzicht.bestellingen],
              (22, 70, 24, 16, 26, 32), {3, 4, 5})
    pdf.regel(f"Gekocht: {overzicht.gekocht} cheques, {euro(overzicht.gekocht_cent)}", vet=True)
    pdf.ln(2)
    pdf.regel("Gebruikte cheques per maand", vet=True)
    pdf.tabel(("Maand", "Gebruikt", "Waarde", "Teruggedraaid", "Netto", "Terugbetaald", "Vervallen"),
              [(MAANDEN[m.maand - 1], str(m.gebruikt), euro(m.gebruikt_cent), str(m.teruggedraaid),
                euro(m.netto_cent), str(m.terugbetaald), str(m.vervallen)) for m in overzicht.maanden],
              (26, 22, 30, 26, 30, 28, 28), {1, 2, 3, 4, 5, 6})
    pdf.regel(f"Gebruikt (netto): {overzicht.gebruikt} cheques, {euro(overzicht.gebruikt_cent)}", vet=True)
    pdf.regel(f"Terugbetaald: {overzicht.terugbetaald} - vervallen: {overzicht.vervallen}", vet=True)
    return pdf.bytes()
