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
# ...and a block with (almost) the title's very words is the headline whatever its punctuation.
TITLE_SAME = 0.95
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

# htmldate's date search for HTML metadata. The "extensive" search runs dateparser over free
# text; without it the cleaner ran 17% faster on ScrapingHub pages and lost 1 date in 120
# (measured with both settings on the same pages).
DATE_SEARCH: dict[str, bool] = {"extensive_search": False, "original_date": True}

# With --fast, a page whose fast-mode text is shorter than this (characters) is extracted again
# in the full mode: short texts are where the skipped readability/jusText comparison matters.
# The bound of best tuning F1 among those keeping the extraction within 85% of the full mode's
# time (``python -m bench.fast_threshold``, ScrapingHub + WCXB dev tuning pages). A bound
# relative to the page (fast text against trafilatura's whole-page text) was tried: measuring
# the page's text cost 3-7 ms a page, most of what the fast mode saves.
FAST_MIN_CHARS = 1_250

# A reporting credit ("Additional reporting by ...") is a block of at most this many words.
CREDIT_MAX_WORDS = 25

# Shown by `explain` when a plain text is left untouched because it shows no sign of scraping
# (it opens with prose and no pattern matches): gold article text fed back in must come out as
# it went in, and the structural trims cannot tell its subheadings from inserted labels.
# Text mode, model+rules (cleaner.textmode.stage._combine): a line the rules drop is kept when
# the line model's noise probability is under TEXT_RESCUE_BELOW, a line they keep goes when it
# is over TEXT_DROP_ABOVE. Chosen on ScrapingHub's text corpora (`python -m bench.eval --corpus
# sh-gold sh-seed sh-naive --limit 150`, no untuned page): rescue 0.1 / drop 0.9 gave naive F1
# .868, seed-style .978, gold fed back .933; the training variants' own optimum (rescue 0.5)
# lost precision on naive text (F1 .834).
TEXT_RESCUE_BELOW = 0.1
# The rules that judge a line by where it stands and how short it is, not by what it says
# (a named phrase such as "Share"), lose article lines most: out of fold on the training
# variants (`python -m bench.textmode.train --oof`, the threshold swept over its documents)
# they dropped 105,000 article lines as "outside the main article". Their lines are rescued
# under a higher bound. Out of fold, word F1 rose with it on every variant (0.1 / 0.2 / 0.4:
# naive .850 / .854 / .858, seed-style .978 / .979 / .982, split lines .956 / .964 / .976); on
# ScrapingHub's naive text, which holds other noise, the shingle F1 went .866 / .862 / .844
# (`python -m bench.eval --corpus sh-naive sh-seed`): 0.2 keeps that, and the recall.
TEXT_RESCUE_POSITIONAL_BELOW = 0.2
POSITIONAL_REASONS = (
    "outside the main article",
    "related headline after the article",
    "short label inside the article",
    "dateline/timestamp",
    "headline",
)
TEXT_DROP_ABOVE = 0.9
MODEL_CLEAN_NOTE = "text looks clean (no line reaches the line model's noise bound): left as it is"
MODEL_CLEAN_JOINED_NOTE = (
    "text looks clean: every line kept, lines split inside a sentence joined again"
)
MODEL_TITLED_CLEAN_NOTE = "text looks clean under its headline: the headline is also the title"
CLEAN_TEXT_NOTE = "text looks clean (opens with prose, no noise pattern): left as it is"

# A paragraph of an HTML page that repeats an earlier one goes when it has at least this many
# words. On the ScrapingHub and WCXB (tuning split) pages (a one-off analysis of the outputs
# against the gold, not a repo benchmark), dropping every later copy of a kept
# paragraph of >= 20 words removed 73 copies the gold does not hold (18 pages) and 19 it holds
# (4 pages: an interview repeating its question, recipes repeating their ingredient list); at
# >= 12 words 91 and 51, at >= 8 words 108 and 75. Runs of short repeated lines (captions)
# cost more gold than they saved (108 copies the gold holds for 110 it lacks).
REPEAT_MIN_WORDS = 20
# A run of consecutive copies goes whole, its short lines too (captions and subheadings of a
# second copy of the story), when it holds this many long copies. `make eval` on the tuning
# pages (ScrapingHub, WCXB id % 5 != 0): at 5 one WCXB page gains (.946 -> .987, a whole copy of
# an article) and none loses; at 2, 3 and 4 a recipe page that repeats its meal plans (kept
# twice by the gold) lost .852 -> .76 / .81 / .81.
REPEAT_RUN_MIN_LONG = 5

