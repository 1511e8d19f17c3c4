"""The name lexicon and the words of one generation, read from the cluster.

OpenSearch has no walk of a field's term dictionary (Whoosh's ``expand_prefix``), so each
generation carries a lexicon index (``<generation>-lexicon``): one document per name form
(``kind: form``: its key and the reports writing it), per folded word (``kind: word``, for
prefixes), per word written in lower case (``kind: lower``, for case shares) and per name as
written (``kind: name``, its folded form as ``key``, for completion). Its counts
are written by the rebuild and kept up by each update (``lexicon_writer``). The reports a set
of forms shares are counted on the reports index itself.

A planner asks for many keys per name: ``forms_of`` fetches all those not remembered in one
search, a word's case share is one ``_mget`` of two entries.

Look-ups are remembered for the generation's life, as the Whoosh adapter's are.
"""
from __future__ import annotations

import hashlib

from opensearchpy import OpenSearch

from search.names.terms import SPELLING
from search.text.fold import fold
from search.names.judged import Decisions

from .connection import Cluster, reading
from .documents import as_term
from .pairs import Generation

FORM, WORD, LOWER, NAME = "form", "word", "lower", "name"
COMPLETION_PAGE = 64
MAX_FORMS = 10_000  # forms filed under one key: a few dozen in practice
REMEMBERED = 100_000


def entry_id(kind: str, term: str) -> str:
    """A lexicon document's ``_id`` (a term reaches thousands of bytes; an ``_id`` 512)."""
    return hashlib.sha1(f"{kind}\x00{term}".encode("utf-8", "surrogatepass")).hexdigest()


