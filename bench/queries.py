"""The fixed query set: real searches over the French news corpus, by kind.

Each query is the ``/api/search`` parameters; ``fts_match`` turns its text into
the FTS5 expression Datasette would send (each word or phrase quoted, ANDed).
"""
from __future__ import annotations

import re

WORDS = ["gouvernement", "vaccin", "grève", "élections", "pollution", "hôpital", "électrique", "police"]
PAIRS = ["réforme retraites", "gilets jaunes", "assurance chômage", "voiture électrique",
         "incendie forêt", "président république"]
NAMES = ["Macron", "Trump", "Merkel", "Mélenchon", "Benalla", "Poutine", "Kadhafi", "Le Pen"]
PHRASES = ['"état d\'urgence"', '"Assemblée nationale"', '"gilets jaunes"', '"premier ministre"',
           '"coupe du monde"']
FILTERED = [
    {"q": "Macron", "source": ["AFP"]},
    {"q": "vaccin", "from": "2020-01", "to": "2020-06"},
    {"q": "grève", "source": ["Orange avec AFP", "6Medias"], "from": "2019"},
    {"q": "voiture électrique", "source": ["Orange Auto"]},
    {"q": '"gilets jaunes"', "from": "2018-11", "to": "2019-03"},
    {"q": "", "source": ["BFMTV"]},
    {"q": "", "from": "2020-03-01", "to": "2020-03-31"},
]


def query_set() -> list[tuple[str, dict]]:
    """(kind, params) for every query of the run, in a fixed order."""
    out = [("word", {"q": q}) for q in WORDS] + [("pair", {"q": q}) for q in PAIRS]
    out += [("name", {"q": q}) for q in NAMES] + [("phrase", {"q": q}) for q in PHRASES]
    out += [("filtered", p) for p in FILTERED]
    return out


_PART = re.compile(r'"[^"]*"|\S+')


def fts_match(q: str) -> str | None:
    """Datasette's ``escape_fts``: every word or quoted phrase quoted, implicitly ANDed."""
    parts = [p.strip('"').replace('"', "") for p in _PART.findall(q)]
    parts = [p for p in parts if p.strip()]
    return " ".join(f'"{p}"' for p in parts) or None


def describe(params: dict) -> str:
    extra = [f"{k}={v}" for k, v in params.items() if k != "q" and v]
    return (params.get("q") or "(all)") + (" [" + ", ".join(extra) + "]" if extra else "")
