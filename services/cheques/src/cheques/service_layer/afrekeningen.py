"""Monthly settlements per organiser (remainder + fees, PR-20) and per party (insurance,
travel fund, issuer), read from the ledger by booking month (A-07)."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from cheques.adapters.referentie import organisator_namen
from cheques.domain.grootboek import PARTIJEN, partij
from cheques.domain.uitbetaling import Periode
from cheques.service_layer.uow import ChequesUnitOfWork
from wijkwerk.money import format_euro

KOLOMMEN = ("partij", "rekening", "organisator_id", "naam", "cheques", "debet", "credit", "saldo", "uit_cheques",
            "uit_inschrijvingen")


async def afrekening(periode: Periode, uow: ChequesUnitOfWork, organisator_id: uuid.UUID | None) -> list[dict[str, Any]]:
    """Rows per organiser and party; ``organisator_id`` limits them to one organiser."""
    async with uow:
        rijen = await uow.grootboek.per_rekening(periode.eerste_dag, organisator_id)
        if organisator_id is None:
            rijen = [r for r in rijen if partij(r["rekening"]) in (*PARTIJEN, "organisator")]
        ids = [uuid.UUID(r["rekening"].split(":", 1)[1]) for r in rijen if r["rekening"].startswith("organisator:")]
        namen = await organisator_namen(uow.session, ids)
    resultaat = []
    for r in rijen:
        oid = uuid.UUID(r["rekening"].split(":", 1)[1]) if ":" in r["rekening"] else None
        resultaat.append({
            "partij": partij(r["rekening"]), "rekening": r["rekening"], "organisator_id": oid,
            "naam": namen.get(oid) if oid else None, "cheques": int(r["cheques"]), "debet": int(r["debet"]),
            "credit": int(r["credit"]), "saldo": int(r["credit"]) - int(r["debet"]),
            "uit_cheques": int(r["uit_cheques"]), "uit_inschrijvingen": int(r["uit_inschrijvingen"]),
        })
    return resultaat


def als_csv(rijen: list[dict[str, Any]]) -> str:
    uit = io.StringIO()
    writer = csv.DictWriter(uit, fieldnames=KOLOMMEN, lineterminator="\n")
    writer.writeheader()
    for r in rijen:
        writer.writerow({
            **r,
            "organisator_id": r["organisator_id"] or "",
            "naam": r["naam"] or "",
            **{k: format_euro(r[k]) for k in ("debet", "credit", "saldo", "uit_cheques", "uit_inschrijvingen")},
        })
    return uit.getvalue()
