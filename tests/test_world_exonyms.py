"""The exonym table beyond the region (search/data/exonyms.tsv): the countries, capitals, leaders and
bodies the region's reports name beside it, typed as English wires or Arabic sources write them,
end to end on real corpus articles (a real index and the app)."""
from __future__ import annotations

import pytest

from .conftest import make_client
from .names_sample import CORPUS, articles_index

WANTED = {"Poutine": 4, "Boutin": 3, "Kiev": 3, "OTAN": 3, "Tunisie": 3, "Tunis": 3, "Varsovie": 2}

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="the shared corpus is not beside the project")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with make_client(articles_index(tmp_path_factory.mktemp("world-exonyms"), WANTED)) as c:
        yield c


def matched(client, q: str) -> set[str]:
    r = client.get("/api/search", params={"q": q, "per_page": 100})
    assert r.status_code == 200
    return {s.casefold() for h in r.json()["hits"] for s in h["matched"]}


@pytest.mark.parametrize("typed, written", [("Putin", "poutine"), ("Kyiv", "kiev"), ("NATO", "otan"),
                                            ("Warsaw", "varsovie"), ("بوتين", "poutine")])
def test_an_english_or_arabic_name_finds_the_french_one(client, typed, written):
    assert written in matched(client, typed)


def test_putin_is_not_boutin(client):
    assert "boutin" not in matched(client, "Putin") and "boutin" not in matched(client, "Poutine")


def test_an_arabic_name_of_two_places_finds_both(client):
    """تونس writes the country and its capital alike: the query names both rows."""
    assert {"tunisie", "tunis"} <= matched(client, "تونس")
