"""The package's version is the crate's (and the library's)."""

import re

import wfm
from conftest import REPO


def cargo_version(path):
    text = path.read_text(encoding="utf-8")
    return re.search(r'^version\s*=\s*"([^"]+)"', text, re.M).group(1)


def test_version_is_the_crates():
    assert wfm.__version__ == cargo_version(REPO / "python" / "Cargo.toml")
    assert wfm.__version__ == cargo_version(REPO / "Cargo.toml")


def test_every_public_function_has_a_docstring():
    for name in wfm.__all__:
        obj = getattr(wfm, name)
        if callable(obj):
            assert obj.__doc__ and len(obj.__doc__) > 40, name
