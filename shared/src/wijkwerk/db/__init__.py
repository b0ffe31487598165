from wijkwerk.db.engine import create_engine, session_factory
from wijkwerk.db.uow import UnitOfWork

__all__ = ["UnitOfWork", "create_engine", "session_factory"]
