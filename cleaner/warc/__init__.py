"""WARC archives as inputs (issue 17): where each record's outputs go (:mod:`.mapping`)."""
