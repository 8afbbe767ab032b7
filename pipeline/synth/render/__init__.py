"""Renderers: a :class:`~pipeline.synth.model.SynthPage` written the way one
layout family's sites show it, one module per family (named like the layout
plug-ins under ``pipeline/layouts/``).

Every renderer module exposes:

* ``TRAITS``: what the family shows and allows (:class:`FamilyTraits`);
* ``render(page, rng) -> str``: the page text;
* ``render_lines(page, rng) -> RenderedPage``: the same text plus the role of
  every line (title, body, handle, comment text, chrome, blank), which the
  evaluation uses to score a parse line by line;
* ``visible(page) -> SynthPage``: the part of the truth the family shows.

Renderers never invent content: every non-chrome line comes from the page.
The chrome they add (menus, counters, forms, captions, donation widgets) is
marked as such in the line roles.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

FAMILIES = ("flat_handles", "numbered", "indented_bullets", "blank_separated", "no_handles")


@cache
def renderer(family: str) -> ModuleType:
    """The renderer module of one family."""
    if family not in FAMILIES:
        raise KeyError(f"no renderer for layout family {family!r}; known: {FAMILIES}")
    return importlib.import_module(f"{__name__}.{family}")
