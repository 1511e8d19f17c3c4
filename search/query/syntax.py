"""The user's query language, parsed into a small tree that never raises.

    Boukamal frappes        every word must match (any spelling of a name)
    "Abou Kamal"            quoted: that spelling only (case and accents aside), as a phrase
    Hama OR Homs            either side
    -Hamas, NOT Hamas       leave out reports with that word (alone: every report without it)
    frapp*                  words starting with 'frapp' (3 letters at least, 4 such words at most)

Anything else (brackets, field syntax, a lone operator, an unclosed quote) is
searched as plain words, and the parse carries a notice saying so. A query with nothing
to search (emoji, symbols, a lone operator: no letter nor digit) finds nothing, and says so,
rather than list every report as an empty query does.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from search import settings
from search.text.fold import fold_accents


@dataclass(frozen=True)
class Words:
    """Consecutive plain words: a name may run over several ('Deir ez-Zor')."""
    words: tuple[str, ...]


@dataclass(frozen=True)
class Phrase:
    text: str


@dataclass(frozen=True)
class Prefix:
    prefix: str


@dataclass(frozen=True)
class Not:
    node: "Node"


@dataclass(frozen=True)
class All:
    nodes: tuple["Node", ...]


@dataclass(frozen=True)
class Any:
    nodes: tuple["Node", ...]


Node = Words | Phrase | Prefix | Not | All | Any


@dataclass
class ParsedQuery:
    text: str                     # the query as searched (cleaned, maybe cut)
    node: Node | None             # None: an empty query, list the latest reports (unless ``unsearchable``)
    notices: list[str] = field(default_factory=list)
    unsearchable: bool = False    # typed, but nothing in it can be searched: it finds nothing


# Bidi marks and other invisible format characters; ZWNJ/ZWJ are kept, Persian spells with them.
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn"}
_KEEP = {"\u200c", "\u200d", "\n", "\t"}
# Each 'xyz*' expands to up to settings "max_prefix_terms" words: a few per query, not 32.
_SYNTAX_RE = re.compile(r"[\[\]{}()^~:+=<>\\]")
_TOKEN_RE = re.compile(r'"[^"]*"|\S+')


def clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if c in "\n\t" else c for c in text
                   if c in _KEEP or unicodedata.category(c) not in _INVISIBLE)
    return " ".join(text.split())


def parse(raw: str) -> ParsedQuery:
    notices: list[str] = []
    text = clean(raw or "")
    limit = settings.get("max_query_chars")
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] or text[:limit]
        notices.append(f"Requête trop longue : coupée à {limit} caractères.")
    if text.count('"') % 2:
        notices.append("Guillemet non fermé : recherché comme mots simples.")
        text = text.replace('"', " ")
    if _SYNTAX_RE.search(text):
        notices.append("Syntaxe non prise en charge ( [ ] { } ( ) : ^ ~ ) : recherché comme mots simples.")
        text = " ".join(_SYNTAX_RE.sub(" ", text).split())
    parts = _TOKEN_RE.findall(text)
    max_words = settings.get("max_query_words")
    if len(parts) > max_words:
        parts = parts[:max_words]
        notices.append(f"Trop de mots : seuls les {max_words} premiers sont cherchés.")
    node = _build(_bound_prefixes(parts, notices), notices)
    unsearchable = node is None and bool(text)
    if unsearchable:
        shown = text if len(text) <= 40 else text[:40] + "…"
        notices.append(f"Rien à chercher dans « {shown} » : aucun mot, seulement des signes ou des opérateurs. "
                       "Aucun rapport n’est montré ; une recherche vide liste les derniers rapports.")
    return ParsedQuery(text, node, list(dict.fromkeys(notices)), unsearchable)  # each notice once


def _bound_prefixes(parts: list[str], notices: list[str]) -> list[str]:
    """Past ``max_prefixes`` words ending in '*', the '*' is dropped: they are searched as words."""
    out, seen, most = [], 0, settings.get("max_prefixes")
    for p in parts:
        if p.endswith("*") and not p.startswith('"'):
            seen += 1
            if seen > most:
                p = p.rstrip("*")
        out.append(p)
    if seen > most:
        notices.append(f"Au plus {most} jokers « * » par requête : les suivants sont cherchés comme mots simples.")
    return [p for p in out if p]


def _build(parts: list[str], notices: list[str]) -> Node | None:
    """Split on OR, then read each side as a sequence of terms."""
    sides: list[list[str]] = [[]]
    for p in parts:
        if p in ("OR", "|"):
            sides.append([])
        else:
            sides[-1].append(p)
    if any(not s for s in sides) and len(sides) > 1:
        notices.append("Opérateur OR sans terme d’un côté : ignoré.")
    nodes = [n for n in (_sequence(s, notices) for s in sides) if n is not None]
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else Any(tuple(nodes))


def _sequence(parts: list[str], notices: list[str]) -> Node | None:
    nodes: list[Node] = []
    run: list[str] = []
    negate = False
    for p in parts:
        if p in ("AND", "&&", "&"):
            continue
        if p in ("NOT", "-"):
            negate = True
            continue
        term = _term(p, notices)
        if term is None:
            continue
        if isinstance(term, Words) and not negate:
            run.extend(term.words)
            continue
        if run:
            nodes.append(Words(tuple(run)))
            run = []
        nodes.append(Not(term) if negate else term)
        negate = False
    if negate:
        notices.append("Opérateur NOT sans terme : ignoré.")
    if run:
        nodes.append(Words(tuple(run)))
    return _combine(nodes, notices)


def _combine(nodes: list[Node], notices: list[str]) -> Node | None:
    # Exclusions alone ('-Alep', 'NOT Alep') stay exclusions: every report without them.
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else All(tuple(nodes))


def _term(part: str, notices: list[str]) -> Node | None:
    negated = part.startswith("-") and len(part) > 1 and not part.startswith("--")
    if negated:
        node = _term(part[1:], notices)
        return Not(node) if node is not None else None
    if part.startswith('"'):
        inner = part.strip('"').strip()
        return Phrase(inner) if _has_word(inner) else None
    if "*" in part or "?" in part:
        return _wildcard(part, notices)
    return Words((part,)) if _has_word(part) else None


def _wildcard(part: str, notices: list[str]) -> Node | None:
    stem = part.rstrip("*")
    min_chars = settings.get("min_prefix_chars")
    if "*" in stem or "?" in stem or not part.endswith("*"):
        notices.append("Joker (* ?) seulement en fin de mot : recherché comme mot simple.")
    elif _letters(stem) < min_chars or not stem.replace("-", "").isalnum():
        notices.append(f"Joker : il faut au moins {min_chars} lettres avant « * ».")
    else:
        return Prefix(stem)
    word = part.replace("*", "").replace("?", "")
    return Words((word,)) if _has_word(word) else None


def ranked(node: Node | None) -> bool:
    """Whether the query has something to score: an empty one, or exclusions alone, do not."""
    if node is None or isinstance(node, Not):
        return False
    if isinstance(node, All):
        return any(ranked(n) for n in node.nodes)
    return True


def without_repeats(node: Node | None) -> Node | None:
    """The query with each word and each part once, for the engine.

    Every word must match, so a repeated word adds nothing to the results, yet
    each copy makes matching slower: 'France' typed 32 times took 20 s on the
    whole corpus. Words repeat case and accents aside ('Homs HOMS').
    """
    if isinstance(node, (Words, All)):
        seen: set[str] = set()
        parts = [_first_words(n, seen) if isinstance(n, Words) else without_repeats(n)
                 for n in (node.nodes if isinstance(node, All) else (node,))]
        return _one_or(All, [p for p in parts if p is not None])
    if isinstance(node, Any):
        return _one_or(Any, [without_repeats(n) for n in node.nodes])
    if isinstance(node, Not):
        inner = without_repeats(node.node)
        return Not(inner) if inner is not None else None
    return node


def _first_words(node: Words, seen: set[str]) -> Words | None:
    words = []
    for w in node.words:
        key = fold_accents(w).casefold()
        if key not in seen:
            seen.add(key)
            words.append(w)
    return Words(tuple(words)) if words else None


def _one_or(kind, nodes: list) -> Node | None:
    nodes = list(dict.fromkeys(nodes))
    return None if not nodes else nodes[0] if len(nodes) == 1 else kind(tuple(nodes))


def _letters(stem: str) -> int:
    """Letters and digits once accents are folded, as the index compares them ("ـــ" has none)."""
    return sum(c.isalnum() for c in fold_accents(stem))


def _has_word(text: str) -> bool:
    return any(c.isalnum() for c in text)
