from pydantic_settings import SettingsConfigDict

from wijkwerk.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="TOELEIDING_", extra="ignore")
    vingerafdrukken = True  # IBAN/address fingerprints in its events (ADR 0024)

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:55432/toeleiding"
    # DOMAIN C-1: the tariffs a samenwerkingsverband may choose, in cents. A single
    # Flemish price (PR-21) is a configuration with one value.
    toegelaten_tarieven: tuple[int, ...] = (595, 645, 695, 745)
    # DOMAIN T-2: 1 to 12 months; the maximum is a per-scheme setting (PR-15).
    traject_min_maanden: int = 1
    traject_max_maanden: int = 12
    # How often open trajectories past their planned end are closed (seconds).
    sluit_verlopen_interval_s: float = 300.0
    # An evaluation outcome that says the worker moved on ends the trajectory.
    einde_bij_evaluatie: bool = True
