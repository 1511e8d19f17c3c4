"""python -m search (or revue-presse): rebuild, update and query the index from a terminal, in French.

A thin layer: it parses arguments, calls the library, and turns the errors a user can fix
into one line on stderr (``erreur : …``) with a non-zero exit code:
0 done; 1 an error (no index, a bad date, a full disk…); 2 bad arguments;
3 an update done, but files it could not read kept their reports as indexed; 4 a rebuild or
update refused because it would drop too many reports (nothing published); 130 interrupted.
"""
from __future__ import annotations

import json
import os
import sys
import time
from typing import Sequence

from typing import TYPE_CHECKING

from search import indexing, settings
from search.cli.argparse_fr import EXIT_USAGE, FrenchArgumentParser
from search.cli.progress import ProgressReporter
from search.cli.workbench import add_commands
from search.cli.texts import plural
from search.engine.contract import SORTS, GenerationInfo
from search.errors import RemovalRefused, SearchError
from search.indexing import Summary
from search.prejudge import prejudge

if TYPE_CHECKING:  # what a search needs is imported when one runs: rebuild and update need none of it (0.3 s)
    from search.results import SearchResult

EXIT_ERROR = 1
EXIT_KEPT = 3  # an update done, but files it could not read kept their reports as indexed
EXIT_REFUSED = 4  # a rebuild or update that would have dropped too many reports: nothing published
EXIT_INTERRUPTED = 130
FORMATS = ("text", "json", "csv", "excel", "jsonl")
EXPORTS = ("csv", "excel", "jsonl")

__all__ = ["main", "EXIT_ERROR", "EXIT_KEPT", "EXIT_REFUSED", "EXIT_USAGE", "EXIT_INTERRUPTED"]


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except RemovalRefused as e:  # its own code: a script tells "the folder looked emptied" from a failure
        return _error(str(e), EXIT_REFUSED)
    except SearchError as e:  # what a user can fix: one line, never a traceback
        return _error(str(e))
    except BrokenPipeError:  # `… --format csv | head`: the reader has what it wanted
        _quiet_stdout()
        return 0
    except OSError as e:  # a full disk, a folder we may not write to: the writers changed nothing live
        kept = " ; l'index en service est resté tel quel" if args.run in (_rebuild, _update) else ""
        return _error(f"{e}{kept}")
    except KeyboardInterrupt:
        return _error("interrompu ; l'index en service est resté tel quel", EXIT_INTERRUPTED)


def _error(message: str, code: int = EXIT_ERROR) -> int:
    print(f"erreur : {message}", file=sys.stderr)
    return code


def _quiet_stdout() -> None:
    """Stdout to /dev/null, so that Python's own flush at exit does not fail on the closed pipe again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _prog() -> str:
    """``python -m search`` when run so, else the console script's name (``revue-presse``)."""
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "python -m search" if name in ("", "__main__.py", "-c") else name


