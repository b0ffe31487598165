import hashlib
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from cheques.domain.handtekening import Geheim
from cheques.domain.signaal import Drempels
from wijkwerk.events import topics
from wijkwerk.messaging.groepen import group_id
from wijkwerk.settings import ServiceSettings

# The consumer of prestaties' events: the ledger holds its effects (group cheques.prestaties).
PRESTATIES_CONSUMER = "prestaties"


def embedded_uitgever_geheim(private_key_file: str | Path, uitgever: str) -> str:
    """The embedded default's webhook secret for ``uitgever``: derived from the local signing
    key, so it is never a constant in the code and a local issuer simulator can derive it."""
    return hashlib.sha256(Path(private_key_file).read_bytes() + f"|uitgever:{uitgever}".encode()).hexdigest()


class IssuerSecret(BaseModel):
    """One webhook secret of an issuer with its validity window (``valid_until``
    exclusive): rotate by adding the new secret before the old one's window ends."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    secret: SecretStr
    valid_from: AwareDatetime | None = None
    valid_until: AwareDatetime | None = None

    @model_validator(mode="after")
    def _venster(self) -> "IssuerSecret":
        if self.valid_from and self.valid_until and self.valid_until <= self.valid_from:
            raise ValueError("valid_until must be after valid_from")
        if not self.secret.get_secret_value():
            raise ValueError("an issuer secret must not be empty")
        self.geheim.sleutel  # noqa: B018 - a malformed whsec_ secret fails at start-up, not per delivery
        return self

    @property
    def geheim(self) -> Geheim:
        return Geheim(self.secret.get_secret_value(), self.valid_from, self.valid_until)


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CHEQUES_", extra="ignore")

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:55432/cheques"
    # Per-issuer webhook secrets, one always valid or several with validity windows:
    # CHEQUES_ISSUER_SECRETS='{"vdab": "whsec_…"}' or '{"vdab": [{"secret": "whsec_…",
    # "valid_until": "2027-01-15T00:00:00Z"}, {"secret": "whsec_…", "valid_from": "2027-01-01T00:00:00Z"}]}'
    issuer_secrets: dict[str, SecretStr | list[IssuerSecret]] = {}
    # Without configured secrets, the embedded default accepts these issuers with a secret
    # derived from the local key (embedded_uitgever_geheim).
    embedded_uitgevers: tuple[str, ...] = ("vdab",)
    webhook_max_leeftijd_s: int = 300
    webhook_max_voorsprong_s: int = 60
    # The debtor of the payout transfers (VDAB pays the workers, P-3). The defaults are the
    # embedded default's placeholders: production must set name and IBAN (the BIC is optional
    # in SEPA and left out unless set).
    sepa_naam: str = "VDAB Wijk-werken"
    sepa_iban: str = "BE71096123456769"
    sepa_bic: str | None = "GKCCBEBB"
    toeleiding_timeout_s: float = 5.0
    # The topics the recompute replays (tests point them at their own topics).
    prestaties_topic: str = topics.PRESTATIES
    cheques_topic: str = topics.CHEQUES
    herberekening_wacht_s: float = 10.0
    # How often reversal orders of corrected or cancelled prestaties are applied.
    terugdraaien_interval_s: float = 1.0
    # How often the expiry job lapses the cheques whose expiry day has come (A-21; the facts
    # are dated by the cheques' validity, not by the run).
    vervallen_interval_s: float = 3600.0
    # Fraud and error flags (issue #23 item 4, ADR 0024): a flag when one worker has more than
    # this many started hours on one day (a full working day: wijk-werken is a few hours a week)…
    signaal_max_uren_per_dag: int = 8
    # …or one gebruiker's prestaties of one day are by more than this many workers.
    signaal_max_wijkwerkers_per_gebruiker_per_dag: int = 4
    # …or, in a payout run, more than this many workers are paid to one account (a couple may
    # share one; 0 turns the rule off).
    signaal_max_wijkwerkers_per_rekening: int = 2

    @property
    def signaal_drempels(self) -> Drempels:
        return Drempels(max_uren_per_dag=self.signaal_max_uren_per_dag,
                        max_wijkwerkers_per_gebruiker_per_dag=self.signaal_max_wijkwerkers_per_gebruiker_per_dag,
                        max_wijkwerkers_per_rekening=self.signaal_max_wijkwerkers_per_rekening)

    def ledger_groepen(self) -> dict[str, list[str]]:
        """The consumer groups whose effects the ledger holds, with their topics: the
        recompute waits for them, wherever they run (ADR 0016: workers apart from the API)."""
        return {group_id("cheques", PRESTATIES_CONSUMER): [self.prestaties_topic]}

    @model_validator(mode="after")
    def _embedded_geheimen(self) -> "Settings":
        sleutel = self.auth.private_key_file
        if not self.issuer_secrets and self.environment == "embedded" and sleutel and Path(sleutel).is_file():
            self.issuer_secrets = {u: SecretStr(embedded_uitgever_geheim(sleutel, u)) for u in self.embedded_uitgevers}
        return self

    def ontbrekend_in_productie(self) -> list[str]:
        ontbrekend = super().ontbrekend_in_productie()
        if not self.issuer_secrets:
            ontbrekend.append("CHEQUES_ISSUER_SECRETS")
        ontbrekend += [f"CHEQUES_{v.upper()}" for v in ("sepa_naam", "sepa_iban") if v not in self.model_fields_set]
        # the payout run asks toeleiding for bank details with a token of its own
        if not self.auth.token_url:
            ontbrekend.append("AUTH_TOKEN_URL (with AUTH_CLIENT_ID and AUTH_CLIENT_SECRET)")
        return ontbrekend

    @model_validator(mode="after")
    def _geen_plaatshouder_bic(self) -> "Settings":
        if self.environment == "production" and "sepa_bic" not in self.model_fields_set:
            self.sepa_bic = None
        return self

    def uitgever_geheimen(self, uitgever: str) -> list[Geheim]:
        """The issuer's secrets, whatever their windows; none for an unknown issuer."""
        geheimen = self.issuer_secrets.get(uitgever, [])
        if isinstance(geheimen, SecretStr):
            return [Geheim(geheimen.get_secret_value())]
        return [g.geheim for g in geheimen]
