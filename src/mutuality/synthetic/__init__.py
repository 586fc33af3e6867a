"""Synthetic data for benchmarks and tests: pure, seeded, streamed (numpy and the core only)."""

from mutuality.synthetic.network import (
    OWNER,
    ExchangeChunk,
    Style,
    SyntheticNetwork,
    generate_network,
    person_name,
)

__all__ = [
    "OWNER",
    "ExchangeChunk",
    "Style",
    "SyntheticNetwork",
    "generate_network",
    "person_name",
]
