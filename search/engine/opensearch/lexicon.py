"""The name lexicon and the words of one generation, read from the cluster.

OpenSearch has no walk of a field's term dictionary (Whoosh's ``expand_prefix``), so each
generation carries a lexicon index (``<generation>-lexicon``): one document per name form
(``kind: form``: its key and the reports writing it) and one per folded word (``kind: word``,
for prefixes). Its counts are written by the rebuild and kept up by each update
(``lexicon_writer``). Case shares and report counts of a set of forms are counted on the
reports index itself: ``term`` counts are the shard's document frequencies.

Look-ups are remembered for the generation's life, as the Whoosh adapter's are.
"""
from __future__ import annotations

import hashlib

from opensearchpy import OpenSearch

from search.text.analysis import fold_accents

from .documents import cut
from .generations import Generation

FORM, WORD = "form", "word"
MAX_FORMS = 10_000  # forms filed under one key: a few dozen in practice
REMEMBERED = 100_000


def entry_id(kind: str, term: str) -> str:
    """A lexicon document's ``_id`` (a term reaches thousands of bytes; an ``_id`` 512)."""
    return hashlib.sha1(f"{kind}\x00{term}".encode("utf-8", "surrogatepass")).hexdigest()


class OpenSearchLexicon:
    """``search.plan.Vocabulary`` over one generation of the cluster."""

    def __init__(self, client: OpenSearch, generation: Generation, preference: str):
        self.client, self.generation, self.preference = client, generation, preference
        self._forms: dict[str, list[tuple[str, int]]] = {}
        self._lower: dict[str, float] = {}

    def forms(self, key: str) -> list[tuple[str, int]]:
        found = self._forms.get(key)
        if found is None:
            if len(self._forms) > REMEMBERED:
                self._forms.clear()
            body = {"query": {"bool": {"filter": [{"term": {"kind": FORM}}, {"term": {"key": key}}]}},
                    "size": MAX_FORMS, "sort": [{"term": "asc"}], "_source": ["term", "reports"]}
            hits = self._search(self.generation.lexicon, body)["hits"]["hits"]
            found = self._forms[key] = [(h["_source"]["term"], h["_source"]["reports"]) for h in hits]
        return found

    def words_with_prefix(self, field: str, prefix: str, limit: int) -> list[str]:
        """Folded words only: the one field planning expands (``search.plan``)."""
        if field != "folded" or limit <= 0:
            return []
        body = {"query": {"bool": {"filter": [{"term": {"kind": WORD}}, {"prefix": {"term": cut(prefix)}}]}},
                "size": limit, "sort": [{"term": "asc"}], "_source": ["term"]}
        return [h["_source"]["term"] for h in self._search(self.generation.lexicon, body)["hits"]["hits"]]

    def lower_case(self, word: str) -> float:
        """Reports writing the word in lower case over reports writing it at all."""
        found = self._lower.get(word)
        if found is None:
            if len(self._lower) > REMEMBERED:
                self._lower.clear()
            lower, every = self._counts([{"term": {"verbatim": cut(word.lower())}},
                                         {"term": {"folded": cut(fold_accents(word).lower())}}])
            found = self._lower[word] = min(1.0, lower / every) if every else 0.0
        return found

    def reports(self, terms) -> int:
        """Reports holding any of the ``names`` terms."""
        terms = list(terms)
        if not terms:
            return 0
        return self.client.count(index=self.generation.reports, body={"query": {"terms": {"names": terms}}},
                                 preference=self.preference)["count"]

    def _counts(self, queries: list[dict]) -> list[int]:
        """Each query's match count, in one round trip."""
        lines: list[dict] = []
        for q in queries:
            lines += [{"index": self.generation.reports, "preference": self.preference},
                      {"query": q, "size": 0, "track_total_hits": True}]
        answers = self.client.msearch(body=lines)["responses"]
        for a in answers:
            if "error" in a:
                raise RuntimeError(a["error"])
        return [a["hits"]["total"]["value"] for a in answers]

    def _search(self, index: str, body: dict) -> dict:
        return self.client.search(index=index, body=body, preference=self.preference)
