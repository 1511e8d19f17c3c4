"""A plan (``search.query.nodes``) as a Whoosh query: what Whoosh's own matchers would search.

The searcher evaluates plans over arrays (``evaluate``); this translation is the
reference those arrays are checked against, and the way to hand a plan to
Whoosh's own tools (more-like-this, a debugging session).
"""
from __future__ import annotations

from whoosh import query as wq

from search.query import nodes as plan


def to_whoosh(node: plan.Node) -> wq.Query:
    if isinstance(node, plan.Nothing):
        return wq.NullQuery
    if isinstance(node, plan.Term):
        return wq.Term(node.field, node.text, boost=node.boost)
    if isinstance(node, plan.Phrase):
        return wq.Phrase(node.field, list(node.texts), slop=node.slop, boost=node.boost)
    if isinstance(node, plan.Prefix):
        words = [wq.Term(node.field, w) for w in node.words]
        if not words:
            return wq.NullQuery
        return wq.ConstantScoreQuery(words[0] if len(words) == 1 else wq.Or(words), node.boost)
    if isinstance(node, plan.Or):
        return wq.Or([to_whoosh(p) for p in node.parts])
    if isinstance(node, plan.And):
        return wq.And([to_whoosh(p) for p in node.parts])
    if isinstance(node, plan.DisMax):
        return wq.DisjunctionMax([to_whoosh(p) for p in node.parts])
    if isinstance(node, plan.AndMaybe):
        return wq.AndMaybe(to_whoosh(node.required), to_whoosh(node.optional))
    if isinstance(node, plan.AndNot):
        return wq.AndNot(to_whoosh(node.positive), to_whoosh(node.negative))
    if isinstance(node, plan.Every):
        return wq.Every()
    raise TypeError(f"not a plan node: {node!r}")
