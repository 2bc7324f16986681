"""CI quality gate: published-score reproduction and pinned-subset quality floors.

The data these tests read is copied into ``tests/data/`` by ``python -m tests.gate.make_data``
so that the gate runs offline and without ``../shared``.
"""
