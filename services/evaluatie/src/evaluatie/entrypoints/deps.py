from fastapi import Request

from evaluatie.service_layer.uow import EvaluatieUnitOfWork


def get_uow(request: Request) -> EvaluatieUnitOfWork:
    return EvaluatieUnitOfWork(request.app.state.runtime.sessions)
