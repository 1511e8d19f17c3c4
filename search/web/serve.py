"""``python server.py``: the listening socket bound first (a port in use is one line), then uvicorn."""
from __future__ import annotations

import argparse
import socket
import sys

from search import settings
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
    ap.add_argument("--engine", choices=settings.ENGINES, help="whoosh : un dossier (par défaut) ; opensearch : un cluster "
                    "(défaut : $SEARCH_ENGINE)")
    ap.add_argument("--opensearch-url", help="les nœuds du cluster, séparés par des virgules (défaut : "
                    f"$SEARCH_OPENSEARCH_URL, sinon {settings.get('opensearch_url')}) ; mot de passe : $SEARCH_OPENSEARCH_PASSWORD")
    ap.add_argument("--opensearch-index", help="nom de la collection dans le cluster (défaut : $SEARCH_OPENSEARCH_INDEX, "
                    f"sinon {settings.get('opensearch_index')})")
    ap.add_argument("--opensearch-user", help="utilisateur (défaut : $SEARCH_OPENSEARCH_USER)")
    ap.add_argument("--opensearch-ca", help="certificat de l’autorité du cluster (défaut : $SEARCH_OPENSEARCH_CA)")
    args = ap.parse_args()
    try:
        choice = settings.engine_choice(args.engine, args.index, opensearch_url=args.opensearch_url,
                                        opensearch_index=args.opensearch_index, opensearch_user=args.opensearch_user,
                                        opensearch_ca=args.opensearch_ca)
        opened = open_engine(choice, settings.reports_dir(args.reports))
        listening = bind_listening(args.host, args.port)
    except (SearchError, OSError) as e:
        sys.exit(f"erreur : {e}")  # one line, not uvicorn's traceback of a failed start-up
    # Said once the port is ours, so that it is true: where to point a browser, and what it will search.
    print(f"Revue de presse : {opened.doc_count()} rapports dans {choice.location()}, sur http://{_url_host(args.host)}:"
          f"{listening.getsockname()[1]}/", flush=True)
    # h11's own limit (16 KB of buffered request) resets a connection with a long URL before the app can answer 414.
    config = uvicorn.Config(create_app(args.index, args.reports, opened, args.aliases, choice), log_level="warning",
                            h11_max_incomplete_event_size=settings.get("max_request_head_bytes"))
    uvicorn.Server(config).run(sockets=[listening])


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