def _parser() -> FrenchArgumentParser:
    p = FrenchArgumentParser(prog=_prog(), description="Chercher dans les revues de presse, sous toute graphie d'un nom.")
    sub = p.add_subparsers(required=True, metavar="COMMANDE", title="commandes")
    index_help = f"dossier de l'index (défaut : $SEARCH_INDEX, sinon {settings.get('index')})"
    for name, run, doc in (
            ("rebuild", _rebuild, "construire un index neuf à partir des rapports, mis en service une fois complet"),
            ("update", _update, "indexer les rapports nouveaux et modifiés, retirer les supprimés")):
        cmd = sub.add_parser(name, help=doc, description=doc)
        cmd.add_argument("--reports", metavar="DOSSIER|FICHIER", help="dossier de rapports, ou un seul fichier "
                         f"(.txt, .md, .jsonl, .jsonl.gz) (défaut : $SEARCH_REPORTS, sinon {settings.get('reports')})")
        cmd.add_argument("--index", metavar="DOSSIER", help=index_help)
        cmd.add_argument("--follow-links", action="store_true",
                         help="lire les fichiers hors du dossier de rapports vers lesquels pointent des liens (ignorés sinon)")
        if name == "rebuild":
            cmd.add_argument("--procs", type=int, metavar="N", help="processus d'analyse (défaut : un par cœur disponible)")
        settings.engine_arguments(cmd)
        cmd.add_argument("--allow-removal", action="store_true",
                         help="publier même un index vide, ou qui retire plus de "
                              f"{settings.get('max_removal_share') * 100:.0f} %% des rapports de l'index en service "
                              "(refusé sinon, code de sortie 4)")
        cmd.set_defaults(run=run)
    q = sub.add_parser("query", help="chercher dans l'index", description="Cherche dans l'index ; affiche les résultats classés.")
    q.add_argument("text", metavar="TEXTE", help='la requête : mots, "graphie exacte", OR, -mot, préfixe*')
    q.add_argument("--source", action="append", default=[], help="garder cette source (répétable)")
    q.add_argument("--from", dest="date_from", default="", metavar="DATE",
                   help="à partir de cette date : AAAA, AAAA-MM ou AAAA-MM-JJ")
    q.add_argument("--to", dest="date_to", default="", metavar="DATE", help="jusqu'à cette date : AAAA, AAAA-MM ou AAAA-MM-JJ")
    q.add_argument("--undated", action="store_true", help="seulement les rapports sans date (pas avec --from, --to)")
    q.add_argument("--sort", choices=SORTS, default="relevance",
                   help="ordre : relevance (pertinence, par défaut) ou date (les plus récents d'abord)")
    q.add_argument("--limit", type=int, default=settings.get("per_page"), metavar="N",
                   help="résultats par page, 1 à 100 (formats text et json)")
    q.add_argument("--page", type=int, default=1, metavar="N", help="page de résultats (formats text et json)")
    q.add_argument("--index", metavar="DOSSIER", help=index_help)
    q.add_argument("--sans", action="append", default=[], metavar="GRAPHIE", help="retirer cette graphie des variantes du nom")
    q.add_argument("--avec", action="append", default=[], metavar="GRAPHIE", help="ajouter cette graphie refusée")
    q.add_argument("--format", choices=FORMATS, default="text",
                   help="text : lisible (par défaut) ; json : l'objet de l'API, une page ; "
                        "csv, excel (CSV pour Excel en français : ; et BOM), jsonl : tous les résultats, "
                        "toutes les pages, en flux")
    q.add_argument("--base-url", default="", metavar="URL",
                   help="adresse du serveur, devant le lien permanent de chaque rapport exporté "
                        "(http://hote:8000 ; sinon /reports/ID)")
    q.add_argument("--json", dest="format", action="store_const", const="json", help="comme --format json")
    settings.engine_arguments(q)
    q.set_defaults(run=_query)
    add_commands(sub, index_help)
    n = sub.add_parser("names", help="les graphies qu'une recherche de nom accepte et refuse",
                       description="Toutes les graphies candidates des noms de TEXTE, avec verdict, score et rapports.")
    n.add_argument("text", metavar="TEXTE", help="un nom, tel que vous le chercheriez")
    n.add_argument("--index", metavar="DOSSIER", help=index_help)
    n.add_argument("--json", action="store_true", help="afficher les candidates en JSON")
    settings.engine_arguments(n)
    n.set_defaults(run=_names)
    g = sub.add_parser("generations", help="les générations de l'index gardées, leurs rapports et leur état",
                       description="Les générations de l'index gardées sur disque, la plus récente d'abord.")
    g.add_argument("--index", metavar="DOSSIER", help=index_help)
    settings.engine_arguments(g)
    g.set_defaults(run=_generations)
    r = sub.add_parser("restore", help="remettre en service une génération gardée",
                       description="Remet en service une génération complète (voir la commande generations) ; "
                                   "rien n'est supprimé.")
    r.add_argument("generation", metavar="GENERATION", help="son nom, tel que generations l'affiche (gen-…)")
    r.add_argument("--index", metavar="DOSSIER", help=index_help)
    settings.engine_arguments(r)
    r.set_defaults(run=_restore)
    return p


