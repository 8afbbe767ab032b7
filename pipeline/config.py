"""The project's own settings, from ``[tool.corpus]`` in pyproject.toml.

One place for what the maintainers set once (the takedown contact address).
Read by the build, which puts the values into the ReleaseContext; documents
never read configuration themselves.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def corpus_settings(pyproject: Path = PYPROJECT) -> dict[str, Any]:
    """``[tool.corpus]`` of pyproject.toml; empty when the file or the table is missing."""
    if not pyproject.is_file():
        return {}
    with pyproject.open("rb") as handle:
        return dict(tomllib.load(handle).get("tool", {}).get("corpus", {}))


def contact_address(pyproject: Path = PYPROJECT) -> str | None:
    """The maintainers' contact address for takedowns, or None when none is set."""
    value = str(corpus_settings(pyproject).get("contact", "") or "").strip()
    return value or None
