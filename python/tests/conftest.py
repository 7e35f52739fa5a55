"""Shared paths: the repository's bundled data, found from this file."""

import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
SCENARIOS = REPO / "examples" / "scenarios"
BANK = DATA / "anonymous_bank_feb1999" / "intervals_30min.csv"


def listing(path):
    """`(name, needle)` pairs of an EXPECTED.tsv (the Rust tests' list of bad inputs)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, needle = line.split("\t", 1)
            out.append((name, needle))
    return out


@pytest.fixture
def repo():
    return REPO