def _rebuild(args) -> int:
    return _write(args, indexing.rebuild, "reconstruit")


def _update(args) -> int:
    return _write(args, indexing.update, "mis à jour")


def _write(args, action, verb: str) -> int:
    reports, choice = settings.reports_dir(args.reports), settings.engine_choice_of(args)
    index = choice.location()
    indexing.check_reports(reports)  # before the progress threads start: a missing folder is one line
    procs = getattr(args, "procs", None)  # rebuild only
    if procs is not None and procs < 1:
        return _error(f"--procs doit être au moins 1 (reçu : {procs})", EXIT_USAGE)
    more = {"procs": procs} if procs else {}
    with ProgressReporter(reports, args.follow_links, count=action is not indexing.update) as progress:
        summary = action(reports, index, progress, follow_links=args.follow_links, engine=choice.engine,
                         allow_removal=args.allow_removal, **more)
    started = time.monotonic()
    judged = prejudge(index, choice.engine)  # the new generation's most written names, judged now
    took = time.monotonic() - started
    summary.seconds += took
    _print_summary(verb, summary, index)
    if judged:
        print(f"  {plural(judged, 'nom parmi les plus écrits jugé', 'noms parmi les plus écrits jugés')} "
              f"d'avance en {_seconds(took)}")
    return EXIT_KEPT if summary.kept else 0


def _query(args) -> int:
    raw = {"q": [args.text], "source": args.source, "from": [args.date_from], "to": [args.date_to],
           "undated": ["1" if args.undated else ""], "sort": [args.sort], "page": [str(args.page)],
           "per_page": [str(args.limit)], "sans": args.sans, "avec": args.avec}
    from search import export
    from search.cli.service import open_service
    from search.params import parse_params
    params = parse_params(raw)
    service = open_service(args)
    try:
        if args.format in EXPORTS:
            hits = export.hits(service, params)
            _stream(export.jsonl_chunks(hits, args.base_url) if args.format == "jsonl"
                    else export.csv_chunks(hits, args.format, args.base_url))
            return 0
        result = service.run(params)
    finally:
        service.close()
    print(json.dumps(result.to_json(), ensure_ascii=False, indent=2) if args.format == "json" else _format(result))
    return 0


def _stream(chunks) -> None:
    """Chunks to stdout as UTF-8 bytes, whatever the locale, as they come (a pipe sees rows at once)."""
    out = sys.stdout.buffer
    for chunk in chunks:
        out.write(chunk.encode("utf-8"))
    out.flush()


def _search(args, raw: dict[str, list[str]]) -> SearchResult:
    from search.cli.service import open_service
    from search.params import parse_params
    params = parse_params(raw)
    service = open_service(args)
    try:
        return service.run(params)
    finally:
        service.close()


def _names(args) -> int:
    result = _search(args, {"q": [args.text], "per_page": ["1"]})
    groups = [(g.name, _sorted(g.variants)) for g in result.names]
    if args.json:
        print(json.dumps([{"name": name, "variants": [v.to_json() for v in found]} for name, found in groups],
                         ensure_ascii=False, indent=2))
        return 0
    for n, (name, found) in enumerate(groups):
        if len(groups) > 1:
            print(("\n" if n else "") + f"« {name} »")
        for title, group in (("acceptées", [v for v in found if v.accepted]),
                             ("refusées", [v for v in found if not v.accepted])):
            print(f"{title} ({len(group)}) :")
            for v in group:
                print(f"  {v.score:5.3f}  {v.reports:6d}  {v.spelling}{_kind(v)}")
    for notice in result.notices:
        print(f"! {notice}")
    return 0


