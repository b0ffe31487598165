"""Event handlers that fold every topic into the reporting read models; each gets a unit
of work joined to the inbox transaction (``(event, uow)``, as commands)."""

from collections.abc import Awaitable, Callable
from typing import Any

from evaluatie.service_layer.uow import EvaluatieUnitOfWork
from wijkwerk.events import cheques as c
from wijkwerk.events import prestaties as p
from wijkwerk.events.toeleiding import (
    OrganisatorGeregistreerd,
    OvereenkomstGetekend,
    ToeleidingOntvangen,
    TrajectBeeindigd,
    TrajectGeschorst,
    TrajectGestart,
    TrajectVerlengd,
    WijkwerkerIngeschreven,
)


async def organisator_geregistreerd(event: OrganisatorGeregistreerd, uow: EvaluatieUnitOfWork) -> None:
    await uow.leesmodellen.organisator(event.organisator_id, event.naam, event.samenwerkingsverband)


async def wijkwerker_ingeschreven(event: WijkwerkerIngeschreven, uow: EvaluatieUnitOfWork) -> None:
    await uow.leesmodellen.dossier(
        event.wijkwerker_id, event.organisator_id, event.ex_pwa, event.uitkeringsstatus, event.ingeschreven_op,
        event.onbeperkt_recht, event.domicilie_nis_code,
    )


async def toeleiding_ontvangen(event: ToeleidingOntvangen, uow: EvaluatieUnitOfWork) -> None:
    await uow.leesmodellen.toeleiding(
        event.model_dump(
            include={
                "toeleiding_id", "wijkwerker_id", "organisator_id", "toeleider_type", "advies_maanden",
                "ontvangen_op", "uitkeringsstatus", "ex_pwa", "hertoeleiding", "toeleider_org",
            }
        )
    )


async def traject_gestart(e: TrajectGestart, uow: EvaluatieUnitOfWork) -> None:
    await uow.trajecten.gestart(
        e.traject_id, e.wijkwerker_id, e.organisator_id, e.start, e.gepland_einde, e.toeleiding_id
    )


async def overeenkomst_getekend(e: OvereenkomstGetekend, uow: EvaluatieUnitOfWork) -> None:
    await uow.trajecten.wijzig(e.traject_id, overeenkomst_op=e.getekend_op)


async def traject_verlengd(e: TrajectVerlengd | TrajectGeschorst, uow: EvaluatieUnitOfWork) -> None:
    """The planned end moved: an end the housekeeping job gave at the old planned end no
    longer holds (toeleiding reopened the trajectory; a decided end refuses the change)."""
    await uow.trajecten.verleng(e.traject_id, e.gepland_einde)


async def traject_beeindigd(e: TrajectBeeindigd, uow: EvaluatieUnitOfWork) -> None:
    await uow.trajecten.wijzig(e.traject_id, werkelijk_einde=e.einde, einde_reden=e.reden, vervolg=e.vervolg)


def _schrijf(soort: str, *velden: str) -> Callable[[Any, EvaluatieUnitOfWork], Awaitable[None]]:
    """A handler that copies the named event fields into the ``soort`` read model."""

    async def handle(event: Any, uow: EvaluatieUnitOfWork) -> None:
        await uow.werk.schrijf(soort, **{v: getattr(event, v) for v in velden})

    return handle


_ERKENNING = ("erkenning_id",)
WERK_EN_GELD: dict[type[Any], Callable[[Any, EvaluatieUnitOfWork], Awaitable[None]]] = {
    p.PrestatieGeregistreerd: _schrijf(
        "prestatie", "prestatie_id", "wijkwerker_id", "gebruiker_id", "organisator_id", "activiteit_categorie",
        "gebruiker_categorie", "datum", "begonnen_uren",
    ),
    p.PrestatieGecorrigeerd: _schrijf("correctie", "prestatie_id", "begonnen_uren"),
    p.PrestatieGeannuleerd: _schrijf("annulering", "prestatie_id"),
    p.GebruikerGeregistreerd: _schrijf("gebruiker", "gebruiker_id", "categorie", "geslacht", "aangemeld_op", "aangemeld_bij"),
    p.ErkenningOndertekend: _schrijf("ondertekend", *_ERKENNING, "overeenkomst_op"),
    p.ErkenningHernieuwd: _schrijf("periode", *_ERKENNING, "geldig_van", "geldig_tot"),
    p.InschrijvingsrechtBetaald: _schrijf("betaald", *_ERKENNING, "geldig_van", "geldig_tot", "betaald_op", "bedrag_cent"),
    p.ErkenningStopgezet: _schrijf("stopgezet", *_ERKENNING, "einde"),
    p.ContactGeregistreerd: _schrijf("contact", "contact_id", "gebruiker_id", "organisator_id", "datum", "kanaal", "reden"),
    c.ChequesBesteld: _schrijf("bestelling", "bestelling_id", "organisator_id", "drager", "aantal", "totaal_cent", "besteld_op"),
    c.ChequeGevalideerd: _schrijf(
        "cheque", "serienummer", "organisator_id", "wijkwerker_id", "drager", "prestatie_datum", "gevalideerd_op",
        "prijs_cent", "wijkwerker_cent", "verzekering_cent", "reisfonds_cent", "uitgever_cent", "organisator_cent",
        "validatie",
    ),
    c.ChequeTerugbetaald: _schrijf("terugbetaald", "serienummer", "terugbetaald_op"),
    c.UitbetalingUitgevoerd: _schrijf("uitbetaling", "end_to_end_id", "wijkwerker_id", "periode", "bedrag_cent",
                                      "uitgevoerd_op"),
    c.UitbetalingTeruggeboekt: _schrijf("teruggeboekt", "end_to_end_id", "bankdatum", "reden", "bron"),
    c.VerplaatsingsvergoedingToegekend: _schrijf(
        "reis", "koppeling_id", "datum", "organisator_id", "gevalideerd_op", "bedrag_cent"
    ),
}


