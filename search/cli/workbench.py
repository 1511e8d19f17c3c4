"""The saved searches on the command line: ``watch`` (for a cron job) and ``saved list|export|import``.

``watch`` prints, for each saved search, the reports new since its last run and remembers them
as seen; its exit code says whether there was anything new (1) or not (0), so that cron can act
on it (``python -m search watch --json || mail …``).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from search import settings
from search.cli.texts import plural
from search.errors import BadRequest, SearchError

if TYPE_CHECKING:  # the service and the saved searches are imported when a command runs: rebuild and update need neither
    from search.saved import SavedSearches
    from search.service import SearchService

EXIT_NEW = 1  # watch: something new


def add_commands(sub, index_help: str) -> None:
    saved_help = f"la base des recherches enregistrées (défaut : $SEARCH_SAVED, sinon recherches.sqlite à côté de l'index)"
    w = sub.add_parser("watch", help="les rapports nouveaux de chaque recherche enregistrée depuis le dernier watch",
                       description="Pour chaque recherche enregistrée, les rapports nouveaux depuis le dernier watch "
                                   "(code de sortie 1 s'il y en a, 0 sinon).")
    w.add_argument("--json", action="store_true", help="en JSON : une liste de recherches et de leurs rapports nouveaux")
    w.add_argument("--index", metavar="DOSSIER", help=index_help)
    w.add_argument("--saved", metavar="FICHIER", help=saved_help)
    settings.engine_arguments(w)
    w.set_defaults(run=_watch)
    s = sub.add_parser("saved", help="lister, exporter ou importer les recherches enregistrées",
                       description="Les recherches enregistrées : les lister, les exporter ou les importer en JSON.")
    s.add_argument("action", choices=("list", "export", "import"), help="list, export ou import")
    s.add_argument("file", nargs="?", metavar="FICHIER", help="le fichier JSON (export : - ou rien pour la sortie)")
    s.add_argument("--index", metavar="DOSSIER", help=index_help)
    s.add_argument("--saved", metavar="FICHIER", help=saved_help)
    settings.engine_arguments(s)
    s.set_defaults(run=_saved)


def _open(args) -> tuple[SearchService, SavedSearches]:
    from search.cli.service import open_service
    from search.saved import Database, SavedSearches
    service = open_service(args)
    return service, SavedSearches(Database(settings.saved_file(args.saved, settings.index_dir(args.index))), service)


def _watch(args) -> int:
    from search.describe import describe
    service, saved = _open(args)
    try:
        found = []
        for search in saved.all():
            try:
                new = saved.watch(search)
            except BadRequest as e:  # a search that no longer reads: said, the others still run
                print(f"erreur : « {search.name} » ne se lit plus : {e}", file=sys.stderr)
                continue
            found.append((search, service.shaped(sorted(new), search.params)))
    finally:
        service.close()
        saved.db.close()
    if args.json:
        print(json.dumps([{"name": s.name, "query": s.query, "new": [h.to_json() for h in hits]} for s, hits in found],
                         ensure_ascii=False, indent=2))
    else:
        for search, hits in found:
            print(f"{search.name} ({describe(search.params)}) : "
                  + (plural(len(hits), "nouveau rapport", "nouveaux rapports") if hits else "rien de nouveau"))
            for hit in hits:
                when = hit.period.label_fr if hit.period else "sans date"
                print(f"  {when} | {hit.source or 'sans source'} | {hit.title[:100]} | {hit.id}")
    return EXIT_NEW if any(hits for _, hits in found) else 0


def _saved(args) -> int:
    from search.describe import describe
    from search.saved.transfer import export, import_into
    service, saved = _open(args)
    try:
        if args.action == "list":
            for search in saved.all():
                print(f"{search.name} : {describe(search.params)} ({plural(len(saved.news(search)), 'nouveau rapport', 'nouveaux rapports')})")
        elif args.action == "export":
            text = json.dumps(export(saved), ensure_ascii=False, indent=1) + "\n"
            if args.file in (None, "-"):
                sys.stdout.write(text)
            else:
                Path(args.file).write_text(text, encoding="utf-8")
        else:
            if not args.file:
                raise BadRequest("import : donnez le fichier JSON à importer")
            try:
                data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
            except OSError as e:
                raise SearchError(f"import : {args.file} illisible ({e.strerror})") from None
            done = import_into(saved, data)
            print(f"importées : {len(done.added)}, déjà là : {len(done.skipped)}, refusées : {len(done.refused)}")
            for line in done.refused:
                print(f"  refusée {line}")
    finally:
        service.close()
        saved.db.close()
    return 0
