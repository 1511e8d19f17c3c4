"""Saved searches to and from JSON: to keep a copy, or to hand a colleague one's searches.

    {"format": "revue-presse/recherches", "version": 1,
     "searches": [{"name": "Alep", "query": "q=Alep&from=2016-07", "created": "2026-12-06T14:02:00+00:00"}]}

What each search has seen stays behind: an imported search starts from what it finds on import.
A name already taken by the same search is skipped; by another search, the import is named
"Alep (2)".
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from search.errors import BadRequest
from search.params import from_query_string, query_string
from search.saved.searches import SavedSearches, check_name

FORMAT = "revue-presse/recherches"
VERSION = 1
MOST = 1000  # searches one import may bring


def export(saved: SavedSearches) -> dict:
    return {"format": FORMAT, "version": VERSION,
            "searches": [{"name": s.name, "query": s.query, "created": s.created} for s in saved.all()]}


@dataclass
class Imported:
    added: list[str] = field(default_factory=list)     # names given
    skipped: list[str] = field(default_factory=list)   # already saved, the same search under the same name
    refused: list[str] = field(default_factory=list)   # "name : why"


def read(text: str | bytes) -> list[tuple[str, str]]:
    """(name, query) of each search of an export; raises BadRequest for what is not one."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("ce fichier n’est pas du JSON : attendu, un export des recherches enregistrées", "fichier") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("searches"), list):
        raise BadRequest(f"ce JSON n’est pas un export des recherches enregistrées (format {FORMAT})", "fichier")
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise BadRequest(f"export d’une version plus récente ({data.get('version')!r}) : mettez le logiciel à jour",
                         "fichier")
    if len(data["searches"]) > MOST:
        raise BadRequest(f"au plus {MOST} recherches par import", "fichier")
    out = []
    for item in data["searches"]:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not isinstance(item.get("query"), str):
            raise BadRequest("chaque recherche de l’export a un nom (name) et une recherche (query)", "fichier")
        out.append((item["name"], item["query"]))
    return out


def import_into(saved: SavedSearches, text: str | bytes) -> Imported:
    done = Imported()
    for name, query in read(text):
        try:
            name, params = check_name(name), from_query_string(query)
        except BadRequest as e:
            done.refused.append(f"{name[:80]} : {e}")
            continue
        there = saved.by_name(name)
        if there is not None and there.query == query_string(params):
            done.skipped.append(name)
            continue
        name = _free_name(saved, name)
        saved.save(name, params)
        done.added.append(name)
    return done


def _free_name(saved: SavedSearches, name: str) -> str:
    if saved.by_name(name) is None:
        return name
    n = 2
    while saved.by_name(f"{name} ({n})") is not None:
        n += 1
    return f"{name} ({n})"
