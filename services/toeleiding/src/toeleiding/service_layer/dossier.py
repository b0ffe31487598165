"""Dossier maintenance: dated changes of the personal data, with their history."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from toeleiding.domain.wijkwerker import Wijkwerker
from toeleiding.domain.wijziging import Adres, Gegevens, Wijziging, wijzigingen
from toeleiding.service_layer import commands
from toeleiding.service_layer.uow import ToeleidingUnitOfWork
from wijkwerk.events.toeleiding import WijkwerkerGewijzigd
from wijkwerk.fouten import NietGevonden


def _bij_inschrijving(w: Wijkwerker, gegevens: Gegevens) -> Wijziging:
    """The registration's value, kept as the history's first entry of its kind."""
    per_soort: dict[Gegevens, dict[str, Any]] = {
        Gegevens.IBAN: {"iban": w.iban},
        Gegevens.NAAM: {"voornaam": w.voornaam, "achternaam": w.achternaam},
        Gegevens.ADRES: {"adres_straat": w.adres_straat, "adres_huisnummer": w.adres_huisnummer,
                         "adres_postcode": w.adres_postcode, "domicilie_nis_code": w.domicilie_nis_code},
    }
    return Wijziging(uuid.uuid4(), w.id, gegevens, w.ingeschreven_op, per_soort[gegevens], "inschrijving", None)


async def wijzig_dossier(cmd: commands.WijzigDossier, uow: ToeleidingUnitOfWork,
                        vingerafdruk_sleutel: bytes | None = None) -> Wijkwerker:
    async with uow:
        w = await uow.wijkwerkers.get(cmd.wijkwerker_id, for_update=True)
        if w is None:
            raise NietGevonden("No such dossier.", rule="wijkwerker-onbekend")
        organisator = await uow.organisatoren.get(w.organisator_id)
        assert organisator is not None
        nieuwe = wijzigingen(
            w, organisator, gewijzigd_op=cmd.gewijzigd_op, iban=cmd.iban, naam=cmd.naam,
            adres=Adres(*cmd.adres) if cmd.adres else None, reden=cmd.reden, door=cmd.door,
        )
        bestaande = {h.gegevens for h in await uow.wijzigingen.van(w.id)}
        in_voege: dict[str, Any] = {}
        for wijziging in nieuwe:
            if wijziging.gegevens not in bestaande:
                await uow.wijzigingen.add(_bij_inschrijving(w, wijziging.gegevens))
            if not await uow.wijzigingen.later_bestaat(w.id, wijziging.gegevens, wijziging.gewijzigd_op):
                in_voege |= wijziging.waarde
            await uow.wijzigingen.add(wijziging)
        if in_voege:
            await uow.wijkwerkers.zet_gegevens(w.id, in_voege)
        # That the dossier changed, never what (ARCHITECTURE §2: no personal data in events);
        # the IBAN and address in force after it only as keyed fingerprints (ADR 0024).
        uow.emit(WijkwerkerGewijzigd(wijkwerker_id=w.id, organisator_id=w.organisator_id,
                                     gewijzigd_op=cmd.gewijzigd_op,
                                     **replace(w, **in_voege).vingerafdrukken(vingerafdruk_sleutel)))
        await uow.commit()
        gewijzigd = await uow.wijkwerkers.get(w.id)
    assert gewijzigd is not None
    return gewijzigd
