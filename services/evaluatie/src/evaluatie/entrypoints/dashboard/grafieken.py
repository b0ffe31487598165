"""Dashboard charts with plotly (rendered in the browser from the locally served bundle).

A chart's title is the section's HTML heading, not plotly's: plotly draws its toolbar (the
mode bar) in the plot's top right corner, where a long title would run under it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go

from evaluatie.entrypoints.dashboard.ops import ServiceOps

_LAYOUT = dict(
    height=320, margin=dict(l=50, r=20, t=30, b=40), template="plotly_white",
    legend=dict(orientation="h", y=-0.2), font=dict(family="system-ui, sans-serif", size=12),
)


@dataclass(frozen=True)
class Grafiek:
    """One monthly chart: its id (the CSV's name), title, and the figures per series."""

    id: str
    titel: str
    einden: list[date]
    reeksen: dict[str, list[int]] | dict[str, list[float]]
    soort: str = "bar"
    decimalen: int | None = None  # euro: 2 in the CSV

    def html(self) -> str:
        x = [e.strftime("%Y-%m") for e in self.einden]
        fig = go.Figure()
        for naam, waarden in self.reeksen.items():
            fig.add_trace(go.Bar(name=naam, x=x, y=waarden) if self.soort == "bar"
                          else go.Scatter(name=naam, x=x, y=waarden, mode="lines+markers"))
        fig.update_layout(barmode="stack", **_LAYOUT)
        return _html(fig, self.id)

    def csv(self) -> str:
        """The chart's figures: a row per month, a column per series."""
        uit = io.StringIO()
        schrijver = csv.writer(uit, lineterminator="\r\n")
        schrijver.writerow(["maand", *self.reeksen])
        for i, einde in enumerate(self.einden):
            waarden = [reeks[i] for reeks in self.reeksen.values()]
            cellen = [f"{w:.{self.decimalen}f}" for w in waarden] if self.decimalen is not None else waarden
            schrijver.writerow([einde.strftime("%Y-%m"), *cellen])
        return uit.getvalue()


def _html(fig: go.Figure, div_id: str) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False, "displayModeBar": True})


def opsgrafiek(ops: list[ServiceOps]) -> str:
    diensten = [o.service for o in ops]
    fig = go.Figure()
    for key, label in (("outbox_backlog", "outbox backlog"), ("consumer_lag", "consumer lag"), ("dlq", "geparkeerd")):
        fig.add_trace(go.Bar(name=label, x=diensten, y=[o.waarden.get(key, 0) for o in ops]))
    fig.update_layout(barmode="group", **_LAYOUT)
    return _html(fig, "ops")
