"""Measuring the pipeline against synthetic truth.

``views`` states what "the parse equals the truth" means for each layout
family (the property tests and the evaluation share it); ``parse`` is the
parse evaluation command (``python -m pipeline.evaluation.parse``).
Nothing here is part of building a release.
"""
