"""The order stage's model training (``train``), benchmark (``evaluate``), diagnostics
(``probe``) and their figures (``metrics``)."""