def _sorted(variants: list) -> list:
    """Sorted, whatever order the planner judged them in: the most reported accepted spelling first,
    the closest rejected one first; ties by spelling."""
    accepted = sorted((v for v in variants if v.accepted), key=lambda v: (-v.reports, v.spelling.casefold(), v.spelling))
    rejected = sorted((v for v in variants if not v.accepted),
                      key=lambda v: (-v.score, -v.reports, v.spelling.casefold(), v.spelling))
    return accepted + rejected


def _kind(v) -> str:
    kind = "  (dans un nom plus long)" if v.partial else "  (expression)" if v.phrase else ""
    return kind + (f"  ({v.reason_text})" if v.reason_text and not v.accepted else "")


def _generations(args) -> int:
    choice = settings.engine_choice_of(args)
    index = choice.location()
    found = indexing.generations(index, choice.engine)
    if not found:
        return _error(f"pas d'index dans {index} : lancez `python -m search rebuild`")
    print(f"{len(found)} générations dans {index} :" if len(found) > 1 else f"1 génération dans {index} :")
    for info in found:
        print(_generation_line(info))
    return 0


def _generation_line(info: GenerationInfo) -> str:
    """``gen-… 2024-12-06 21:49:03  5000 rapports  8,1 Mo  en service`` (or its problem)."""
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(info.created))
    count = plural(info.reports, "rapport") if info.reports is not None else "? rapport"
    state = "en service" if info.live else info.problem or "complète"
    copy = f"copie indépendante de {info.copy_of}, " if info.copy_of else ""
    return f"  {info.name}  {when}  {count:>14}  {_megabytes(info.bytes):>9}  {copy}{state}"


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} Mo".replace(".", ",")


def _restore(args) -> int:
    choice = settings.engine_choice_of(args)
    index = choice.location()
    info = indexing.restore(index, args.generation, choice.engine)
    print(f"en service dans {index} : {info.name} ({plural(info.reports or 0, 'rapport')}) ; "
          "un serveur en marche la lit dans la seconde")
    return 0


def _brackets():
    from search.highlight.formatters import TextFormatter
    return TextFormatter("[", "]")


def _format(result: SearchResult) -> str:
    lines = [f"! {n}" for n in result.notices]
    lines.append(plural(result.total, "rapport") + (f", page {result.params.page}/{result.pages}" if result.total else ""))
    for name in result.names:
        accepted = [v for v in name.variants if v.accepted]
        label = f"graphies de « {name.name} »" if len(result.names) > 1 else "graphies"
        lines.append(f"{label} : " + (", ".join(f"{v.spelling} ({v.reports})" for v in accepted) or "aucune"))
    steered = [f"sans {s}" for s in result.params.without] + [f"avec {s}" for s in result.params.extra]
    if steered:
        lines.append("vos choix : " + ", ".join(steered))
    for n, hit in enumerate(result.hits, (result.params.page - 1) * result.params.per_page + 1):
        when = str(hit.period) if hit.period else "sans date"
        lines.append(f"\n{n}. {hit.title[:120]}\n   {hit.id} | {when} | {hit.source or 'sans source'}")
        lines.append("   " + _brackets().format(hit.snippet))
    return "\n".join(lines)


def _print_summary(verb: str, s: Summary, index) -> None:
    counts = [plural(s.indexed, "rapport indexé", "rapports indexés")]
    if verb == "mis à jour":
        counts += [plural(s.unchanged, "inchangé"), plural(s.removed, "retiré")]
        if s.kept:
            counts.append(plural(sum(s.kept.values()), "gardé sans relecture", "gardés sans relecture"))
    counts.append(plural(len(s.skipped), "ignoré"))
    print(f"{verb} {index} : {', '.join(counts)}, {_seconds(s.seconds)}")
    for item in s.skipped:
        print(f"  ignoré {item.path} : {item.reason}")
    for warning in s.warnings:
        print(f"  avertissement {warning}")
    for place, count in s.kept.items():
        kept = plural(count, "rapport gardé tel qu'indexé", "rapports gardés tels qu'indexés")
        print(f"  {kept} : {place} illisible cette fois")


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f} s".replace(".", ",")  # French decimal comma


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
