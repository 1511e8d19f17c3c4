"""The array evaluation of plans gives Whoosh's own matches and scores (its matchers are the reference)."""
from __future__ import annotations

import pytest

from search.engine.whoosh.translate import to_whoosh
from search.query import planner as plan
from search.query.syntax import parse
from search.service import SearchService

from .conftest import SEEDS, built

REPORTS = {
    "a.txt": "date: 2023-11-05\nFrappes à Boukamal\n\nDes frappes ont visé Boukamal jeudi, près de l’Irak. "
             "Abou Kamal et al-Bukamal sont la même ville.",
    "b.txt": "Réunion à Damas\n\nLe président s’est rendu à Damas pour une réunion du Conseil.",
    "c.txt": "Les dames\n\nLes dames et les hommes de la ville ont manifesté contre les frappes.",
    "d.txt": "Communiqué\n\nLe Hamas a publié un communiqué à Téhéran ; Qassem Soleimani cité.",
    "e.txt": "Hama\n\nLa ville de Hama a été visée par des frappes aériennes, selon l’état d’urgence.",
    "f.txt": "Kassem Suleimani\n\nGhassem Soleymani, Kassem Suleimani : trois graphies, un homme.",
}
QUERIES = ["frappes", "Boukamal", "Abou Kamal", "\"état d'urgence\"", "frapp*", "Damas -réunion", "-Hama",
           "Hama OR Homs", "Kassem Soleimani", "dames ville", "al-Bukamal frappes", "le", '"la ville de"',
           '"Abou Kamal"', '"frappes aériennes" Hama', '"poste frontière"', '"de la"']


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = built(tmp_path_factory.mktemp("evaluate"), {**REPORTS, **{p.name: p.read_bytes() for p in SEEDS.iterdir()}})
    service = SearchService.open(root / "index")
    yield service
    service.close()


def _reference(engine, node) -> dict[int, float]:
    """Whoosh's matches and scores, but for DisjunctionMax: Whoosh's matcher scores a document
    with the max of its sub-matchers wherever they stand, even on a later document (0.9 of a
    Boukamal report's score came from the next report); the plan's rule, the best of the parts
    that match this document, is computed from Whoosh's scores of the parts."""
    if not _holds_dismax(node):
        return _whoosh_scores(engine, node)
    if isinstance(node, plan.DisMax):
        parts = [_reference(engine, p) for p in node.parts]
        return {d: max(p[d] for p in parts if d in p) for d in set().union(*parts)}
    if isinstance(node, (plan.Or, plan.And)):
        parts = [_reference(engine, p) for p in node.parts]
        docs = set().union(*parts) if isinstance(node, plan.Or) else set.intersection(*(set(p) for p in parts))
        return {d: sum(p.get(d, 0.0) for p in parts) for d in docs}
    if isinstance(node, plan.AndMaybe):
        required, optional = _reference(engine, node.required), _reference(engine, node.optional)
        return {d: s + optional.get(d, 0.0) for d, s in required.items()}
    if isinstance(node, plan.AndNot):
        negative = _reference(engine, node.negative)
        return {d: s for d, s in _reference(engine, node.positive).items() if d not in negative}
    raise AssertionError(node)


def _holds_dismax(node) -> bool:
    children = list(getattr(node, "parts", ())) + [getattr(node, a) for a in ("required", "optional", "positive",
                                                                             "negative") if hasattr(node, a)]
    return isinstance(node, plan.DisMax) or any(_holds_dismax(c) for c in children)


def _whoosh_scores(engine, node) -> dict[int, float]:
    query, out = to_whoosh(node), {}
    with engine._live.searcher() as searcher:
        for leaf, offset in searcher.leaf_searchers():
            m = query.matcher(leaf, leaf.context())
            while m.is_active():
                out[offset + m.id()] = m.score()
                m.next()
    return out


@pytest.mark.parametrize("q", QUERIES)
def test_arrays_give_whooshs_matches_and_scores(index, q):
    planned = index.plan(parse(q))
    generation = index.engine._live
    with generation.searcher() as searcher:
        found, scores = generation.evaluator.matches(planned.node, searcher)
    mine = {int(d): float(scores[d]) for d in found.nonzero()[0]}
    reference = _reference(index.engine, planned.node)
    if "-" in q and " " not in q:  # Every: Whoosh scores each report 1, the plan 0 (nothing to rank)
        reference = dict.fromkeys(reference, 0.0)
    assert mine.keys() == reference.keys() and mine
    assert all(mine[d] == pytest.approx(reference[d], rel=1e-9) for d in mine)
