"""`pip install .`: what the package metadata declares, read from setuptools' own egg_info (half a second).

A real `pip install .` into a fresh virtualenv takes half a minute and a package index; this checks
the same declarations cheaply: the dependencies are requirements.txt's, the console script is the
CLI's entry, and every module and data file of search/ is in the distribution.
"""
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def egg_info(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("egg")
    r = subprocess.run([sys.executable, "-c", "from setuptools import setup; setup()", "-q", "egg_info",
                        "--egg-base", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    [info] = out.glob("*.egg-info")
    return info


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]


def test_dependencies_are_the_requirements(egg_info):
    assert _lines(egg_info / "requires.txt") == _lines(ROOT / "requirements.txt")


def test_the_console_script_is_the_cli(egg_info):
    assert _lines(egg_info / "entry_points.txt") == ["[console_scripts]", "revue-presse = search.cli:main"]
    module, name = "search.cli:main".split(":")
    assert callable(getattr(importlib.import_module(module), name))


def test_every_module_and_data_file_is_packaged(egg_info):
    shipped = set(_lines(egg_info / "SOURCES.txt"))
    wanted = {p.relative_to(ROOT).as_posix() for p in (ROOT / "search").rglob("*")
              if p.is_file() and (p.suffix == ".py" or p.parent.name in ("data", "templates", "static"))
              and "__pycache__" not in p.parts}
    # a data file, a sub-package, the page's templates and script (an installed revue-presse serves the page)
    assert {"search/data/verdict.json", "search/names/translit/keys.py", "search/web/templates/base.html",
            "search/web/static/keys.js"} <= wanted
    assert wanted <= shipped, sorted(wanted - shipped)
