"""The shipped reports, end to end: metadata and the spellings the issue names."""
import pytest

BOTH = {"000_35afb961cde4eec7", "004_5f5f0d47140a8dcd"}


def search(client, q, **params):
    r = client.get("/api/search", params={"q": q, **params})
    assert r.status_code == 200
    return r.json()


def test_seed_metadata(seeds_client):
    hits = {h["id"]: h for h in search(seeds_client, "")["hits"]}
    review, attack = hits["004_5f5f0d47140a8dcd"], hits["000_35afb961cde4eec7"]
    assert (review["source"], review["date"], review["date_precision"]) == ("Perspectives Med", "2023-11-01", "day")
    assert review["title"].startswith("Revue de presse")
    assert (attack["source"], attack["date"], attack["date_precision"]) == (None, None, None)
    assert attack["title"].startswith("Rapports sur une autre attaque")


@pytest.mark.parametrize("q", ["Boukamal", "Abou Kamal", "al-Bochmal", "البوكمال"])
def test_every_spelling_of_abu_kamal_finds_both_seeds(seeds_client, q):
    assert {h["id"] for h in search(seeds_client, q)["hits"]} == BOTH


def test_soleimani_under_another_spelling(seeds_client):
    assert [h["id"] for h in search(seeds_client, "Qassem Soleimani")["hits"]] == ["000_35afb961cde4eec7"]


def test_exact_spelling_ranks_first_and_variants_are_marked(seeds_client):
    body = search(seeds_client, "Al-Bukamal")
    assert body["hits"][0]["id"] == "004_5f5f0d47140a8dcd"
    other = body["hits"][1]
    assert "<mark>" in other["snippet"]
    assert {"al-Buchmal", "Al-Bochmal", "al-Bukhmal", "al-Bochmal"} & set(other["matched"])


def test_quoted_spelling_finds_only_that_spelling(seeds_client):
    assert [h["id"] for h in search(seeds_client, '"al-Bochmal"')["hits"]] == ["000_35afb961cde4eec7"]


def test_accents_come_and_go(seeds_client):
    assert [h["id"] for h in search(seeds_client, "Ain al-Asad")["hits"]] == ["004_5f5f0d47140a8dcd"]


def test_page_lists_spellings_found_with_links(seeds_client):
    html = seeds_client.get("/", params={"q": "Boukamal"}).text
    assert "Graphies trouvées" in html
    assert 'href="/?q=%22Al-Bukamal%22"' in html
