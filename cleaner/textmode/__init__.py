"""Text mode's learned noise stage: a line model over each line and its context.

``features`` turns a document's lines into named features, ``model`` scores them with the
shipped weights and decodes the line sequence, ``stage`` applies the decisions to a
:class:`~cleaner.document.Document` (with the rule lists as a veto), re-joins lines a scraper
split inside a sentence, and picks the headline and byline.
"""
