from alembic import context

from evaluatie.config import Settings
from wijkwerk.db.alembic_env import run_migrations

run_migrations(context, Settings)
