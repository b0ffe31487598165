"""Benchmarks against the embedded engines (``make bench``); see bench/README.md."""
