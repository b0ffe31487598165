from pydantic_settings import SettingsConfigDict

from wijkwerk.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="EVALUATIE_", extra="ignore")

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:55432/evaluatie"
