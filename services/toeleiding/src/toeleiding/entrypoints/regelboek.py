"""The problem rules this service's endpoints answer, with an example detail each, for the
OpenAPI document: a route names the ones it can answer (``responses=REGELS.weigert(...)``).
``tests/unit/test_openapi.py`` keeps this in step with the rules the code raises."""

from wijkwerk.http.documentatie import Regelboek

REGELS = Regelboek({
    "buiten-werkingsgebied": (422, "The worker's domicile is outside the organiser's area."),
    "einde-voor-start": (422, "A trajectory cannot end before it starts."),
    "gemeente-al-toegewezen": (409, "Municipalities already belong to another organiser: …."),
    "gemeente-niet-in-vlaanderen": (
        422, "NIS code … is not a Flemish municipality (wijk-werken requires a domicile in Flanders)."
    ),
    "iban-ongeldig": (422, "IBAN is not valid (…)."),
    "insz-bestaat-al": (409, "A dossier with this INSZ already exists."),
    "insz-ongeldig": (422, "INSZ is not a valid national register or BIS number (…)."),
    "naam-leeg": (422, "A name has a first and a last name."),
    "niet-ingeschreven-bij-vdab": (422, "A wijk-werker must be registered with VDAB."),
    "onbeperkt-recht-zonder-pwa": (422, "Only former PWA workers can hold the unlimited right (T-4)."),
    "organisator-onbekend": (404, "No such organiser."),
    "overeenkomst-al-getekend": (422, "The agreement was already signed."),
    "pwa-overdracht-zonder-ex-pwa": (422, "Only a former PWA worker's dossier (ex_pwa) comes by PWA transfer."),
    "samenwerkingsverband-buiten-bereik": (403, "The samenwerkingsverband has organisers outside the caller's scope."),
    "schorsing-buiten-traject": (422, "A suspension starts inside the trajectory."),
    "schorsing-einde-ongeldig": (422, "The trajectory ends after the suspension."),
    "schorsing-ongeldig": (422, "A suspension ends on or after its start."),
    "schorsing-overlapt": (422, "Suspensions may not overlap."),
    "tarief-bestaat-al": (409, "A tariff from … already exists."),
    "tarief-niet-toegelaten": (422, "A cheque tariff must be one of … euro."),
    "tarief-verschilt-in-samenwerkingsverband": (
        409, "From … this tariff differs from …'s in samenwerkingsverband …: one tariff holds across it (C-2). Set it for the whole samenwerkingsverband instead."
    ),
    "traject-beeindigd": (422, "The trajectory has already ended."),
    "traject-loopt-al": (409, "The worker already has a trajectory on that date."),
    "traject-max-12-maanden": (422, "The advised duration must be … to … months."),
    "traject-onbekend": (404, "No such trajectory."),
    "traject-onbeperkt": (422, "A trajectory under the unlimited right has no end to prolong."),
    "verlenging-niet-later": (422, "A prolongation must move the end later."),
    "werkingsgebied-leeg": (422, "An organiser needs at least one municipality."),
    "wijkwerker-onbekend": (404, "No such dossier."),
    "wijziging-leeg": (422, "Name at least one of iban, naam or adres to change."),
    "wijziging-voor-inschrijving": (422, "A change cannot take effect before the registration (…)."),
})
