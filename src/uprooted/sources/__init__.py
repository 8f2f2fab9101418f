"""The sources stage: who the document says gave a figure.

Takes a parsed spaCy ``Doc``, the sentence of a figure and the figure's anchor token; returns a
``records.Source`` or ``None`` when the document states the figure in its own voice. ``syntax``
reads attribution inside a sentence, ``attribution`` the wider context (quotations, paragraphs, the
wire lead), ``naming`` turns the span found into a canonical name through ``vocab``.
"""

from __future__ import annotations

from .attribution import document_source, figure_source
from .vocab import SourcesVocab, load_sources_vocab

__all__ = ["SourcesVocab", "document_source", "figure_source", "load_sources_vocab"]
