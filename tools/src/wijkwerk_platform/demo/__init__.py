"""A demo world, loaded only through the public HTTP APIs and signed issuer webhooks.

``run_demo`` is called by ``wijkwerk up --demo`` and ``wijkwerk demo``. It is deterministic
for a seed: a plan is drawn first, serially, from one random generator; only then is it
sent, with bounded concurrency. The world lies in the last ``WERELD_MAANDEN`` months before
today: the organisers of DOMAIN O-3, dossiers with referrals and agreements (some ended),
gebruikers with erkenningen and fees, an activity catalogue per organiser, placements,
months of prestaties (with confirmations, corrections and cancellations), cheque orders,
issues and validations through the issuer webhooks, evaluations every six months, outflow
measurements after the end, contacts, and invalid attempts the services must refuse.
``Samenvatting`` keeps the generator's own tallies, so tests can check the reports.
"""

from wijkwerk_platform.demo import identiteit, wereld
from wijkwerk_platform.demo.laden import SCOPES, DemoLoader, load, run_demo
from wijkwerk_platform.demo.plan import (
    GebruikerPlan,
    KoppelingPlan,
    OrganisatorPlan,
    PrestatiePlan,
    WerkerPlan,
    plan,
)
from wijkwerk_platform.demo.samenvatting import Samenvatting

OVER_PLAFOND = "max-60-uur-per-maand"

__all__ = [
    "OVER_PLAFOND", "SCOPES", "DemoLoader", "GebruikerPlan", "KoppelingPlan", "OrganisatorPlan",
    "PrestatiePlan", "Samenvatting", "WerkerPlan", "identiteit", "load", "plan", "run_demo", "wereld",
]
