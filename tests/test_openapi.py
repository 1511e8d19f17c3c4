"""The API's contract: the OpenAPI document is valid OpenAPI 3.1 (openapi-spec-validator), names
exactly the parameters the API accepts, and real answers of the real app match its schemas;
unknown parameters are refused with the known ones; one error shape."""
import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from search.params import API_PARAMS
from search.web import openapi

from .conftest import built, make_client

REPORTS = {
    "a.txt": "source: AFP\ndate: 2023-11-01\nFrappes sur Alep\n\nDes frappes ont visé Alep et Halab, dit l’AFP.",
    "b.txt": "source: Lopinion.fr\ndate: juillet 2016\nAlep encerclée\n\nAlep est encerclée depuis juillet.",
    "c.txt": "source: L'Opinion\nAlexandre à Damas\n\nAlexandre est arrivé à Damas. Alep attend.",
}


MATCHES = ["Alep", "Halab"]  # Halab: the shipped aliases' other name of Alep


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = built(tmp_path_factory.mktemp("openapi"), REPORTS)
    with make_client(root / "index") as c:
        yield c


@pytest.fixture(scope="module")
def doc(client):
    body = client.get("/api/openapi.json")
    assert body.status_code == 200 and body.headers["content-type"].startswith("application/json")
    return body.json()


def conforms(doc: dict, schema_name: str, instance) -> None:
    """The answer matches the document's schema (its $refs resolved within the document)."""
    schema = {**doc["components"]["schemas"][schema_name], "components": doc["components"]}
    OAS31Validator(schema).validate(instance)


def test_the_document_is_valid_openapi(doc):
    validate(doc)  # raises on any error
    assert doc["openapi"].startswith("3.1") and doc == openapi.document()


def test_it_names_exactly_what_the_api_accepts(doc):
    documented = [p["name"] for p in doc["paths"]["/api/search"]["get"]["parameters"]]
    assert documented == list(API_PARAMS)


@pytest.mark.parametrize("query", [{"q": "Alep"}, {"q": "", "sort": "date"}, {"q": "Zorglub"},
                                   {"q": "Alep", "undated": "true"}, {"q": "Alep", "from": "juillet 2016"}])
def test_search_answers_match_their_schema(client, doc, query):
    r = client.get("/api/search", params=query)
    assert r.status_code == 200
    conforms(doc, "SearchResult", r.json())
    for hit in r.json()["hits"]:
        conforms(doc, "Hit", hit)


def test_a_report_as_json_with_its_matches(client, doc):
    r = client.get("/api/reports/a", params={"q": "Alep"})
    body = r.json()
    conforms(doc, "Report", body)
    assert (body["id"], body["source"], body["date"], body["date_precision"], body["file"]) == \
        ("a", "AFP", "2023-11-01", "day", "a.txt")
    assert [m["text"] for m in body["matches"]] == MATCHES
    assert all(body["text"][m["start"]:m["end"]] == m["text"] for m in body["matches"])
    assert body["permalink"] == "/reports/a" and client.get("/api/reports/a").json()["matches"] == []
    missing = client.get("/api/reports/nope")
    assert missing.status_code == 404 and missing.json() == {"error": "Ce rapport n’existe pas dans l’index.",
                                                             "param": None}


def test_name_suggestions_with_their_counts(client, doc):
    r = client.get("/api/suggest", params={"q": "frappes sur ale"})
    conforms(doc, "Suggestions", r.json())
    assert r.json()["fragment"] == "ale" and r.json()["suggestions"][0] == {"name": "Alep", "reports": 3}
    assert {"name": "Alexandre", "reports": 1} in r.json()["suggestions"]
    assert client.get("/api/suggest", params={"q": "a"}).json()["suggestions"] == []  # two letters at least
    assert client.get("/api/suggest", params={"q": "Alep "}).json()["suggestions"] == []  # a word is done
    assert client.get("/api/suggest", params={"q": "al", "limit": "1"}).json()["suggestions"] == [
        {"name": "Alep", "reports": 3}]


@pytest.mark.parametrize("path, params, param, unknown", [
    ("/api/search", {"q": "Alep", "soure": "AFP"}, "soure", True),
    ("/api/search", {"q": "Alep", "per_page": "500"}, "per_page", False),
    ("/api/search", {"q": "Alep", "undated": "peut-être"}, "undated", False),
    ("/api/search", {"q": "Alep", "from": "32 juillet 2016"}, "from", False),
    ("/api/search", {"q": "Alep", "vue": "tableau"}, "vue", True),  # the page's, not the API's
    ("/api/reports/a", {"source": "AFP"}, "source", True),
    ("/api/suggest", {"q": "al", "limit": "50"}, "limit", False),
    ("/api/suggest", {"q": "al", "per_page": "5"}, "per_page", True),
])
def test_bad_or_unknown_parameters_are_400_in_one_shape(client, doc, path, params, param, unknown):
    r = client.get(path, params=params)
    assert r.status_code == 400 and r.json()["param"] == param
    conforms(doc, "Error", r.json())
    assert ("paramètres connus" in r.json()["error"]) == unknown


def test_unknown_parameter_lists_the_known_ones(client):
    r = client.get("/api/search", params={"q": "Alep", "soure": "AFP"})
    assert r.json() == {"error": "paramètre inconnu : 'soure' ; les paramètres connus sont q, source, from, to, "
                                 "undated, sort, page, per_page, sans, avec", "param": "soure"}


def test_undated_true_and_false_read_like_1_and_0(client):
    def ids(**params):
        return sorted(h["id"] for h in client.get("/api/search", params=params).json()["hits"])

    assert ids(q="Alep", undated="true") == ids(q="Alep", undated="1") == ["c"]
    assert ids(q="Alep", undated="false") == ids(q="Alep", undated="0") == ids(q="Alep") == ["a", "b", "c"]


def test_other_methods_are_405_in_french_with_allow(client):
    r = client.post("/api/search")
    assert r.status_code == 405 and r.json() == {"error": "Méthode non permise : cette adresse se lit par GET.",
                                                 "param": None}
    assert "GET" in r.headers["allow"]


def test_the_docs_page_reads_the_document(client, doc):
    page = client.get("/api").text
    for path in doc["paths"]:
        assert path in page
    for name in API_PARAMS:
        assert f"<code>{name}</code>" in page
    assert 'href="/api/openapi.json"' in page
