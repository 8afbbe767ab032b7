"""CITATION.cff and LICENSE-DATA.md."""

from __future__ import annotations

import re

import yaml

from pipeline.docs.citation import citation_cff, license_text
from pipeline.docs.context import ReleaseContext


def test_citation_cff(ctx: ReleaseContext) -> None:
    cff = yaml.safe_load(citation_cff(ctx))
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "dataset"
    assert cff["version"] == "1.0.0"
    assert cff["date-released"] == "2025-01-31"
    assert cff["authors"] == [{"name": "Corpus maintainers"}]
    assert cff["message"] and cff["title"]


def test_licence_terms(ctx: ReleaseContext) -> None:
    text = license_text(ctx)
    assert "non-commercial research" in text
    assert "text and data mining" in text
    assert "belong to their publishers" in text
    assert "not** released under an open content licence" in text
    assert "open an issue in the project's tracker or write to the maintainers" in text
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), "no invented e-mail address"
