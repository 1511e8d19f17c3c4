"""A company's legal form is no part of its name (issue 19): a real index on disk, the real service.

Sanctions lists and registers write one company with several forms or none (Proma Industry
Company, Proma Industry CO., LTD.); the press writes what it read. A form typed after a name of
two words or more is not required; as typed, it ranks the reports that write it first."""
from __future__ import annotations

import pytest

from search.names.words import legal_form_tail
from search.params import SearchParams
from search.service import SearchService

from .conftest import built

REPORTS = {
    "co.txt": "Sanctions\n\nLe Trésor vise Proma Industry CO., LTD., fournisseur de drones.",
    "company.txt": "Sanctions encore\n\nProma Industry Company figure sur la liste depuis mars.",
    "bare.txt": "Drones\n\nLes pièces viennent de Proma Industry, selon l'enquête.",
    "kaveh.txt": "Acier\n\nLa Rawafed Damascus Private Joint Stock Company a été créée en 2019.",
    "other.txt": "Autre\n\nProma Foods Company exporte des conserves vers Beyrouth.",
    "hafez.txt": "Navires\n\nLes pétroliers de Hafez Darya Arya Shipping Company ont changé de pavillon.",
    }


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    root = built(tmp_path_factory.mktemp("legal"), REPORTS)
    opened = SearchService.open(root / "index")
    yield opened
    opened.close()


def ids(service, q: str) -> list[str]:
    return [h.id for h in service.run(SearchParams(q=q)).hits]


@pytest.mark.parametrize("q", ["Proma Industry Company", "Proma Industry CO., LTD.", "Proma Industry Limited",
                               "PROMA INDUSTRY CO LTD", "Proma Industry"])
def test_any_legal_form_finds_every_form_and_none(service, q):
    assert set(ids(service, q)) == {"co", "company", "bare"}


def test_the_form_typed_ranks_first(service):
    assert ids(service, "Proma Industry Company")[0] == "company"
    assert ids(service, "Proma Industry CO., LTD.")[0] == "co"


def test_qualifiers_go_with_the_form(service):
    assert ids(service, "Rawafed Damascus JSC") == ["kaveh"]
    assert ids(service, "Rawafed Damascus Private Limited") == ["kaveh"]


def test_the_name_typed_with_its_form_ranks_above_a_longer_one(service):
    """The whole name typed, its form included, is the name as written: Proma Industry CO typed
    ranks Proma Industry CO above Proma Industry CO., LTD."""
    assert ids(service, "Proma Industry Company")[0] == "company"


def test_a_name_of_four_words_and_a_form(service):
    """Four words left: matched in chunks, each found inside the longer name a report writes."""
    assert ids(service, "Hafez Darya Arya Shipping Company") == ["hafez"]
    assert ids(service, "Hafez Darya Arya Shipping CO.") == ["hafez"]


def test_the_name_itself_stays_required(service):
    """Another company with the same form is not found: only the form is left out."""
    assert "other" not in ids(service, "Proma Industry Company")


@pytest.mark.parametrize("words, tail", [
    (["Proma", "Industry", "CO.,", "LTD."], 2),
    (["Rawafed", "Damascus", "Private", "Joint", "Stock", "Company"], 4),
    (["Khadija", "Ship", "Management", "PVT", "LTD"], 2),
    (["Lama", "Foods", "S.A.L."], 1),
    (["Damascus", "Cham", "L.L.C."], 1),
    (["Total", "SA"], 0),                       # one word and its form: searched as typed
    (["Company"], 0),
    (["Private", "Joint", "Stock"], 0),          # qualifiers alone are no form
    (["Bachar", "al-Assad"], 0),
    (["Des", "International", "Company"], 0),   # French words and a form: searched as typed
    (["Ras", "al", "Aïn"], 0),
])
def test_legal_form_tail(words, tail):
    assert legal_form_tail(words) == tail
