"""The names chain's shortcuts change no token: runs read stretch by stretch, and a stretch's terms
remembered by shape, give what the rules over the whole text give (``search.names.units._runs``
is those rules; the reference below is NameFilter as it was, with no memory).

On real reports (the corpus's first 150 articles) and on texts made to sit on the edges: an article
opening the text or following a full stop, an ezafe after an inert word, a particle between names,
the same name at positions 0 and later, in reports and in queries."""
from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest

from search.names.filter import NameFilter, _is_lower_case_word, _segment_tokens
from search.names.terms import WORD, spelling_key
from search.names.units import WORDS, _runs, runs, segments
from search.text.analyzers import Token
from search.text.fold import fold

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "fr_news.jsonl.gz"
EDGES = [
    "Al-Qaïda a revendiqué. Al Qaida aussi. al-Qaïda enfin",
    "En Normandie. et Téhéran, es-Salt et Es Suweida, à Deir ez-Zor puis Deir ez Zor",
    "Bandar-e Abbas, le sang-e Māsheh, Sang-e Māsheh et Bandar e Abbas",
    "Oussama ben Laden, Al-bu-Kamal, Abou Bakr al-Baghdadi, ibn Saoud",
    "Ras al-Aïn, Tel Aviv, Ras Tanoura, Tel al-Zaatar, la guerre Israël-Hamas",
    "Ghana, ONU, OTAN-Russie, حماة et عَمّان, אל-עריש",
    "Safi a-Din et Safi ad-Din, un an, Al seul, Mme Ahmed",
    "Es Suweida. Les combats dans la ville Es Suweida, puis vers En Naqoura",
]


def _texts() -> list[str]:
    out = list(EDGES)
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in itertools.islice(fh, 150):
            record = json.loads(line)
            out += [record.get("title") or "", record.get("text") or ""]
    return out


def _reference(tokens: list[Token], query: bool) -> list[tuple]:
    """NameFilter with no stretch and no memory: the rules over the whole text."""
    out = []
    for run in _runs(tokens, query):
        for segment in segments(run):
            out += list(_segment_tokens(segment))
        key = spelling_key(u.spelled for u in run)
        out.append(Token(key, key, run[0].start, run[-1].end, run[0].pos))
    out += [Token(WORD + fold(t.original), t.original, t.start, t.end, t.pos)
            for t in tokens if _is_lower_case_word(t.original)]
    return [(t.text, t.original, t.start, t.end, t.pos) for t in out]


@pytest.mark.parametrize("query", [False, True])
def test_names_tokens_are_the_rules_over_the_whole_text(query):
    texts, name_filter, seen = _texts(), NameFilter(), 0
    for text in texts + texts:  # twice: the second time every stretch's terms are remembered ones
        tokens = list(WORDS(text))
        assert runs(tokens, query) == _runs(tokens, query)
        got = [(t.text, t.original, t.start, t.end, t.pos) for t in name_filter(tokens, query=query)]
        assert got == _reference(tokens, query), text[:80]
        seen += len(got)
    assert seen > 4_000  # the corpus was read: real names were compared, not empty lists
