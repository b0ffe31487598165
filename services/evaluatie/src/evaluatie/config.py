from decimal import Decimal
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from evaluatie.domain import uitstroom
from evaluatie.domain.bemiddelaars import O2Norm
from evaluatie.service_layer.bezorging import Beleid
from wijkwerk.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EVALUATIE_", extra="ignore")

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:55432/evaluatie"
    # T-9: inflow is fixed at 7,291 job seekers as a yearly average (RPT-25); a setting.
    contingent: int = 7291
    # RPT-22 (PR-17): "sustainable" = at work at each of these horizons.
    duurzaam_horizonten: tuple[int, ...] = uitstroom.DUURZAAM_HORIZONTEN
    # RPT-22 (V-6, PR-16): "still followed" = one of these V-4 categories at this horizon.
    opvolging_horizon: int = uitstroom.OPVOLGING_HORIZON
    opvolging_categorieen: tuple[str, ...] = uitstroom.OPVOLGING_CATEGORIEEN
    # RPT-24 (O-2): VDAB staff norm per organiser, and the Flanders-wide total.
    o2_fte_per_schijf: Decimal = Decimal("0.2")
    o2_inwoners_per_schijf: int = 12_000
    o2_drempel_inwoners: int = 12_000
    o2_fte_vlaanderen: Decimal = Decimal(100)
    # Outbound webhooks (ADR 0018): the delivery worker's pace and the retry policy.
    webhook_interval_s: float = 1.0
    webhook_batch: int = Field(50, ge=1, le=1000)
    webhook_gelijktijdig: int = Field(8, ge=1, le=100)
    webhook_timeout_s: float = Field(10.0, gt=0)
    webhook_basis_s: float = Field(30.0, gt=0)
    webhook_max_wacht_s: float = Field(6 * 3600.0, gt=0)
    webhook_max_pogingen: int = Field(12, ge=1)
    webhook_rotatie_overlap_s: float = Field(24 * 3600.0, ge=0)
    # finished deliveries (and their attempts) are kept this long in the delivery log, then deleted
    webhook_bewaar_dagen: int = Field(90, ge=1, le=3660)
    webhook_opruim_interval_s: float = Field(3600.0, gt=0)
    # Dated facts "evaluation due / overdue": how often the job runs, how many days it looks back.
    signalen_interval_s: float = Field(3600.0, gt=0)
    signalen_terugkijk_dagen: int = Field(7, ge=0, le=366)
    cheque_waarschuwing_dagen: int = Field(30, ge=1, le=366)  # "cheques expire soon": this many days before
    # Work-experience certificates (issue #23 item 5): the platform's Ed25519 signing key (PEM)
    # and the public base URL their QR codes point at. Unset key file: next to the local token
    # key (created once) in the embedded default; production never creates one.
    getuigschrift_sleutel_file: str | None = None
    publieke_url: str | None = None  # unset: EVALUATIE_URL

    @field_validator("duurzaam_horizonten")
    @classmethod
    def _horizonten(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        return uitstroom.controleer_horizonten(value)

    @field_validator("opvolging_horizon")
    @classmethod
    def _horizon(cls, value: int) -> int:
        return uitstroom.controleer_horizonten((value,))[0]

    @field_validator("opvolging_categorieen")
    @classmethod
    def _categorieen(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return uitstroom.controleer_categorieen(value)

    @property
    def webhook_beleid(self) -> Beleid:
        return Beleid(self.webhook_batch, self.webhook_gelijktijdig, self.webhook_timeout_s, self.webhook_basis_s,
                      self.webhook_max_wacht_s, self.webhook_max_pogingen,
                      alleen_publiek=self.environment == "production")

    def getuigschrift_sleutel(self) -> tuple[Path, bool]:
        """Where the certificate key is, and whether it may be created there."""
        if self.getuigschrift_sleutel_file:
            return Path(self.getuigschrift_sleutel_file), self.environment != "production"
        basis = Path(self.auth.private_key_file).parent if self.auth.private_key_file else Path(".wijkwerk/keys")
        return basis / "getuigschrift-ed25519.pem", self.environment != "production"

    @property
    def verificatie_basis(self) -> str:
        return (self.publieke_url or self.urls.evaluatie_url).rstrip("/")

    @property
    def o2_norm(self) -> O2Norm:
        return O2Norm(self.o2_fte_per_schijf, self.o2_inwoners_per_schijf, self.o2_drempel_inwoners)
