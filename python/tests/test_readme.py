"""The README's Python block runs as written, from the repository root."""

import os
import re

from conftest import REPO


def test_the_readme_python_block_runs(monkeypatch):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## From Python", 1)[1]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks, "no Python block under 'From Python'"
    monkeypatch.chdir(REPO)
    for code in blocks:
        scope = {}
        exec(compile(code, "README.md", "exec"), scope)
    assert scope["year"]["scheduled"].shape == (35_040,)
    assert scope["result"].summary["status"] == "optimal"
    assert os.getcwd() == str(REPO)
