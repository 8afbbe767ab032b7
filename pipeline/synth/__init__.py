"""Synthetic pages with known truth, for property tests, evaluation and benchmarks.

``model`` defines what a page *is* (article + comment tree); the renderers
(one module per layout family) turn a model into page text the way such a
site would show it; the generator draws realistic models from a seed.
"""
