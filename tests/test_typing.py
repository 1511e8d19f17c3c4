"""The package type-checks: mypy over search/ (its settings in pyproject.toml) finds nothing.

mypy comes with requirements-test.txt; without it this test fails ("No module named mypy"), never skips.
"""
import subprocess
import sys

from .conftest import ROOT


def test_mypy_finds_no_error_in_the_package():
    r = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, (r.stdout + r.stderr)[-4000:]
