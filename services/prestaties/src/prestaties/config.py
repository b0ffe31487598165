from datetime import date

from pydantic_settings import SettingsConfigDict

from prestaties.domain.bevestiging import TermijnRegel
from prestaties.domain.gebruiker import ErkenningRegels
from prestaties.domain.tarieven import Inschrijvingsrecht, VerplaatsingsRegel
from prestaties.domain.uren import Plafonds
from wijkwerk.settings import ServiceSettings

# DOMAIN A-15: every rate is valid from the start of the scheme until changed.
START_REGELING = date(2018, 1, 1)


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PRESTATIES_", extra="ignore")
    vingerafdrukken = True  # IBAN/address fingerprints in its events (ADR 0024)

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:55432/prestaties"
    # H-1, H-2, A-02, PR-12: caps in started hours per calendar month / year (per scheme, PR-25).
    max_uren_per_maand: int = 60
    max_uren_per_jaar: int = 630
    # G-3, PR-21: the yearly registration fee per erkenning, effective-dated (a fee of 0 works),
    # e.g. PRESTATIES_INSCHRIJVINGSRECHT='[{"vanaf": "2018-01-01", "cent": 750}, {"vanaf": "2027-01-01", "cent": 0}]'.
    inschrijvingsrecht: tuple[Inschrijvingsrecht, ...] = (Inschrijvingsrecht(START_REGELING, 750),)
    # an erkenning's validity period.
    erkenning_geldigheid_maanden: int = 12
    # P-2, A-03: travel allowance above the threshold (one way, whole km), effective-dated.
    verplaatsing: tuple[VerplaatsingsRegel, ...] = (
        VerplaatsingsRegel(START_REGELING, drempel_km=5, cent_per_km=15, factor=2),
    )

    # Issue #23 item 3: the other party's confirmation window in working days (Mon–Fri less
    # ``feestdagen``) and the reminder before it closes, effective-dated on the day a window opens,
    # e.g. PRESTATIES_BEVESTIGINGSTERMIJN='[{"vanaf": "2018-01-01", "werkdagen": 5, "herinnering_werkdagen": 1}]'.
    bevestigingstermijn: tuple[TermijnRegel, ...] = (TermijnRegel(START_REGELING, 5, 1),)
    feestdagen: tuple[date, ...] = ()  # public holidays that are no working day (no calendar in the repo)
    bevestiging_interval_s: float = 3600.0  # how often the job records reminders and confirmations by silence

    def plafonds(self) -> Plafonds:
        return Plafonds(per_maand=self.max_uren_per_maand, per_jaar=self.max_uren_per_jaar)

    def erkenning_regels(self) -> ErkenningRegels:
        return ErkenningRegels(self.inschrijvingsrecht, self.erkenning_geldigheid_maanden)
