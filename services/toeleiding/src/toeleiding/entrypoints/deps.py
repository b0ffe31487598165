from fastapi import Request

from toeleiding.service_layer.uow import ToeleidingUnitOfWork


def get_uow(request: Request) -> ToeleidingUnitOfWork:
    """A fresh unit of work (and so a fresh session) for every request."""
    return ToeleidingUnitOfWork(request.app.state.runtime.sessions)
