"""Handlers for the activity catalogue, its matrix and deviations, and placements."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError

from prestaties.domain.activiteit import Activiteit
from prestaties.domain.koppeling import Koppeling
from prestaties.service_layer import commands
from prestaties.service_layer.gebruikers import gebruiker_bij
from prestaties.service_layer.uow import PrestatiesUnitOfWork
from wijkwerk.events.prestaties import (
    ActiviteitOpgenomen,
    AfwijkingToegestaan,
    KoppelingBeeindigd,
    KoppelingGemaakt,
    ToegelatenCategorieenGewijzigd,
)
from wijkwerk.fouten import BestaatAl, NietGevonden, NogOnbekend


def _categorieen(activiteit: Activiteit) -> tuple[str, ...]:
    return tuple(sorted(c.value for c in activiteit.toegelaten))


async def neem_activiteit_op(cmd: commands.NeemActiviteitOp, uow: PrestatiesUnitOfWork) -> Activiteit:
    activiteit = Activiteit.neem_op(
        organisator_id=cmd.organisator_id, naam=cmd.naam, categorie=cmd.categorie, toegelaten=cmd.toegelaten
    )
    async with uow:
        if await uow.organisatoren.get(cmd.organisator_id) is None:
            raise NogOnbekend("This organiser is not known here yet.", rule="organisator-nog-onbekend")
        try:
            await uow.activiteiten.add(activiteit)
        except IntegrityError as exc:
            raise BestaatAl("The catalogue already has an activity with this name.", rule="activiteit-bestaat-al") from exc
        uow.emit(
            ActiviteitOpgenomen(
                activiteit_id=activiteit.id, organisator_id=activiteit.organisator_id, naam=activiteit.naam,
                categorie=activiteit.categorie.value, toegelaten_categorieen=_categorieen(activiteit),
            ),
            aggregate_version=activiteit.version,
        )
        await uow.commit()
    return activiteit


async def _activiteit(uow: PrestatiesUnitOfWork, activiteit_id: uuid.UUID) -> Activiteit:
    activiteit = await uow.activiteiten.get(activiteit_id, for_update=True)
    if activiteit is None:
        raise NietGevonden("No such activity.", rule="activiteit-onbekend")
    return activiteit


async def wijzig_toegelaten(cmd: commands.WijzigToegelatenCategorieen, uow: PrestatiesUnitOfWork) -> Activiteit:
    async with uow:
        activiteit = await _activiteit(uow, cmd.activiteit_id)
        activiteit.wijzig_toegelaten(cmd.toegelaten)
        await uow.activiteiten.save(activiteit)
        uow.emit(
            ToegelatenCategorieenGewijzigd(
                activiteit_id=activiteit.id, organisator_id=activiteit.organisator_id,
                toegelaten_categorieen=_categorieen(activiteit),
            ),
            aggregate_version=activiteit.version,
        )
        await uow.commit()
    return activiteit


async def sta_afwijking_toe(cmd: commands.StaAfwijkingToe, uow: PrestatiesUnitOfWork) -> Activiteit:
    async with uow:
        activiteit = await _activiteit(uow, cmd.activiteit_id)
        gebruiker = await uow.gebruikers.get(cmd.gebruiker_id)
        if gebruiker is None:
            raise NietGevonden("No such gebruiker.", rule="gebruiker-onbekend")
        afwijking = activiteit.sta_afwijking_toe(
            gebruiker, aangevraagd_op=cmd.aangevraagd_op, goedgekeurd_op=cmd.goedgekeurd_op,
            geldig_van=cmd.geldig_van, geldig_tot=cmd.geldig_tot, motivering=cmd.motivering,
        )
        await uow.activiteiten.add_afwijking(activiteit.id, afwijking)
        await uow.activiteiten.save(activiteit)
        uow.emit(
            AfwijkingToegestaan(
                activiteit_id=activiteit.id, organisator_id=activiteit.organisator_id, afwijking_id=afwijking.id,
                gebruiker_id=gebruiker.id, aangevraagd_op=afwijking.aangevraagd_op,
                goedgekeurd_op=afwijking.goedgekeurd_op, geldig_van=afwijking.geldig_van, geldig_tot=afwijking.geldig_tot,
            ),
            aggregate_version=activiteit.version,
        )
        await uow.commit()
    return activiteit


async def maak_koppeling(cmd: commands.MaakKoppeling, uow: PrestatiesUnitOfWork) -> Koppeling:
    async with uow:
        activiteit = await uow.activiteiten.get(cmd.activiteit_id)
        if activiteit is None or activiteit.organisator_id != cmd.organisator_id:
            raise NietGevonden("No such activity in this organiser's catalogue.", rule="activiteit-onbekend")
        gebruiker, erkenning = await gebruiker_bij(uow, cmd.gebruiker_id, cmd.organisator_id)
        if not await uow.vensters.heeft_traject_bij(cmd.wijkwerker_id, cmd.organisator_id):
            # Also for another organiser's worker: nothing tells the caller that the worker exists.
            raise NogOnbekend(
                "No trajectory of this worker with this organiser is known here yet.", rule="traject-nog-onbekend"
            )
        koppeling = Koppeling.maak(
            wijkwerker_id=cmd.wijkwerker_id, gebruiker=gebruiker, erkenning=erkenning, activiteit=activiteit,
            werkingsgebied=await uow.organisatoren.gebied(cmd.organisator_id),
            locatie_nis_code=cmd.locatie_nis_code, afstand_km=cmd.afstand_km, start=cmd.start,
        )
        await uow.koppelingen.add(koppeling)
        uow.emit(
            KoppelingGemaakt(
                koppeling_id=koppeling.id, wijkwerker_id=koppeling.wijkwerker_id, gebruiker_id=gebruiker.id,
                organisator_id=koppeling.organisator_id, activiteit_id=activiteit.id,
                activiteit_categorie=activiteit.categorie.value, gebruiker_categorie=gebruiker.categorie.value,
                locatie_nis_code=koppeling.locatie_nis_code, afstand_km=koppeling.afstand_km, start=koppeling.start,
            ),
            aggregate_version=koppeling.version,
        )
        await uow.commit()
    return koppeling


async def beeindig_koppeling(cmd: commands.BeeindigKoppeling, uow: PrestatiesUnitOfWork) -> Koppeling:
    async with uow:
        koppeling = await uow.koppelingen.get(cmd.koppeling_id, for_update=True)
        if koppeling is None:
            raise NietGevonden("No such placement.", rule="koppeling-onbekend")
        koppeling.beeindig(cmd.einde, cmd.reden)
        await uow.koppelingen.save(koppeling)
        uow.emit(
            KoppelingBeeindigd(
                koppeling_id=koppeling.id, wijkwerker_id=koppeling.wijkwerker_id, gebruiker_id=koppeling.gebruiker_id,
                organisator_id=koppeling.organisator_id, einde=cmd.einde, reden=cmd.reden,
            ),
            aggregate_version=koppeling.version,
        )
        await uow.commit()
    return koppeling
