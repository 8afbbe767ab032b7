"""Fixtures for the documentation tests (the tiny release is in tiny_release.py)."""

from __future__ import annotations

import pytest

from pipeline.docs.context import ReleaseContext
from tests.docs.tiny_release import make_context


@pytest.fixture
def ctx() -> ReleaseContext:
    return make_context()
