from pydantic_settings import SettingsConfigDict

from wijkwerk.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EVALUATIE_", extra="ignore")

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:55432/evaluatie"
    # T-9: inflow is fixed at 7,291 job seekers as a yearly average (RPT-25); a setting.
    contingent: int = 7291
