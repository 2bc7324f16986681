"""EXPERIMENT, not used by ``cleaner``: a learned block classifier for the noise stage.

Features (``features.py``), pure-Python inference (``model.py``), training with group K-fold
cross-validation (``python -m bench.noise_model.train``, scikit-learn at training time only) and
an end-to-end comparison with the rules (``python -m bench.noise_model.evaluate``). Trained on
the text corpora of ScrapingHub and the WCXB tuning split (ids not divisible by 5); evaluated on
ScrapingHub out-of-fold and on the WCXB untuned split.

Status (2026-11-28): it does not beat the rules yet: seed-style F1 .978 vs .981 (rules), naive
text about even, gold fed back better (.991 vs .988). It lives here, not in the package, until it
wins in ``make eval``; see issue 3.
"""
