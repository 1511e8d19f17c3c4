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


def distinct_set(records, n: int, seed: int = 7) -> list[tuple[str, dict]]:
    """``n`` distinct searches drawn from the corpus's titles (``records``: its JSON objects), so that
    none is answered from a cache: words, pairs, names, quoted phrases, prefixes, exclusions and
    filtered searches, in a fixed order for a given seed."""
    import random
    rng = random.Random(seed)
    titles, sources = [], set()
    for rec in records:
        titles.append(re.findall(r"[A-Za-zÀ-ÿ][a-zà-ÿ]{3,}", rec.get("title") or ""))
        if rec.get("source"):
            sources.add(rec["source"])
    titles = [t for t in titles if len(t) >= 3]
    makers = [_word, _pair, _name, _phrase, _prefix, _exclusion, _filtered]
    out, seen = [], set()
    while len(out) < n:
        kind = makers[len(out) % len(makers)]
        params = kind(rng, rng.choice(titles), sorted(sources))
        if params and (key := json_key(params)) not in seen:
            seen.add(key)
            out.append((kind.__name__[1:], params))
    return out


def json_key(params: dict) -> str:
    return repr(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


def _word(rng, words, sources):
    return {"q": rng.choice(words).lower()}


def _pair(rng, words, sources):
    i = rng.randrange(len(words) - 1)
    return {"q": f"{words[i].lower()} {words[i + 1].lower()}"}


def _name(rng, words, sources):
    names = [w for w in words[1:] if w[:1].isupper()]
    return {"q": rng.choice(names)} if names else None


def _phrase(rng, words, sources):
    i = rng.randrange(len(words) - 1)
    return {"q": f'"{words[i]} {words[i + 1]}"'}


def _prefix(rng, words, sources):
    return {"q": rng.choice(words).lower()[:4] + "*"}


def _exclusion(rng, words, sources):
    a, b = rng.sample(words, 2)
    return {"q": f"{a.lower()} -{b.lower()}"}


def _filtered(rng, words, sources):
    if rng.random() < 0.5:
        return {"q": rng.choice(words).lower(), "source": [rng.choice(sources)]}
    year = rng.randrange(2015, 2022)
    return {"q": rng.choice(words).lower(), "from": str(year), "to": f"{year}-12"}
