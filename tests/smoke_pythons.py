"""The built wheel on the other supported Pythons: ``python tests/smoke_pythons.py`` (run by
``make test`` after the test suite).

Builds the wheel once, installs it with ``constraints.txt`` into a fresh venv of each Python
named on the command line (default 3.12 and 3.13) that this machine has, on PATH or under
pyenv, cleans ``fixtures/inputs`` with that venv's ``cleaner`` command and compares every
output file, byte for byte, with what the development venv's ``cleaner`` writes. A Python the
machine lacks is skipped with a message; any other failure exits 1.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "smoke"
DEFAULT_VERSIONS = ("3.12", "3.13")


def find_python(version: str) -> str | None:
    """An interpreter of ``version`` that runs: ``pythonX.Y`` on PATH, else pyenv's."""
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    pattern = f"versions/{version}*/bin/python{version}"
    candidates += sorted(str(p) for p in pyenv_root.glob(pattern))
    for candidate in filter(None, candidates):
        probe = [candidate, "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"]
        done = subprocess.run(probe, capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip() == version:
            return candidate
    return None


def run(*args: str | Path) -> None:
    """Run a command quietly; on failure, show what it printed and stop."""
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-2000:] + done.stderr[-4000:])
        raise SystemExit(f"smoke: failed ({done.returncode}): {' '.join(map(str, args))}")


def build_wheel() -> Path:
    dist = WORK / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, ROOT)
    return next(dist.glob("*.whl"))


def clean_fixtures(cleaner: Path, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    run(cleaner, "clean", ROOT / "fixtures" / "inputs", "--out", out, "--quiet")


def outputs(out: Path) -> list[Path]:
    """The per-document outputs (the report and manifest record the version and timings)."""
    return sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file() and p.parent != out)


def differences(reference: Path, other: Path) -> list[str]:
    mine, theirs = outputs(reference), outputs(other)
    if mine != theirs:
        return [f"file lists differ: {sorted(set(mine) ^ set(theirs))}"]
    return [str(p) for p in mine if not filecmp.cmp(reference / p, other / p, shallow=False)]


def check(version: str, python: str, wheel: Path, reference: Path) -> list[str]:
    venv = WORK / f"venv-{version}"
    shutil.rmtree(venv, ignore_errors=True)
    run(python, "-m", "venv", venv)
    pip = [venv / "bin" / "python", "-m", "pip", "install", "--quiet"]
    run(*pip, "--disable-pip-version-check", "-c", ROOT / "constraints.txt", wheel)
    out = WORK / f"out-{version}"
    clean_fixtures(venv / "bin" / "cleaner", out)
    return differences(reference, out)


def main(argv: list[str]) -> int:
    versions = argv or list(DEFAULT_VERSIONS)
    found = {v: find_python(v) for v in versions}
    for version in (v for v, python in found.items() if python is None):
        print(f"smoke: Python {version} not found on this machine, skipped")
    if not any(found.values()):
        return 0
    WORK.mkdir(parents=True, exist_ok=True)
    wheel = build_wheel()
    reference = WORK / "out-reference"
    clean_fixtures(Path(sys.executable).parent / "cleaner", reference)
    failed = False
    for version, python in found.items():
        if python is None:
            continue
        diff = check(version, python, wheel, reference)
        failed = failed or bool(diff)
        verdict = "outputs differ: " + ", ".join(diff) if diff else "same outputs, byte for byte"
        print(f"smoke: {wheel.name} on Python {version}: {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
