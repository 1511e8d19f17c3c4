"""The spellings box and its chips: pure functions from a search's parameters and names to links.

Each name of the query gets its list ("Graphies trouvées", one per name): every accepted
spelling can be dropped (``sans=``), every close one turned down added (``avec=``), the
analyst's own choices undone. At the top of the results, each choice in force is a chip
that clears it, so a shared link never carries them unseen.

    >>> [c.label for c in steering_chips(SearchParams(q="Mossoul", without=("Mossoul",)))]
    ['sans Mossoul']
"""
from __future__ import annotations

from dataclasses import dataclass

from search.names.match import NameGroup
from search.names.variants import Variant, group_key
from search.params import SearchParams
from search.web.urls import search_url


@dataclass(frozen=True)
class VariantItem:
    spelling: str
    reports: int
    score: float
    accepted: bool
    steered: bool   # dropped (sans) or added (avec) by the analyst
    toggle: str     # the page with this spelling dropped, or added back
    alone: str      # a search for this spelling only, quoted
    phrase: bool = False  # an alias row's French words (État islamique)
    reason: str | None = None  # why it was turned down beyond its letters, as the analyst reads it

    @property
    def control(self) -> str:
        """The parameter its box sets: sans for a spelling searched or dropped, avec for one
        turned down or added; the box is ticked when the analyst's choice is in force."""
        return "sans" if self.accepted != self.steered else "avec"

    @property
    def action(self) -> str:
        """What the box does, as its label says it."""
        return "retirer" if self.control == "sans" else "ajouter"

    @property
    def link_action(self) -> str:
        """What the ✕ or + link does."""
        return "retirer" if self.accepted else "rétablir" if self.steered else "ajouter"


@dataclass(frozen=True)
class NameItems:
    name: str
    accepted: list[VariantItem]
    rejected: list[VariantItem]


@dataclass(frozen=True)
class SteerChip:
    label: str   # what the chip shows: "sans Mossoul", "avec Elabe"
    spoken: str  # its accessible name: what a click does
    url: str     # the page without this choice


def name_items(params: SearchParams, groups: list[NameGroup]) -> list[NameItems]:
    """Each name's spellings as controls, accepted ones first."""
    return [NameItems(g.name, variant_items(params, [v for v in g.variants if v.accepted]),
                      variant_items(params, [v for v in g.variants if not v.accepted])) for g in groups]


def variant_items(params: SearchParams, variants: list[Variant]) -> list[VariantItem]:
    """Spellings as controls: each accepted one can be dropped (sans=), each close-but-rejected
    one added (avec=); the analyst's own choices can be undone. A choice is known by its
    spelling, case aside (sans=mossoul drops Mossoul)."""
    return [_item(params, v) for v in variants]


def _item(params: SearchParams, v: Variant) -> VariantItem:
    key = group_key(v.spelling)
    dropped = [s for s in params.without if group_key(s) == key]
    added = [s for s in params.extra if group_key(s) == key]
    if added:  # take the addition back
        url = search_url(params, extra=_without(params.extra, key))
    elif v.accepted:
        url = search_url(params, without=params.without + (v.spelling,))
    else:  # turned down, or dropped by the analyst: add it (back)
        url = search_url(params, without=_without(params.without, key),
                         extra=params.extra + (() if dropped else (v.spelling,)))
    alone = search_url(params, q=f'"{v.spelling}"', without=(), extra=())
    return VariantItem(v.spelling, v.reports, v.score, v.accepted, bool(dropped or added), url, alone, v.phrase,
                       None if v.accepted else v.reason_text)


def unshown_choices(params: SearchParams, names: list[NameItems]) -> list[tuple[str, str]]:
    """The analyst's choices that no box of the list shows (another query's spellings, a
    spelling no report writes any more): the form carries them as they are."""
    shown = {group_key(v.spelling) for n in names for v in n.accepted + n.rejected}
    return ([("sans", s) for s in params.without if group_key(s) not in shown]
            + [("avec", s) for s in params.extra if group_key(s) not in shown])


def steering_chips(params: SearchParams) -> list[SteerChip]:
    """The spellings the analyst dropped or added, each a chip that clears it."""
    dropped = [SteerChip(f"sans {s}", f"rétablir la graphie {s}", search_url(params, without=_without(params.without, group_key(s))))
               for s in params.without]
    added = [SteerChip(f"avec {s}", f"ne plus chercher la graphie {s}", search_url(params, extra=_without(params.extra, group_key(s))))
             for s in params.extra]
    return dropped + added


def clear_steering_url(params: SearchParams) -> str:
    """The page with every spelling the analyst dropped or added cleared."""
    return search_url(params, without=(), extra=())


def _without(values: tuple[str, ...], key: str) -> tuple[str, ...]:
    return tuple(v for v in values if group_key(v) != key)
