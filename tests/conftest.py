"""Every ``pipeline`` module is imported before any test runs.

Hypothesis mixes literals from the project's loaded (non-test) modules into
the examples it generates. Without this, which examples a derandomized
property test sees would depend on which other tests ran first and what they
happened to import, so a law could fail in the full suite and pass when its
file runs alone. With every module loaded up front, one file or the whole
suite, CI and a developer see the same examples.
"""

from __future__ import annotations

import importlib
import pkgutil

import pipeline

for _module in pkgutil.walk_packages(pipeline.__path__, prefix="pipeline."):
    if not _module.name.endswith(".__main__"):  # that one runs the CLI
        importlib.import_module(_module.name)
