"""Bounds on what an officer may type, so that an over-long input is a clear error, not a stored novel."""

# About two pages of text: every free-text field (notes, summaries, reasons, addresses).
TEXT_MAX_LENGTH = 4000
