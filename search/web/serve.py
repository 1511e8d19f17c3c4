"""``python server.py``: the listening socket bound first (a port in use is one line), then uvicorn."""
from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

from search import indexing, settings
from search.errors import SearchError
from search.web.app import create_app, open_engine


def main() -> None:
    import uvicorn

    ap = argparse.ArgumentParser(description="Sert la page de recherche et l’API.")
    ap.add_argument("--host", default="127.0.0.1", help="adresse d’écoute (défaut : 127.0.0.1)")
    ap.add_argument("--port", type=int, default=8000, help="port (défaut : 8000)")
    ap.add_argument("--index", help="dossier de l’index (défaut : $SEARCH_INDEX ou index/)")
    ap.add_argument("--reports", help="dossier ou fichier de rapports, indexé quand l’index manque (défaut : seeds/)")
    ap.add_argument("--aliases", help="votre fichier d’alias (défaut : $SEARCH_ALIASES ou aliases.tsv à côté de l’index)")
    ap.add_argument("--sources", help="votre fichier de sources à fusionner (défaut : $SEARCH_SOURCES ou sources.tsv "
                                      "à côté de l’index)")
    ap.add_argument("--saved", help="la base des recherches enregistrées et de l’historique (défaut : $SEARCH_SAVED ou "
                                    "recherches.sqlite à côté de l’index)")
    settings.engine_arguments(ap)
    args = ap.parse_args()
    reports = settings.reports_dir(args.reports)
    try:
        choice = settings.engine_choice_of(args)
        index = choice.location()
        opened = open_engine(choice, reports)
        listening = bind_listening(args.host, args.port)
    except (SearchError, OSError) as e:
        sys.exit(f"erreur : {e}")  # one line, not uvicorn's traceback of a failed start-up
    origin = indexing.built_from(index, choice.engine)
    # Said once the port is ours, so that it is true: where to point a browser, and what it will search.
    print(f"Revue de presse : {opened.doc_count()} rapports dans {index}"
          f"{f' (construit depuis {origin})' if origin else ''}, sur http://{_url_host(args.host)}:"
          f"{listening.getsockname()[1]}/", flush=True)
    if args.reports or os.environ.get("SEARCH_REPORTS"):
        warning = reports_warning(index, reports, origin, choice)
        if warning:
            print(warning, file=sys.stderr, flush=True)
    # h11's own limit (16 KB of buffered request) resets a connection with a long URL before the app can answer 414.
    app = create_app(args.index, args.reports, opened, args.aliases, args.sources, args.saved, choice)
    config = uvicorn.Config(app, log_level="warning", h11_max_incomplete_event_size=settings.get("max_request_head_bytes"))
    uvicorn.Server(config).run(sockets=[listening])


def reports_warning(index: object, reports: Path, origin: str | None,
                    choice: settings.EngineChoice | None = None) -> str | None:
    """What to tell when the reports folder asked for is not the one the index was built from
    (the folder is read only to build an index that is missing: the index already there is served)."""
    if origin is not None and Path(origin) == Path(reports).resolve():
        return None
    built = f"a été construit depuis {origin}" if origin else "ne dit pas depuis quels rapports il a été construit"
    where = "--engine opensearch" if choice is not None and choice.engine == "opensearch" else f"--index {index}"
    return (f"attention : l’index {index} {built}, pas depuis {reports} : ce dossier ne sert qu’à construire un "
            f"index absent, c’est l’index existant qui est servi. Pour chercher dans {reports} : python -m search "
            f"rebuild --reports {reports} {where} (le serveur le prend sans redémarrer)")


def bind_listening(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so that a port in use is one line, and the start-up line comes after."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, not 0: asyncio sets TCP_NODELAY only on sockets that say so, and without it
    # every answer on a kept-alive connection waited 40 ms for a delayed ACK (headers and body go apart).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise OSError(f"impossible d’écouter sur {host}:{port} ({e.strerror})") from None
    sock.listen(2048)
    return sock


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
