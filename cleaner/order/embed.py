"""Static word vectors for the splice scorer: the optional extra ``cleaner-news[embed]``.

The vectors are wordllama's (256 wide, one per token of the Llama 2 tokenizer, in its PyPI
wheel). Its own loader is not used: it looks for its files in the wrong folder, falls back to
a model hub, and importing ``wordllama`` configures the root logger. The two files are read
here straight from the installed distribution, so nothing is ever downloaded.

A text's vector is the mean of its tokens' vectors (wordllama's average pooling, without
special tokens), normalised to length 1, in float64. Texts are tokenized one at a time:
``encode_batch`` starts the tokenizer's thread pool, which then warns on stderr in every
forked worker.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

DISTRIBUTION = "wordllama"
WEIGHTS = "wordllama/weights/l2_supercat_256.safetensors"
TOKENIZER = "wordllama/tokenizers/l2_supercat_tokenizer_config.json"
TENSOR = "embedding.weight"
MODULES = ("numpy", "safetensors", "tokenizers")  # what loading needs, besides the files
INSTALL_HINT = "pip install 'cleaner-news[embed]'"
MISSING = f"--embed needs the optional extra: {INSTALL_HINT}"


class MissingExtraError(ImportError):
    """The ``embed`` extra (wordllama and what reading it needs) is not installed."""


def _files() -> tuple[Path, Path] | None:
    """The vectors' and the tokenizer's paths in the installed wheel (None: not there)."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None
    paths = (Path(str(dist.locate_file(WEIGHTS))), Path(str(dist.locate_file(TOKENIZER))))
    return paths if all(p.is_file() for p in paths) else None


def available() -> bool:
    """Whether the extra is installed (cheap: nothing is imported or read)."""
    modules = all(importlib.util.find_spec(name) is not None for name in MODULES)
    return modules and _files() is not None


def version() -> str:
    """The installed vectors' version (part of the fingerprint of an ``embed`` run)."""
    return metadata.version(DISTRIBUTION) if available() else "missing"


@lru_cache(maxsize=1)
def _vectors() -> tuple[Any, Any]:
    """(token vectors as float64, tokenizer), read once per process."""
    files = _files()
    if files is None or not available():
        raise MissingExtraError(MISSING)
    import numpy as np
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    table = load_file(str(files[0]))[TENSOR].astype(np.float64)
    return table, Tokenizer.from_file(str(files[1]))


def embed(texts: Sequence[str]) -> Any:
    """One unit-length row (numpy float64) per text; zeros for a text with no tokens."""
    import numpy as np

    table, tokenizer = _vectors()
    out = np.zeros((len(texts), table.shape[1]))
    for row, text in enumerate(texts):
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        if ids:
            out[row] = table[np.asarray(ids)].mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms > 0, norms, 1.0)
