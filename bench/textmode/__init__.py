"""Training data for a learned line classifier of text mode (:mod:`bench.textmode.data`).

Every line of a scraped text dump is labelled ``article``, ``noise``, ``title`` or ``byline``.
The samples are generated deterministically from the pages with gold under the shared data
folder (ScrapingHub's 181 pages and the WCXB dev pages of every page type): the naive scraper
text of each page labelled by aligning its tokens to the gold article, and synthetic inputs
built from the gold (seed-style noise mixes, headline and byline prepended, paragraphs split
where the page splits them at inline tags). The default ``train`` split never opens a file of
the untuned WCXB pages (``int(id) % 5 == 0``, :func:`bench.corpora.is_untuned`); the same
generator builds their evaluation variants only when asked for ``split="untuned"``.
"""
