"""Searching a real index on disk: folding, filters, facets, order and pages."""
from contextlib import closing

import pytest

from search import indexing
from search.errors import BadRequest
from search.params import SearchParams, parse_params
from search.service import SearchService

from .conftest import built

REPORTS = {
    "afp/boukamal.txt": "date: 2023-11-05\nFrappes à Boukamal\n\nDes frappes ont visé Boukamal jeudi, près de l’Irak.",
    "afp/damas.txt": "date 2023-11\nRéunion à Damas\n\nLe président s’est rendu à Damas pour une réunion.",
    "reuters/dames.txt": "date: 2022\nLes dames de la ville\n\nLes dames et les hommes de la ville ont manifesté.",
    "reuters/hamas.txt": "date: 2024-01-15\nCommuniqué\n\nLe Hamas a publié un communiqué à Téhéran.",
    "hama.txt": "Reportage\n\nLa ville de Hama a été visée par des frappes aériennes.",
    "conseil.txt": "date: 2021\nRéunion du Conseil\n\nLe Premier ministre a réuni le conseil de la Santé publique.",
    "homs.txt": "source: SANA\ndate: 2024-02-01\nHoms\n\nLa ville de Homs a repris ses activités.",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = built(tmp_path_factory.mktemp("search"), REPORTS)
    service = SearchService.open(root / "index")
    yield service
    service.close()


def ids(index, **params):
    result = index.run(SearchParams(**params))
    return [h.id for h in result.hits]


def test_accents_and_case_fold(index):
    assert ids(index, q="teheran") == ["reuters/hamas"]
    assert ids(index, q="TÉHÉRAN") == ["reuters/hamas"]


def test_elisions_are_dropped(index):
    assert ids(index, q="Irak") == ["afp/boukamal"]
    assert ids(index, q="d’Irak") == ["afp/boukamal"]
    assert ids(index, q="l'Irak") == ["afp/boukamal"]


def test_plurals_fold_for_common_words(index):
    assert set(ids(index, q="frappe")) == {"afp/boukamal", "hama"}
    assert set(ids(index, q="homme")) == {"reuters/dames"}


def test_names_are_not_stemmed_as_french_words(index):
    assert ids(index, q="Hama") == ["hama"]
    assert ids(index, q="Hamas") == ["reuters/hamas"]
    assert ids(index, q="Damas") == ["afp/damas"]
    assert ids(index, q="dames") == ["reuters/dames"]
    assert ids(index, q="Homs") == ["homs"]
    assert ids(index, q="hommes") == ["reuters/dames"]


def test_lower_case_words_often_capitalised_are_found(index):
    for q in ("conseil", "premier ministre", "santé", "Conseil"):
        assert ids(index, q=q) == ["conseil"], q


def test_quoted_phrase_matches_in_order(index):
    assert ids(index, q='"ville de Hama"') == ["hama"]
    assert ids(index, q='"Hama de ville"') == []


def test_or_not_and_prefix(index):
    assert set(ids(index, q="Hama OR Homs")) == {"hama", "homs"}
    assert ids(index, q="ville -Homs -Hama") == ["reuters/dames"]
    assert set(ids(index, q="communi*")) == {"reuters/hamas"}


def test_date_filter_keeps_overlapping_periods(index):
    # A report dated "2023-11" covers the whole month: it overlaps a range starting on the 20th.
    assert ids(index, q="", date_from="2023-11-20", date_to="2023-12-31") == ["afp/damas"]
    assert ids(index, q="", date_from="2022-06", date_to="2022-06") == ["reuters/dames"]
    assert set(ids(index, q="", date_to="2023")) == {"afp/boukamal", "afp/damas", "reuters/dames", "conseil"}


def test_date_filter_leaves_out_undated_reports(index):
    assert "hama" in ids(index, q="ville")
    assert "hama" not in ids(index, q="ville", date_from="2000")


def test_source_filter_and_facets(index):
    result = index.run(SearchParams(q="", sources=("afp", "SANA")))
    assert {h.id for h in result.hits} == {"afp/boukamal", "afp/damas", "homs"}
    # Each facet counts with every filter but its own: the source list still shows Reuters.
    assert result.sources == {"afp": 2, "reuters": 2, "SANA": 1}
    assert result.months == {"2023-11": 2, "2024-02": 1}
    assert result.undated == 0


def test_facets_for_a_query(index):
    result = index.run(SearchParams(q="ville"))
    assert result.total == 3
    assert result.sources == {"reuters": 1, "SANA": 1}
    assert result.months == {"2024-02": 1}
    assert result.undated == 1


def test_empty_query_lists_latest_first_undated_last(index):
    assert ids(index, q="") == ["homs", "reuters/hamas", "afp/boukamal", "afp/damas", "reuters/dames", "conseil", "hama"]


def test_sort_by_date(index):
    assert ids(index, q="ville", sort="date") == ["homs", "reuters/dames", "hama"]


def test_pages_partition_the_results(index):
    everything = ids(index, q="", per_page=100)
    pages = [ids(index, q="", per_page=4, page=p) for p in (1, 2, 3)]
    assert pages[0] + pages[1] == everything and pages[2] == []
    assert index.run(SearchParams(q="", per_page=4, page=2)).total == 7


def test_hits_carry_metadata_and_marked_snippets(index):
    (hit,) = index.run(SearchParams(q="Homs")).hits
    assert (hit.source, str(hit.period), hit.period.label_fr) == ("SANA", "2024-02-01", "1er février 2024")
    assert "<mark>Homs</mark>" in hit.snippet_html
    assert hit.matched == ["Homs"]


def test_a_query_of_exclusions_only_lists_the_other_reports(index):
    result = index.run(SearchParams(q="-Damas", per_page=50))
    assert sorted(h.id for h in result.hits) == sorted(p[:-4] for p in REPORTS if p != "afp/damas.txt")
    assert not result.notices
    assert "afp/damas" not in ids(index, q="NOT Damas NOT Homs", per_page=50)
    assert len(ids(index, q="NOT Damas NOT Homs", per_page=50)) == len(REPORTS) - 2


@pytest.mark.parametrize("q", ["-Damas", "NOT Damas"])
def test_an_exclusion_alone_lists_every_report_without_it(index, q):
    result = index.run(SearchParams(q=q, per_page=100))
    assert {h.id for h in result.hits} == set(ids(index, per_page=100)) - {"afp/damas"}
    assert result.total == len(REPORTS) - 1 and not result.notices


def test_exclusions_alone_combine_and_take_filters(index):
    assert set(ids(index, q="-Damas -Homs", per_page=100)) == {r[:-4] for r in REPORTS} - {"afp/damas", "homs"}
    assert ids(index, q="NOT Hama", date_from="2024", date_to="2024") == ["homs", "reuters/hamas"]


def test_an_exclusion_alone_is_listed_newest_first(index):
    result = index.run(SearchParams(q="-Damas"))
    assert result.sort == "date" and [h.id for h in result.hits][:2] == ["homs", "reuters/hamas"]


def test_sort_oldest_first_undated_last(index):
    assert ids(index, q="ville", sort="oldest") == ["reuters/dames", "homs", "hama"]
    assert ids(index, q="", sort="oldest")[:2] == ["conseil", "reuters/dames"]
    assert ids(index, q="", sort="oldest", per_page=100)[-1] == "hama"


def test_undated_only(index):
    result = index.run(SearchParams(q="ville", undated=True))
    assert [h.id for h in result.hits] == ["hama"] and result.total == 1
    assert result.months == {"2024-02": 1} and result.undated == 1  # the date facet ignores its own filter
    assert ids(index, q="", undated=True, per_page=100) == ["hama"]


@pytest.mark.parametrize("raw, message", [({"undated": ["2"]}, "undated"),
                                          ({"undated": ["1"], "from": ["2023"]}, "s’excluent")])
def test_undated_parameter_is_checked(raw, message):
    with pytest.raises(BadRequest, match=message):
        parse_params(raw)
    assert parse_params({"undated": ["1"]}).undated


def test_related_reports_share_words_and_leave_the_report_out(index):
    related = [r.id for r in index.engine.related("afp/boukamal")]
    assert related[0] == "hama" and "afp/boukamal" not in related  # both tell of frappes visées
    assert index.engine.related("nope") == []


def test_suggest_offers_near_spellings_of_the_collection(index):
    assert index.engine.suggest("Damass")[0] == ("Damas", 1)
    assert ("teheran", 1) in index.engine.suggest("Teheren")  # no written form is close: the folded one
    assert index.engine.suggest("Zorglub") == []


def test_a_shaped_hit_is_remembered_by_its_content_and_terms(tmp_path):
    """Paging back redoes no snippet; a report changed under the same id is shaped anew."""
    root = built(tmp_path, {"a.txt": "Titre\n\nFrappes à Boukamal, puis à Damas."})
    index = SearchService.open(root / "index")
    try:
        first = index.run(SearchParams(q="Boukamal")).hits[0]
        again = index.run(SearchParams(q="Boukamal")).hits[0]
        assert again.snippet == first.snippet and again.matched == first.matched == ["Boukamal"]
        assert index.run(SearchParams(q="Damas")).hits[0].matched == ["Damas"]
    finally:
        index.close()
    (root / "reports" / "a.txt").write_text("Titre\n\nBoukamal encore, et Boukamal.", encoding="utf-8")
    indexing.update(root / "reports", root / "index")
    index = SearchService.open(root / "index")
    try:
        assert "encore" in index.run(SearchParams(q="Boukamal")).hits[0].snippet.text
    finally:
        index.close()


def test_a_phrase_is_found_in_every_block_of_a_common_word(tmp_path):
    """Positions are read only in the blocks of postings that may hold a candidate (a block's header
    gives its last report): a phrase at both ends of the first 128-posting block of "de", at the
    start of the second and in the last is found, the third block (no candidate) never read."""
    reports = {f"r{n:03d}.txt": f"Note {n}\n\nLa ville de Homs, puis un autre mot." for n in range(400)}
    for n in (0, 127, 128, 399):
        reports[f"r{n:03d}.txt"] = f"Note {n}\n\nLe week-end, en fin de semaine, à Homs."
    root = built(tmp_path, reports)
    with closing(SearchService.open(root / "index")) as service:
        found = service.run(SearchParams(q='"fin de semaine"', per_page=100))
        assert sorted(h.id for h in found.hits) == ["r000", "r127", "r128", "r399"]
