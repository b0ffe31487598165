"""Dashboard charts with plotly (rendered in the browser from the locally served bundle)."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go

from evaluatie.entrypoints.dashboard.ops import ServiceOps

_LAYOUT = dict(
    height=320, margin=dict(l=50, r=20, t=50, b=40), template="plotly_white",
    legend=dict(orientation="h", y=-0.2), font=dict(family="system-ui, sans-serif", size=12),
)


def _html(fig: go.Figure, div_id: str) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False})


def maandgrafiek(titel: str, einden: list[date], reeksen: dict[str, list[int]], div_id: str, *, soort: str = "bar") -> str:
    x = [e.strftime("%Y-%m") for e in einden]
    fig = go.Figure()
    for naam, waarden in reeksen.items():
        trace = go.Bar(name=naam, x=x, y=waarden) if soort == "bar" else go.Scatter(name=naam, x=x, y=waarden, mode="lines+markers")
        fig.add_trace(trace)
    fig.update_layout(title=titel, barmode="stack", **_LAYOUT)
    return _html(fig, div_id)


def opsgrafiek(ops: list[ServiceOps]) -> str:
    diensten = [o.service for o in ops]
    fig = go.Figure()
    for key, label in (("outbox_backlog", "outbox backlog"), ("consumer_lag", "consumer lag"), ("dlq", "DLQ")):
        fig.add_trace(go.Bar(name=label, x=diensten, y=[o.waarden.get(key, 0) for o in ops]))
    fig.update_layout(title="Pipelines (messages)", barmode="group", **_LAYOUT)
    return _html(fig, "ops")
