"""The collection's most written names judged right after a rebuild or update, not on an analyst's first search.

A name's first search in a generation finds its candidates in the lexicon and judges each
(``search.names.variants``): tenths of a second for a common name at 34k reports. The new
generation's judged forms file (``search.names.judged``) is filled here for the names the most
reports write, in their most written spelling and in lower case (an analyst types ``michel`` as
often as ``Michel``), with the alias rows a server of this index reads by default: its first
search of them only reads their verdicts. The other forms are judged on
their first search and remembered then.

After a rebuild it costs a few seconds (``prejudged_names``, and ``prejudge_seconds`` of
processor time: 2 to 3 % of a rebuild at 34k reports), most of it reading the whole name lexicon.
After an update the previous generation's names are judged again, in its order, and each judged
form whose evidence the update left as it was is carried as judged (``search.names.carried``):
no lexicon is read, and only the forms whose keys the added reports write, or whose counts the
removed ones change, are judged anew; of those, a form whose spellings are the same and whose evidence
moved by less than its margin keeps its verdicts with its new counts (``search.names.recounted``). A live generation whose record is another judge's (the code
changed since it was judged) is judged again by the next update, even one that changes nothing. An
engine without a folder (OpenSearch) keeps judged forms in each server's memory only, so there
nothing is judged ahead.
"""
from __future__ import annotations

import contextlib
import logging
import time
from pathlib import Path
from typing import Iterator

from search import settings
from search.engine.contract import Location

log = logging.getLogger("search.prejudge")


def prejudge(index: Location, engine: str = "whoosh", names: int | None = None,
             seconds: float | None = None) -> int:
    """Judge the ``names`` most written names of the live generation, for ``seconds`` of this
    process's time at most; how many were judged (0 when they were already: an update that changed
    nothing). A failure is logged, never raised: the index is published already."""
    if engine != "whoosh":
        return 0
    most = int(settings.get("prejudged_names") if names is None else names)
    budget = float(settings.get("prejudge_seconds") if seconds is None else seconds)
    if most <= 0 or budget <= 0:
        return 0
    # A budget of this process's own time, reading the lexicon included: on a machine busy with other
    # work as many names are judged.
    stop = time.process_time() + budget
    try:
        with _vocabulary(Path(str(index)), most) as found:
            if found is None:
                return 0
            folder, segments, vocabulary, chosen = found
            done = judge_names(vocabulary, chosen, Path(str(index)), stop)
            decisions = vocabulary.decisions
            decisions.record(segments, done).write(folder)
            log.info("%s : %d noms jugés d'avance, %d formes reprises de la génération précédente, %d jugées, "
                     "%d reprises avec leurs comptes à jour ; %d échantillons de contexte repris, %d lus",
                     folder.name, len(done), decisions.carried, decisions.fresh, decisions.recounted,
                     vocabulary.samples_carried, vocabulary.samples_read)
            return len(done)
    except Exception:  # noqa: BLE001 - the index is published: a warm-up that fails changes nothing
        log.exception("les noms n'ont pas pu être jugés d'avance")
        return 0


@contextlib.contextmanager
def _vocabulary(index: Path, most: int) -> Iterator[tuple | None]:
    """(the live generation's folder, its segments, a ``RecordingVocabulary`` over it, the names to judge):
    the previous generation's names and judged forms when it left a record this one extends, else
    the most written names, the whole lexicon read. None when the live generation has its record."""
    from search.engine.store import IndexStore
    from search.engine.whoosh.added import AddedSegments
    from search.names.carried import PREJUDGED, Record, RecordingVocabulary, judge_identity
    store = IndexStore(index)
    folder = store.current()
    own = Record.read(folder) if (folder / PREJUDGED).exists() else None
    if own is not None and own.identity == judge_identity():
        yield None
        return
    # A record by another judge (the code changed since: none of its verdicts is this judge's) is judged
    # again now, from its own names and the lexicon's answers it holds (they are the generation's).
    previous = own or next((r for r in map(Record.read, (g for g in store.generations() if g != folder)) if r), None)
    added = AddedSegments(folder, previous.segments if previous else None)
    try:
        if previous is not None and added.usable:
            with _lexicon(folder) as lexicon:
                yield folder, added.segments, RecordingVocabulary(lexicon, previous, added), previous.names[:most]
            return
        from search.engine import whoosh
        engine = whoosh.open(index)
        try:
            if engine.folder() != folder:  # a newer generation landed meanwhile: its own writer judges its names
                yield None
                return
            lexicon = engine.vocabulary()
            lexicon.warm()  # the name forms by key, read once: then each name's candidates are a look-up
            yield folder, added.segments, RecordingVocabulary(lexicon), [name for name, _ in engine.most_written_names(most)]
        finally:
            engine.close()
    finally:
        added.close()


@contextlib.contextmanager
def _lexicon(folder: Path):
    """The generation's lexicon over a reader of its own (no searcher, no word lists: an update's)."""
    from whoosh import index as windex

    from search.engine.whoosh.lexicon import WhooshLexicon
    from search.names.judged import JUDGED, Decisions
    reader = windex.open_dir(str(folder)).reader()
    try:
        yield WhooshLexicon(reader, decisions=Decisions(folder / JUDGED))
    finally:
        reader.close()


def judge_names(vocabulary, chosen: list[str], index: Path, stop: float = float("inf")) -> list[str]:
    """The names of ``chosen`` judged (each with its written forms) until this process's time passes ``stop``."""
    from search.names.aliases import AliasTable
    from search.names.context import judge_for
    from search.query.planner import Planner
    from search.query.syntax import parse
    # The judge a server of this index uses (``SearchService``): its decisions are filed under its identity.
    planner = Planner(vocabulary, settings.get("max_prefix_terms"), judge_for(bool(settings.get("name_context"))))
    rows = AliasTable(settings.aliases_file(None, index)).rows()  # what a server of this index reads by default
    done = []
    for name in chosen:
        if time.process_time() > stop or not vocabulary.decisions.writable:  # judged ahead only to be written down
            break
        planned = _plan(planner, parse(name), rows)
        # The name as the reports write it, hyphens and apostrophes included (Deir ez-Zor), which
        # is how an analyst types it too: its own form (the list gives its words apart).
        for form in _written_forms(name, planned.variants if planned else []):
            _plan(planner, parse(form), rows)
        # And as typed in lower case (michel, beyrouth): a name too, unless the reports write
        # it as a French word (then it is planned as a word, and nothing is judged).
        if name.lower() != name:
            _plan(planner, parse(name.lower()), rows)
        done.append(name)
    return done


def _plan(planner, parsed, rows):
    """As ``SearchService.plan``."""
    from search.query.planner import Steer
    from search.query.syntax import without_repeats
    node = without_repeats(parsed.node)
    return planner.plan(node, Steer(), rows) if node is not None else None


def _written_forms(name: str, variants) -> list[str]:
    """The forms of the candidates judged for ``name`` that write its very words with other joins."""
    from search.names.match import typed_key
    return sorted({form for v in variants for form in v.forms
                   if form != name and typed_key(form) == typed_key(name)})[:3]
