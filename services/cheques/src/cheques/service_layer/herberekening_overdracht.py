"""The recompute's fold, started at a close (ADR 0014): a part of
:class:`cheques.service_layer.herberekening.Herberekening`.

The state the full replay would carry across the close — what each worker earned per
month and was paid, the payouts not booked back, the cheques still validated and the
travel allowances still granted on the days the later events name, the fees already
booked, the closes — is taken from the closed months' ledger rows
(:mod:`cheques.adapters.overdracht`), which the verified hash chain covers."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from cheques.domain.grootboek import Transactie, inschrijving_transactie

if TYPE_CHECKING:
    from cheques.adapters.overdracht import Overdracht


class OverdrachtFold:
    """Mixin: sets the fold's carried fields (see :class:`Herberekening`)."""

    if TYPE_CHECKING:
        _verdiend: dict[str, dict[date, int]]
        _betaald: dict[str, int]
        _uitbetaald: dict[tuple[str, str], int]
        _actief: set[tuple[str, str]]
        _reis: dict[tuple[str, str], int]
        _dag_cheques: dict[tuple[str, str], int]
        _inschrijvingen: dict[str, Transactie]
        _afgesloten: dict[date, str]

    def neem_over(self, o: Overdracht) -> None:
        self._verdiend = {w: dict(per_maand) for w, per_maand in o.verdiend.items()}
        self._betaald.update(o.betaald)
        self._uitbetaald.update(o.uitbetaald)
        self._actief |= o.actief
        self._reis.update(o.reis)
        self._dag_cheques.update(o.dag_cheques)
        for sleutel, dag, organisator_id, bedrag in o.inschrijvingen:  # booked once per key: not again
            _, erkenning_id, jaar = sleutel.split(":")
            self._inschrijvingen[sleutel] = inschrijving_transactie(
                uuid.UUID(erkenning_id), int(jaar), bedrag, uuid.UUID(organisator_id), dag)
        self._afgesloten.update(o.afgesloten)