class OpenSearchLexicon:
    """``search.plan.Vocabulary`` over one generation of the cluster."""

    def __init__(self, client: OpenSearch, generation: Generation, cluster: Cluster):
        self.client, self.generation, self.cluster = client, generation, cluster
        self.preference = cluster.name
        self._forms: dict[str, list[tuple[str, int]]] = {}
        self._lower: dict[str, float] = {}
        self._words: dict[str, int] = {}   # folded word -> reports holding it
        self._total: int | None = None     # reports in the generation
        self.decisions = Decisions(None)  # the generation's judged name forms, in memory (no folder here)

    def warm(self, counts: bool = False) -> None:
        """Nothing to read ahead: the cluster answers each look-up."""

    def forms(self, key: str) -> list[tuple[str, int]]:
        return self.forms_of([key])[key]

    def forms_of(self, keys) -> dict[str, list[tuple[str, int]]]:
        """The forms of every key not remembered yet, in one search."""
        missing = [key for key in dict.fromkeys(keys) if key not in self._forms]
        if missing:
            if len(self._forms) > REMEMBERED:
                self._forms.clear()
            body = {"query": {"bool": {"filter": [{"term": {"kind": FORM}}, {"terms": {"key": missing}}]}},
                    "size": MAX_FORMS, "sort": [{"term": "asc"}], "_source": ["term", "key", "reports"],
                    "track_total_hits": True}
            answer = self._search(self.generation.lexicon, body)["hits"]
            if answer["total"]["value"] > MAX_FORMS:  # keys of very common names: one search each
                return {key: self._one_key(key) for key in keys}
            found: dict[str, list[tuple[str, int]]] = {key: [] for key in missing}
            for h in answer["hits"]:
                found[h["_source"]["key"]].append((h["_source"]["term"], h["_source"]["reports"]))
            self._forms.update(found)
        return {key: self._forms[key] for key in keys}

    def _one_key(self, key: str) -> list[tuple[str, int]]:
        if key not in self._forms:
            body = {"query": {"bool": {"filter": [{"term": {"kind": FORM}}, {"term": {"key": key}}]}},
                    "size": MAX_FORMS, "sort": [{"term": "asc"}], "_source": ["term", "reports"]}
            hits = self._search(self.generation.lexicon, body)["hits"]["hits"]
            self._forms[key] = [(h["_source"]["term"], h["_source"]["reports"]) for h in hits]
        return self._forms[key]

    def words_with_prefix(self, field: str, prefix: str, limit: int) -> list[str]:
        """Folded words only: the one field planning expands (``search.plan``)."""
        if field != "folded" or limit <= 0:
            return []
        body = {"query": {"bool": {"filter": [{"term": {"kind": WORD}}, {"prefix": {"term": as_term(prefix)}}]}},
                "size": limit, "sort": [{"term": "asc"}], "_source": ["term"]}
        return [h["_source"]["term"] for h in self._search(self.generation.lexicon, body)["hits"]["hits"]]

    def lower_case(self, word: str) -> float:
        """Reports writing the word in lower case over reports writing it at all."""
        found = self._lower.get(word)
        if found is None:
            if len(self._lower) > REMEMBERED:
                self._lower.clear()
            ids = [entry_id(LOWER, as_term(word.lower())), entry_id(WORD, as_term(fold(word)))]
            with reading(self.cluster):
                docs = self.client.mget(index=self.generation.lexicon, body={"ids": ids}, _source=["reports"],
                                        preference=self.preference)["docs"]
            lower, every = (d["_source"]["reports"] if d.get("found") else 0 for d in docs)
            found = self._lower[word] = min(1.0, lower / every) if every else 0.0
        return found

    def reports(self, terms) -> int:
        """Reports holding any of the ``names`` terms."""
        terms = list(terms)
        if not terms:
            return 0
        with reading(self.cluster):
            return self.client.count(index=self.generation.reports, body={"query": {"terms": {"names": terms}}},
                                     preference=self.preference)["count"]

    def texts(self, terms, limit: int, chars: int) -> list[str]:
        """Title and opening of up to ``limit`` reports holding any of the ``names`` terms: those first
        in an order drawn from their ids (spread over the collection, the same while the generation lives)."""
        terms = list(terms)
        if not terms or limit <= 0:
            return []
        body = {"query": {"function_score": {"query": {"terms": {"names": terms}},
                                             "random_score": {"seed": 0, "field": "id"}, "boost_mode": "replace"}},
                "size": limit, "sort": [{"_score": "desc"}, {"id": "asc"}], "_source": ["title", "body"]}
        hits = self._search(self.generation.reports, body)["hits"]["hits"]
        return [f"{h['_source'].get('title') or ''}\n{(h['_source'].get('body') or '')[:chars]}" for h in hits]

    def word_reports(self, words) -> tuple[int, dict[str, int]]:
        """(reports in the generation, reports holding each folded word): the lexicon's word entries, one ``_mget``."""
        missing = [w for w in dict.fromkeys(words) if w not in self._words]
        if missing:
            if len(self._words) > REMEMBERED:
                self._words.clear()
            with reading(self.cluster):
                docs = self.client.mget(index=self.generation.lexicon, body={"ids": [entry_id(WORD, as_term(w)) for w in missing]},
                                        _source=["reports"], preference=self.preference)["docs"]
            self._words.update({w: d["_source"]["reports"] if d.get("found") else 0 for w, d in zip(missing, docs)})
        if self._total is None:
            with reading(self.cluster):
                self._total = self.client.count(index=self.generation.reports, preference=self.preference)["count"]
        return self._total, {w: self._words[w] for w in words}

    def complete(self, start: str, limit: int) -> list[tuple[str, int]]:
        """Names written starting with ``start``, case and accents aside: each folded name once, under its
        most written spelling and that spelling's count, the most reported first (as the Whoosh adapter)."""
        key = fold(start)
        found: dict[str, tuple[str, int]] = {}
        body: dict = {"query": {"bool": {"filter": [{"term": {"kind": NAME}}, {"prefix": {"key": key}}]}},
                      "size": COMPLETION_PAGE, "sort": [{"reports": "desc"}, {"key": "asc"}, {"term": "asc"}],
                      "_source": ["term", "key", "reports"]}
        while key and len(found) < limit:
            hits = self._search(self.generation.lexicon, body)["hits"]["hits"]
            for h in hits:  # a name's most written spelling comes first: it stands for the name
                found.setdefault(h["_source"]["key"], (h["_source"]["term"][len(SPELLING):], h["_source"]["reports"]))
            if len(hits) < COMPLETION_PAGE:
                break
            body["search_after"] = hits[-1]["sort"]
        return list(found.values())[:limit]

    def _search(self, index: str, body: dict) -> dict:
        with reading(self.cluster):
            return self.client.search(index=index, body=body, preference=self.preference)
