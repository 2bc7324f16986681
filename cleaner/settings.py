"""Thresholds of the noise stage, in one place, each with the reason for its value.

They were chosen on the training part of the dev data (``make eval`` shows their effect); they
are deliberately conservative: a block that is not clearly noise stays.
"""

from __future__ import annotations

# A block with at least this many words and a sentence ending reads as prose.
PROSE_MIN_WORDS = 8
# ...or with this many words even without a sentence ending (long run-on lines, list paragraphs).
PROSE_LONG_WORDS = 20
# Share of function words below which a long line is a keyword list or menu, not prose.
PROSE_MIN_STOPWORD_RATIO = 0.08

# Prefix patterns (photo credits, cookie notices, "Read more: ...") only remove blocks this short,
# so a sentence that merely starts like a credit survives.
PREFIX_MAX_WORDS = 30
# A byline is the prefix ("By", "Von"...) plus at most this many words, mostly capitalised.
BYLINE_MAX_WORDS = 8
# A dateline (date, time, "Updated 3 hours ago") has at most this many words.
DATELINE_MAX_WORDS = 12

# Headline detection: a title-like line has between these many words and does not end in a period.
TITLE_MIN_WORDS = 2
TITLE_MAX_WORDS = 30
# Two strings are the same headline when their word-overlap similarity reaches this value.
TITLE_SIMILARITY = 0.8
# How many blocks at the start of a document are searched for the repeated headline.
TITLE_SEARCH_BLOCKS = 8

# Text mode, main run search: weights of the maximum-sum segment over paragraphs.
RUN_LABEL_PENALTY = 0.5      # a block already matched by a pattern barely counts
RUN_SHORT_PENALTY = 2.0      # fixed cost of a non-prose line (menu item, label, headline)
RUN_SHORT_WORD_PENALTY = 1.0  # plus this much per word of it
RUN_LIST_WEIGHT = 0.5         # a multi-line paragraph that is not prose (a list) counts half
RUN_SHORT_SENTENCE_WEIGHT = 0.5  # a complete short sentence ("That's correct," he said.) too
# A short sentence needs at least this many words.
SHORT_SENTENCE_MIN_WORDS = 3

# Inside the main run, a single-line paragraph of at most this many words, with no sentence
# ending and not continuing the previous line, is an inserted label ("Cars", "YouTube").
INLINE_LABEL_MAX_WORDS = 3

# A block containing "All rights reserved" (or its translation) is a footer up to this length.
FOOTER_MAX_WORDS = 25

# Batch profiles (cleaner/profile.py): a line is boilerplate when it occurs in at least this many
# files of the batch, and in at least this share of them (10%: in a folder of many sites, generic
# subheadings such as "Conclusion" recur across sites; with 0% the profile cost .004 F1 on the
# WCXB naive text, with 10% .001); only lines of at most PROFILE_MAX_WORDS
# words that do not end like a sentence are counted (repeated short sentences such as "He said."
# are language, not chrome).
PROFILE_MIN_FILES = 5
PROFILE_MIN_SHARE = 0.1
PROFILE_MAX_WORDS = 12
