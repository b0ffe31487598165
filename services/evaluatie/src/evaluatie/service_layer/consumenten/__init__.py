"""Handlers of consumed events, one module per consumer group (its name in the inbox and
the DLQ): ``HANDLERS = {event class: handler(event, uow)}``, wired in ``bootstrap.py``."""