async def cheque_validatie_teruggedraaid(e: c.ChequeValidatieTeruggedraaid, uow: EvaluatieUnitOfWork) -> None:
    """The reversed validation no longer counts as a used cheque (unless a later validation
    of the same cheque already replaced it), nor the day's allowance when it was reversed
    with it (the ledger books their storno in the correction month)."""
    werk = uow.werk
    await werk.schrijf("cheque_teruggedraaid", serienummer=e.serienummer, validatie=e.validatie)
    if e.verplaatsingsvergoeding_cent > 0:
        await werk.schrijf("reis_teruggedraaid", koppeling_id=e.koppeling_id, datum=e.prestatie_datum)


WERK_EN_GELD[c.ChequeValidatieTeruggedraaid] = cheque_validatie_teruggedraaid


async def cheques_uitgegeven(e: c.ChequesUitgegeven, uow: EvaluatieUnitOfWork) -> None:
    await uow.werk.schrijf(
        "uitgegeven", serienummers=list(e.serienummers), organisator_id=e.organisator_id, prijs_cent=e.prijs_cent,
        uitgegeven_op=e.uitgegeven_op, geldig_tot=e.geldig_tot,
    )


WERK_EN_GELD[c.ChequesUitgegeven] = cheques_uitgegeven


async def erkenning_verleend(e: p.ErkenningVerleend, uow: EvaluatieUnitOfWork) -> None:
    werk = uow.werk
    await werk.schrijf("erkenning", erkenning_id=e.erkenning_id, gebruiker_id=e.gebruiker_id,
                       organisator_id=e.organisator_id, overeenkomst_op=e.overeenkomst_op)
    await werk.schrijf("periode", erkenning_id=e.erkenning_id, geldig_van=e.geldig_van, geldig_tot=e.geldig_tot)


WERK_EN_GELD[p.ErkenningVerleend] = erkenning_verleend

WERK_EN_GELD[c.SignaalGemeld] = _schrijf(
    "signaal", "signaal_id", "prestatie_id", "regel", "wijkwerker_id", "gebruiker_id", "organisator_id", "datum",
    "bedrag_cent", "toelichting",
)


def _signaal_besloten(status: str) -> Callable[[Any, EvaluatieUnitOfWork], Awaitable[None]]:
    async def handle(e: c.SignaalVrijgegeven | c.SignaalAfgewezen, uow: EvaluatieUnitOfWork) -> None:
        await uow.werk.schrijf("signaal_besloten", signaal_id=e.signaal_id, status=status, besloten_op=e.besloten_op,
                               door=e.door, reden=e.reden)
    return handle


WERK_EN_GELD[c.SignaalVrijgegeven] = _signaal_besloten("vrijgegeven")
WERK_EN_GELD[c.SignaalAfgewezen] = _signaal_besloten("afgewezen")

HANDLERS: dict[type[Any], Callable[[Any, EvaluatieUnitOfWork], Awaitable[None]]] = {
    TrajectGestart: traject_gestart,
    OvereenkomstGetekend: overeenkomst_getekend,
    TrajectVerlengd: traject_verlengd,
    TrajectGeschorst: traject_verlengd,
    TrajectBeeindigd: traject_beeindigd,
    OrganisatorGeregistreerd: organisator_geregistreerd,
    WijkwerkerIngeschreven: wijkwerker_ingeschreven,
    ToeleidingOntvangen: toeleiding_ontvangen,
    **WERK_EN_GELD,
}
