"""``python -m bench [--quick]``: every figure, each with its same-run baseline.

Starts its own PostgreSQL and broker on free ports of 127.0.0.1 in a temporary
directory, runs bounded loops, stops everything at the end. One line per figure.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time

from bench import relay, replay, reports
from bench.stack import embedded_stack

MiB = 2**20


def line(figure: str, value: str, baseline: str, ratio: str, target: str, met: bool | None) -> None:
    verdict = "n/a" if met is None else ("MET" if met else "NOT MET")
    print(f"{figure:<34} {value:>22} | baseline {baseline:>22} | ratio {ratio:>7} | target {target:<26} {verdict}",
          flush=True)


async def main(quick: bool) -> None:
    n_replay = 50_000 if quick else 200_000
    n_report = 250_000 if quick else 1_000_000
    wall = time.perf_counter()
    with embedded_stack() as stack:
        idle = stack.rss_bytes()
        line("memory idle (postgres+broker)", f"{idle / MiB:.0f} MiB", "-", "-", "< 1024 MiB", idle < 1024 * MiB)

        small = await replay.run(stack, n_replay // 4, "n")
        big = await replay.run(stack, n_replay, "4n")
        for r in (small, big):
            line(f"1 payout replay N={r['n']:,}", f"{r['ledger_eps']:,.0f} ev/s", f"{r['raw_eps']:,.0f} ev/s",
                 f"{r['ledger_eps'] / r['raw_eps']:.2f}", ">= 20,000 ev/s, >= 0.50",
                 r["ledger_eps"] >= 20_000 and r["ledger_eps"] >= 0.5 * r["raw_eps"])

        t = await relay.throughput(stack, n_replay // 4)
        line(f"2 outbox relay N={t['n']:,}", f"{t['relay_eps']:,.0f} ev/s", f"{t['raw_eps']:,.0f} ev/s",
             f"{t['relay_eps'] / t['raw_eps']:.2f}", "(none set)", None)
        lag = await relay.lag(stack, 200.0, 5.0 if quick else 10.0)
        line(f"2 relay lag @200/s n={lag['n']}", f"p50 {lag['p50_ms']:.0f} ms", f"p99 {lag['p99_ms']:.0f} ms",
             "-", "(none set)", None)

        line("3 POST /v1/prestaties @200 req/s", "not measured", "-", "-", "p99 < 50 ms", None)

        r_small = await reports.run(stack, n_report // 4, "n")
        r_big = await reports.run(stack, n_report, "4n")
        for r in (r_small, r_big):
            line(f"4 monthly report N={r['n']:,}", f"{r['report_s'] * 1000:,.0f} ms", f"{r['baseline_s'] * 1000:,.0f} ms",
                 f"{r['report_s'] / r['baseline_s']:.1f}", "< 2,000 ms", r["report_s"] < 2.0)

        line("5 growth: replay time 4N/N", f"{(big['n'] / big['ledger_eps']) / (small['n'] / small['ledger_eps']):.2f}",
             f"raw {(big['n'] / big['raw_eps']) / (small['n'] / small['raw_eps']):.2f}", "-", "~4 (linear)", None)
        line("5 growth: report time 4N/N", f"{r_big['report_s'] / r_small['report_s']:.2f}",
             f"count {r_big['baseline_s'] / r_small['baseline_s']:.2f}", "-",
             "<= ~4 (linear)", r_big["report_s"] / r_small["report_s"] <= 4.5)

        parts = stack.rss_parts()
        loaded = sum(parts.values())
        line("memory after load", f"{loaded / MiB:.0f} MiB", f"idle {idle / MiB:.0f} MiB", f"{loaded / idle:.1f}",
             "< 1024 MiB and flat (<= 1.5)", loaded < 1024 * MiB and loaded <= 1.5 * idle)
        line("  of which", f"postgres {parts['postgres'] / MiB:.0f} MiB", f"broker {parts['broker'] / MiB:.0f} MiB",
             "-", "(broker keeps every message)", None)
    print(f"bench took {time.perf_counter() - wall:.0f} s", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="N/4 sizes: a smoke run")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(main(args.quick))
