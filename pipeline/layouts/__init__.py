"""Page-layout plug-ins, one module per layout family.

Adding a family is adding a module here that defines ``LAYOUT`` (an object
satisfying :class:`pipeline.layouts.base.Layout`); :func:`all_layouts`
discovers it. Nothing else needs editing.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from pipeline.layouts.base import Layout

_NOT_LAYOUTS = {"base"}


@cache
def all_layouts() -> tuple[Layout, ...]:
    """Every layout plug-in in this package, sorted by name (deterministic)."""
    found: list[Layout] = []
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name in _NOT_LAYOUTS or module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        layout = getattr(module, "LAYOUT", None)
        if layout is not None:
            found.append(layout)
    return tuple(sorted(found, key=lambda layout: layout.name))