# An output this short, or made only of menu-like lines, is not an article: it carries the
# warning and the run summary counts it as empty. No gold article of ScrapingHub or WCXB dev
# (tuning split, every page type) has fewer than 25 words but one collection page; none of
# the 808 news and article golds has fewer than 50. Menu-like: under ARTICLE_MIN_PROSE_SHARE of
# the words in prose lines (a line of PROSE_LINE_MIN_WORDS words or more, or of
# SENTENCE_MIN_WORDS or more that ends on a full stop). On the tuning pages (ScrapingHub, WCXB
# dev id % 5 != 0; one-off counts, `python -m bench.empty_pages` prints the current figures):
# the gold texts flagged so are 1 of 181 ScrapingHub articles (a race calendar), 2 of 629 WCXB
# articles (both empty) and 40 of 563 other WCXB pages (collections, listings, products); the
# outputs of 25+ words, 20 of 1358 real pages (no article among them: the nearest, .21 and
# .23) and 718 of 899 pages made of a source page's <nav> alone. Long lines at 20 words
# instead of 12 flag 27 more <nav> pages, but put two articles at .115 and .14 of the bound.
NO_ARTICLE_WARNING = "no article found"
ARTICLE_MIN_WORDS = 25
PROSE_LINE_MIN_WORDS = 12
SENTENCE_MIN_WORDS = 6
ARTICLE_MIN_PROSE_SHARE = 0.1
# langdetect on a few words is a guess it reports with confidence ("Home | About": en, 1.0).
# The language of a gold text's first k words agrees with that of the whole text in .734 of
# 500 gold texts at 3 words, .896 at 5, .972 at 8 (`python -m bench.language_min`); under
# this many words the language is null.
LANGUAGE_MIN_WORDS = 8

# The order stage runs on plain text only. An HTML page's DOM order is the order it was published
# in: on the 181 ScrapingHub pages (all in order) the stage's first model (commit 1cbcea0) moved
# paragraphs of 6 and flagged paragraphs of 10 as off-topic, all false alarms, for 13% of the
# HTML run time.
ORDER_HTML_NOTE = "order stage not run: an HTML page keeps its published order"
ORDER_OFF_NOTE = "order stage off (--reorder never)"

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

# --- batch runs ---
# Default worker processes: min(this, CPUs). Beyond 4 a folder run is usually disk-bound, and a
# Makefile that runs several cleaners under `make -j` should not get CPUs x CPUs processes.
DEFAULT_MAX_JOBS = 4
# Per-file time limit (seconds) before its worker is killed and the file reported as failed.
# The mean page takes 0.19 s with --jobs 1 (make bench), so 30 s only stops pathological input
# (trafilatura can run for minutes on some markup).
DEFAULT_TIMEOUT_SECONDS = 30.0
# Files sent to a worker in one message: fewer messages, still a result (and a timeout clock)
# per file.
POOL_CHUNK_SIZE = 4
# At most this many results (per worker) are held out of order while an earlier, slow file
# finishes: bounds the parent's memory whatever the folder size.
POOL_MAX_AHEAD_PER_WORKER = 16
# The manifest is rewritten at most this often during a run (and once at its end), so a killed
# run loses at most this much work.
MANIFEST_FLUSH_SECONDS = 5.0
# Memory a local worker process may use (RLIMIT_AS), so a pathological page fails alone with
# "exceeds the memory limit" instead of taking the machine (see --max-memory). RLIMIT_AS counts
# address space (everything mapped), not RSS, and RSS never exceeds it: the limit is a hard
# bound on each worker's RSS (4 workers: 2.4 GB at most). A worker is 130 MB of address space
# right after the fork (the parent has trafilatura, lxml and langdetect's profiles loaded;
# /proc/PID/status VmSize, 98 MB of it resident); its address space runs about 25 MB above its
# RSS. The largest real pages of the dev sets (3-5 MB, mostly scripts) peak at 140-210 MB RSS,
# a generated 10 MB page of prose at 440 MB; what needs more is pathological (a 50 MB page of
# prose, 5 MB of dense markup, 60 MB of text: each fails here after ~5-18 s, at 575 MB RSS),
# and would mostly hit the 30 s timeout anyway. 600 MiB keeps every worker under the 600 MB
# target of make bench's memory table (python -m bench.speed --only memory).
DEFAULT_MAX_MEMORY_BYTES = 600 * 1024 * 1024

# --- reading ---
# Bytes that are not valid UTF-8 are decoded as UTF-8 with U+FFFD for the broken bytes when valid
# multi-byte UTF-8 sequences are at least this many times as frequent as invalid ones; otherwise
# they are legacy text (declared charset, then detection). Measured on the 5,935 encodings of the
# WCXB and ScrapingHub gold articles in 18 legacy code pages that a language can be written in
# (cp1250-1257, koi8-r, iso8859-*, mac-roman, cp437/850/866): the highest ratio was 0.17 (cp866),
# apart from one article that holds mojibake, whose bytes are genuine UTF-8. With 6 stray latin-1
# bytes inserted into each gold article's UTF-8, this ratio keeps 62% of them UTF-8 (the rule
# before, ratio 4 and at most one bad byte per 1,000, kept 28%; the rest went to detection, which
# read one as cp775 mojibake throughout). The articles it still sends to detection have fewer
# non-ASCII characters than stray bytes, so little of them can turn into mojibake.
MOSTLY_UTF8_MIN_RATIO = 1.0
