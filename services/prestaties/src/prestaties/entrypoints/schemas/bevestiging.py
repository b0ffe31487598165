"""Schemas of the confirmation window (issue #23 item 3)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from prestaties.domain.bevestiging import Uitkomst
from prestaties.entrypoints.schemas import Reden, verzoek


class BeslissingIn(BaseModel):
    model_config = verzoek(uitkomst="gehandhaafd", toelichting="Aanwezigheidslijst van de school bevestigt drie uur.",
                           beslecht_op="2026-03-13")

    uitkomst: Uitkomst = Field(description="gehandhaafd: the prestatie stands (payable); afgewezen: it is "
                               "cancelled and reversed")
    toelichting: Reden
    beslecht_op: date | None = Field(None, description="The resolution's business date (default: today); on or "
                                     "after the dispute, not in the future")
