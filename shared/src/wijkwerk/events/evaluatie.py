"""Events of the evaluatie service, topic ``wijkwerk.evaluatie.v1``."""

from __future__ import annotations

import uuid
from datetime import date

from wijkwerk.events import topics
from wijkwerk.events.envelope import Event
from wijkwerk.events.registry import registry


class _EvaluatieEvent(Event):
    topic = topics.EVALUATIE


@registry.register
class EvaluatieUitgevoerd(_EvaluatieEvent):
    """A (6-monthly) evaluation by the bemiddelaar (V-1, V-2). Remarks stay in evaluatie.

    ``uitkomst``: ``zelfde_klus`` (continue), ``uitstroom_werk`` (outflow to work),
    ``ander_traject`` (doorstroom, e.g. IBO or TWE, in ``vervolg``), ``stopt``.
    """

    event_type = "EvaluatieUitgevoerd"
    aggregate_field = "evaluatie_id"

    evaluatie_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    traject_id: uuid.UUID
    organisator_id: uuid.UUID
    datum: date
    uitkomst: str
    vervolg: str | None = None
    evaluator_organisatie: str | None = None
    # An outcome that ends the trajectory (uitstroom_werk, ander_traject, stopt) carries
    # the end date it decided; None: the evaluation date (issue #21, ADR on the end).
    einde: date | None = None


@registry.register
class UitstroomGemeten(_EvaluatieEvent):
    """Outflow N months after the end of the trajectory (V-3, V-4, A-12).

    ``categorieen`` are V-4 top rows, ``subcategorieen`` their sub-rows (not exclusive)."""

    event_type = "UitstroomGemeten"
    aggregate_field = "meting_id"

    meting_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    traject_id: uuid.UUID
    organisator_id: uuid.UUID
    horizon_maanden: int
    gemeten_op: date
    categorieen: tuple[str, ...]
    subcategorieen: tuple[str, ...] = ()


@registry.register
class EvaluatieGecorrigeerd(_EvaluatieEvent):
    """An evaluation's registration was corrected on ``gecorrigeerd_op`` (the state after
    the correction; remarks stay in evaluatie). An outcome that ends the trajectory is never
    corrected to or from: the trajectory's end goes through toeleiding."""

    event_type = "EvaluatieGecorrigeerd"
    aggregate_field = "evaluatie_id"

    evaluatie_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    traject_id: uuid.UUID
    organisator_id: uuid.UUID
    datum: date
    uitkomst: str
    vervolg: str | None = None
    evaluator_organisatie: str | None = None
    gecorrigeerd_op: date


@registry.register
class UitstroommetingGecorrigeerd(_EvaluatieEvent):
    """An outflow measurement was corrected on ``gecorrigeerd_op`` (the state after it)."""

    event_type = "UitstroommetingGecorrigeerd"
    aggregate_field = "meting_id"

    meting_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    traject_id: uuid.UUID
    organisator_id: uuid.UUID
    horizon_maanden: int
    gemeten_op: date
    categorieen: tuple[str, ...]
    subcategorieen: tuple[str, ...] = ()
    gecorrigeerd_op: date


@registry.register
class EvaluatieTeDoen(_EvaluatieEvent):
    """Dated fact: a running trajectory's next evaluation (A-11) comes within a month. It
    arises on ``datum`` = ``vervaldag`` minus one month, judged on the evaluations dated on
    or before ``datum``; once per trajectory and due date, whenever the job that records it
    runs (ADR 0018)."""

    event_type = "EvaluatieTeDoen"
    aggregate_field = "traject_id"

    traject_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    vervaldag: date
    datum: date
    laatste_evaluatie: date | None = None


@registry.register
class EvaluatieAchterstallig(_EvaluatieEvent):
    """Dated fact: a running trajectory's evaluation was not done by its due date. It arises
    on ``datum`` = ``vervaldag`` + 1 day when no evaluation dated on or before ``datum``
    moved the due date; once per trajectory and due date."""

    event_type = "EvaluatieAchterstallig"
    aggregate_field = "traject_id"

    traject_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    vervaldag: date
    datum: date
    laatste_evaluatie: date | None = None


@registry.register
class ChequesVervallenBinnenkort(_EvaluatieEvent):
    """Dated fact: an organiser's cheques valid through ``geldig_tot`` (A-13), neither used
    nor refunded as of ``datum``, expire soon. It arises on ``datum`` = ``geldig_tot`` minus
    the warning period (evaluatie setting, 30 days), judged on validations and refunds dated
    on or before ``datum``; once per organiser and expiry date. Serial numbers only: which
    gebruiker holds them is read from cheques."""

    event_type = "ChequesVervallenBinnenkort"
    aggregate_field = "organisator_id"

    organisator_id: uuid.UUID
    geldig_tot: date
    datum: date
    aantal: int
    serienummers: tuple[str, ...]


@registry.register
class GetuigschriftUitgegeven(_EvaluatieEvent):
    """A work-experience certificate was issued and signed with the platform key (issue #23
    item 5): as of ``op`` it states ``uren`` started hours over ``activiteiten`` activities.
    The name printed on it and the signature stay in evaluatie."""

    event_type = "GetuigschriftUitgegeven"
    aggregate_field = "getuigschrift_id"

    getuigschrift_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    op: date
    uren: int
    activiteiten: int
    evaluaties: int


@registry.register
class GetuigschriftIngetrokken(_EvaluatieEvent):
    """A certificate was revoked on ``ingetrokken_op``: its verification page says so from then on."""

    event_type = "GetuigschriftIngetrokken"
    aggregate_field = "getuigschrift_id"

    getuigschrift_id: uuid.UUID
    wijkwerker_id: uuid.UUID
    organisator_id: uuid.UUID
    ingetrokken_op: date
