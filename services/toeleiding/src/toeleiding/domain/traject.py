"""Referral (toeleiding) and trajectory (traject): the time-limited pathway.

DOMAIN.md T-2/T-3 (1–12 months, advised per person), T-4 (ex-PWA *onbeperkt recht*: no
end), T-8 (suspension and re-referral), A-08 (end = start + N months − 1 day, window
inclusive), A-09 (dossier status), PR-24 (suspension may extend the end date).
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from toeleiding.domain.wijkwerker import DossierStatus
from wijkwerk.fouten import OngeldigeInvoer


class ToeleiderType(enum.StrEnum):
    VDAB = "VDAB"
    OCMW = "OCMW"
    GTB = "GTB"
    ANDERE = "ANDERE"
    PWA = "PWA"  # the transfer of a former PWA worker from the PWA system (T-4, 000 "ex-PWA")


class EindeReden(enum.StrEnum):
    UITSTROOM_WERK = "uitstroom_werk"
    ANDER_TRAJECT = "ander_traject"  # doorstroom: IBO, TWE, training, ...
    GESTOPT = "gestopt"
    EINDE_ADVIES = "einde_advies"  # the advised (possibly prolonged) end was reached
    MAX_DUUR_BEREIKT = "max_duur_bereikt"


class EindeBron(enum.StrEnum):
    """Who ended the trajectory (ADR: the end of a trajectory). An explicit end
    (``beeindiging``) outranks an evaluation's decision, which outranks the housekeeping
    job's end at the planned end (``automatisch``): a higher rank replaces a lower one, so
    the outcome does not depend on the order in which they arrive."""

    AUTOMATISCH = "automatisch"
    EVALUATIE = "evaluatie"
    BEEINDIGING = "beeindiging"

    @property
    def rang(self) -> int:
        return list(EindeBron).index(self)


class TrajectStatus(enum.StrEnum):
    LOPEND = "lopend"
    GESCHORST = "geschorst"
    BEEINDIGD = "beeindigd"


@dataclass(frozen=True)
class DuurRegels:
    """Settings, not constants (DOMAIN §4: configurable per scheme)."""

    min_maanden: int = 1
    max_maanden: int = 12


def einde_na(start: date, maanden: int) -> date:
    """A-08: a trajectory of N months starting on S ends on S + N months − 1 day."""
    return start + relativedelta(months=maanden) - timedelta(days=1)


@dataclass(frozen=True)
class Schorsing:
    van: date
    tot: date
    reden: str
    verlengt_einde: bool = True
    nieuw_einde: date | None = None  # the end the request names instead of the extension

    @property
    def dagen(self) -> int:
        return (self.tot - self.van).days + 1

    def omvat(self, dag: date) -> bool:
        return self.van <= dag <= self.tot


@dataclass
class Traject:
    id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    toeleiding_id: uuid.UUID
    toeleider_type: ToeleiderType
    advies_maanden: int | None
    start: date
    gepland_einde: date | None  # None: onbeperkt recht (T-4)
    max_einde: date | None
    overeenkomst_op: date | None = None
    werkelijk_einde: date | None = None
    einde_reden: EindeReden | None = None
    vervolg: str | None = None
    einde_bron: EindeBron | None = None
    schorsingen: list[Schorsing] = field(default_factory=list)
    version: int = 0

    @classmethod
    def start_na_toeleiding(
        cls,
        *,
        wijkwerker_id: uuid.UUID,
        organisator_id: uuid.UUID,
        toeleider_type: ToeleiderType,
        advies_maanden: int | None,
        start: date,
        onbeperkt_recht: bool,
        regels: DuurRegels,
        ex_pwa: bool = False,
    ) -> Traject:
        if toeleider_type is ToeleiderType.PWA and not ex_pwa:
            raise OngeldigeInvoer(
                "Only a former PWA worker's dossier (ex_pwa) comes by PWA transfer.", rule="pwa-overdracht-zonder-ex-pwa"
            )
        if onbeperkt_recht:
            gepland = maximum = None
        else:
            if advies_maanden is None or not regels.min_maanden <= advies_maanden <= regels.max_maanden:
                raise OngeldigeInvoer(
                    f"The advised duration must be {regels.min_maanden} to {regels.max_maanden} months.",
                    rule="traject-max-12-maanden",
                )
            gepland = einde_na(start, advies_maanden)
            maximum = einde_na(start, regels.max_maanden)
        return cls(
            id=uuid.uuid4(),
            wijkwerker_id=wijkwerker_id,
            organisator_id=organisator_id,
            toeleiding_id=uuid.uuid4(),
            toeleider_type=toeleider_type,
            advies_maanden=None if onbeperkt_recht else advies_maanden,
            start=start,
            gepland_einde=gepland,
            max_einde=maximum,
            version=1,
        )

    # --- queries -------------------------------------------------------------------

    @property
    def beeindigd(self) -> bool:
        return self.werkelijk_einde is not None

    def laatste_dag(self) -> date | None:
        """The last day prestaties may fall on: actual end, else planned end (None = open)."""
        return self.werkelijk_einde or self.gepland_einde

    def loopt_op(self, dag: date) -> bool:
        einde = self.laatste_dag()
        return self.start <= dag and (einde is None or dag <= einde)

    def geschorst_op(self, dag: date) -> bool:
        return any(s.omvat(dag) for s in self.schorsingen)

    def status_op(self, dag: date) -> TrajectStatus:
        einde = self.laatste_dag()
        if einde is not None and dag > einde:
            return TrajectStatus.BEEINDIGD
        return TrajectStatus.GESCHORST if self.geschorst_op(dag) else TrajectStatus.LOPEND

    # --- commands ------------------------------------------------------------------

    def _moet_lopen(self, op: date | None = None) -> None:
        """An end decided by a person (explicit, or an evaluation) closes the trajectory for
        changes; the housekeeping job's end at the planned end does not, since it only
        follows from the planned end. A fact dated ``op`` on or before a decided end still
        belongs to the trajectory."""
        if not self.beeindigd or self.einde_bron is EindeBron.AUTOMATISCH:
            return
        assert self.werkelijk_einde is not None  # an ended trajectory has its end
        if op is not None and self.einde_bron is EindeBron.EVALUATIE and op <= self.werkelijk_einde:
            return
        raise OngeldigeInvoer("The trajectory has already ended.", rule="traject-beeindigd",
                              traject_einde=self.werkelijk_einde.isoformat())

    def _heropen_na_automatisch_einde(self) -> None:
        """The planned end moved: the job's end at the old planned end no longer holds."""
        if self.einde_bron is EindeBron.AUTOMATISCH:
            self.werkelijk_einde = self.einde_reden = self.einde_bron = None
            self.vervolg = None

    def teken_overeenkomst(self, op: date) -> None:
        self._moet_lopen(op)
        if self.overeenkomst_op is not None:
            raise OngeldigeInvoer("The agreement was already signed.", rule="overeenkomst-al-getekend")
        self.overeenkomst_op = op
        self.version += 1

    def verleng(self, nieuw_einde: date) -> None:
        """A prolongation up to the maximum is an explicit command (T-2, DOMAIN §7.6)."""
        self._moet_lopen()
        if self.gepland_einde is None:
            raise OngeldigeInvoer("A trajectory under the unlimited right has no end to prolong.", rule="traject-onbeperkt")
        if nieuw_einde <= self.gepland_einde:
            raise OngeldigeInvoer("A prolongation must move the end later.", rule="verlenging-niet-later")
        assert self.max_einde is not None
        if nieuw_einde > self.max_einde:
            raise OngeldigeInvoer(
                f"A trajectory never exceeds 12 months: the latest end is {self.max_einde}.",
                rule="traject-max-12-maanden",
            )
        self.gepland_einde = nieuw_einde
        self._heropen_na_automatisch_einde()
        self.version += 1

    def schors(self, schorsing: Schorsing) -> None:
        """A-22 (PR-24): a suspension extends the trajectory by its own length unless the
        request names another end (or keeps it); the maximum (T-2) counts the time actually
        worked, so it moves by the suspension's length in every case."""
        self._moet_lopen()
        if schorsing.tot < schorsing.van:
            raise OngeldigeInvoer("A suspension ends on or after its start.", rule="schorsing-ongeldig")
        if schorsing.van < self.start or (self.gepland_einde and schorsing.van > self.gepland_einde):
            raise OngeldigeInvoer("A suspension starts inside the trajectory.", rule="schorsing-buiten-traject")
        if any(s.van <= schorsing.tot and schorsing.van <= s.tot for s in self.schorsingen):
            raise OngeldigeInvoer("Suspensions may not overlap.", rule="schorsing-overlapt")
        if self.gepland_einde is None or self.max_einde is None:
            if schorsing.nieuw_einde is not None:
                raise OngeldigeInvoer(
                    "A trajectory under the unlimited right has no end to move.", rule="traject-onbeperkt"
                )
        else:
            try:
                maximum = self.max_einde + timedelta(days=schorsing.dagen)
                verlengd = self.gepland_einde + timedelta(days=schorsing.dagen)
            except OverflowError:
                raise OngeldigeInvoer("A suspension ends within the calendar.", rule="schorsing-ongeldig") from None
            einde = schorsing.nieuw_einde or (verlengd if schorsing.verlengt_einde else self.gepland_einde)
            if einde < schorsing.tot:
                raise OngeldigeInvoer("The trajectory ends after the suspension.", rule="schorsing-einde-ongeldig")
            if einde > maximum:
                raise OngeldigeInvoer(
                    f"A trajectory never exceeds 12 months of work: the latest end is {maximum}.",
                    rule="traject-max-12-maanden",
                )
            if einde != self.gepland_einde:
                self._heropen_na_automatisch_einde()  # PR-24: the job's end at the old end no longer holds
            self.gepland_einde, self.max_einde = einde, maximum
        self.schorsingen.append(schorsing)
        self.version += 1

    def beeindig(
        self, op: date, reden: EindeReden, vervolg: str | None = None, bron: EindeBron = EindeBron.BEEINDIGING
    ) -> bool:
        """Ends the trajectory on ``op``. An end of a higher rank (EindeBron) replaces an
        earlier one of a lower rank; an explicit end after an explicit end is refused; an
        evaluation or the job after an end of the same or a higher rank changes nothing
        (returns False)."""
        if self.beeindigd:
            assert self.einde_bron is not None and self.werkelijk_einde is not None
            if bron is EindeBron.BEEINDIGING and self.einde_bron is EindeBron.BEEINDIGING:
                raise OngeldigeInvoer("The trajectory has already ended.", rule="traject-beeindigd",
                                      traject_einde=self.werkelijk_einde.isoformat())
            if bron.rang <= self.einde_bron.rang:
                return False
        if reden is EindeReden.EINDE_ADVIES and self.advies_maanden is None:
            raise OngeldigeInvoer(
                "A trajectory under the unlimited right has no advised period to end.", rule="traject-onbeperkt"
            )
        if op < self.start - timedelta(days=1):
            raise OngeldigeInvoer("A trajectory cannot end before it starts.", rule="einde-voor-start")
        if self.max_einde is not None and op > self.max_einde:
            raise OngeldigeInvoer("A trajectory never exceeds 12 months.", rule="traject-max-12-maanden")
        self.werkelijk_einde = op
        self.einde_reden = reden
        self.vervolg = vervolg
        self.einde_bron = bron
        self.version += 1
        return True


def dossier_status(trajecten: list[Traject], dag: date) -> DossierStatus:
    """A-09: voorlopig until an agreement is signed and a trajectory runs; actief while it
    runs (end date included); afgesloten from the day after the actual end.
    The latest trajectory started on or before ``dag`` decides (a re-referral after
    ``dag`` does not change the past); the SQL twin is ``repositories.status_op``."""
    begonnen = [t for t in trajecten if t.start <= dag]
    if not begonnen:
        return DossierStatus.VOORLOPIG
    laatste = max(begonnen, key=lambda t: t.start)
    if laatste.loopt_op(dag):
        getekend = laatste.overeenkomst_op is not None and laatste.overeenkomst_op <= dag
        return DossierStatus.ACTIEF if getekend else DossierStatus.VOORLOPIG
    return DossierStatus.AFGESLOTEN
