"""The order stage's model training (``train``) and benchmark (``evaluate``)."""
