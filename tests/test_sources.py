"""One outlet under several names, merged by the analyst's file (sources.tsv beside the index),
read again when it changes: no rebuild. Through the real app and a real index."""
import os

import pytest

from .conftest import built, make_client
from .test_page import text

REPORTS = {
    "a.txt": "source: L'Opinion\ndate: 2023-11-01\nAlep tient\n\nAlep tient bon.",
    "b.txt": "source: Lopinion.fr\ndate: 2023-11-02\nAlep encore\n\nAlep, encore.",
    "c.txt": "source: lopinion.FR\ndate: 2023-11-03\nAlep toujours\n\nAlep, toujours.",
    "d.txt": "source: LeHuffPost\ndate: 2023-11-04\nAlep vu par le HuffPost\n\nAlep.",
    "e.txt": "source: Huffington Post\ndate: 2023-11-05\nAlep vu par le Huffington Post\n\nAlep.",
    "f.txt": "source: AFP\ndate: 2023-11-06\nAlep selon l’AFP\n\nAlep.",
}


@pytest.fixture
def root(tmp_path):
    return built(tmp_path, REPORTS)


def facets(client, **params):
    return client.get("/api/search", params={"q": "Alep", **params}).json()


def test_without_a_file_each_name_is_its_own_source(root):
    with make_client(root / "index") as client:
        assert set(facets(client)["facets"]["source"]) == {"L'Opinion", "Lopinion.fr", "lopinion.FR", "LeHuffPost",
                                                          "Huffington Post", "AFP"}


def test_the_file_merges_names_in_facets_filters_and_hits_without_a_rebuild(root):
    sources = root / "sources.tsv"  # beside the index folder: the default place
    with make_client(root / "index") as client:
        sources.write_text("# un média par ligne, son nom affiché d’abord\n"
                           "L'Opinion, Lopinion.fr\tle site, dans les revues plus anciennes\n"
                           "LeHuffPost, Huffington Post, HuffPost\n", encoding="utf-8")
        body = facets(client)
        assert body["facets"]["source"] == {"L'Opinion": 3, "LeHuffPost": 2, "AFP": 1}  # lopinion.FR: case aside
        assert {h["source"] for h in body["hits"]} == {"L'Opinion", "LeHuffPost", "AFP"}
        only = facets(client, source="L'Opinion")
        assert only["total"] == 3 and sorted(h["id"] for h in only["hits"]) == ["a", "b", "c"]
        assert facets(client, source="Lopinion.fr")["total"] == 3  # an old link naming another of its names
        page = client.get("/", params={"q": "Alep"}).text
        assert "L'Opinion (3)" in text(page) and "Lopinion.fr" not in text(page)
        report = client.get("/reports/b", params={"q": "Alep"}).text
        assert "L'Opinion (écrite « Lopinion.fr » dans le rapport)" in text(report)
        as_json = client.get("/api/reports/b").json()
        assert (as_json["source"], as_json["source_written"]) == ("L'Opinion", "Lopinion.fr")
        csv = client.get("/export.csv", params={"q": "Alep", "source": "LeHuffPost"}).text
        assert csv.count("LeHuffPost") == 2 and "Huffington Post" not in csv.split("\r\n", 1)[1].replace(
            "vu par le Huffington Post", "")
        sources.write_text("LeHuffPost, Huffington Post\n", encoding="utf-8")  # the analyst changes their mind
        stat = sources.stat()
        os.utime(sources, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        assert set(facets(client)["facets"]["source"]) == {"L'Opinion", "Lopinion.fr", "lopinion.FR", "LeHuffPost",
                                                          "AFP"}


def test_a_missing_or_unreadable_file_merges_nothing(root):
    sources = root / "sources.tsv"
    sources.write_bytes(b"\xff\xfe\x00garbage")
    with make_client(root / "index") as client:
        assert len(facets(client)["facets"]["source"]) == 6
    with make_client(root / "index", sources_file=root / "absent.tsv") as client:
        assert len(facets(client)["facets"]["source"]) == 6
