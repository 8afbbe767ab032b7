"""CITATION.cff and LICENSE-DATA.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from pipeline.config import contact_address
from pipeline.docs.card import dataset_card
from pipeline.docs.citation import citation_cff, license_text
from pipeline.docs.context import ReleaseContext
from pipeline.docs.croissant import croissant
from pipeline.docs.datasheet import render_datasheet
from tests.docs.tiny_release import make_context, write_tables


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
    assert "no contact address is set for this release" in text
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), "no invented e-mail address"


def test_the_contact_is_set_in_one_place_and_every_document_shows_it(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    assert contact_address(pyproject) is None  # no file: none set
    pyproject.write_text('[tool.corpus]\ncontact = ""\n')
    assert contact_address(pyproject) is None
    pyproject.write_text('[tool.corpus]\ncontact = "takedown@corpus.example"\n')
    address = contact_address(pyproject)
    assert address == "takedown@corpus.example"
    ctx = make_context(contact=address)
    hashes = write_tables(ctx, tmp_path / "release")
    documents = {
        "LICENSE-DATA.md": license_text(ctx),
        "DATASHEET.md": render_datasheet(ctx),
        "README.md": dataset_card(ctx),
        "croissant.json": json.dumps(croissant(ctx, hashes)),
        "CITATION.cff": citation_cff(ctx),
    }
    for name, text in documents.items():
        assert address in text, name
        assert "no contact address is set" not in text, name
    assert yaml.safe_load(citation_cff(ctx))["contact"] == [
        {"name": "Corpus maintainers", "email": address}
    ]
    unset = make_context()
    for text in (license_text(unset), render_datasheet(unset), dataset_card(unset)):
        assert "no contact address is set" in text
