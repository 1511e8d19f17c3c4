"""Every setting in one table, with its default and help; the environment is read once."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from search.errors import BadRequest

ROOT = Path(__file__).resolve().parent.parent
# Run from the project's folder (a checkout), seeds/ and index/ are there; installed by
# `pip install .`, the package sits in site-packages, where no index belongs: the folders are
# then those of the current directory.
HOME = ROOT if (ROOT / "pyproject.toml").is_file() else Path.cwd()


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS = (
    Setting("reports", HOME / "seeds", "folder of reports to index (env SEARCH_REPORTS)"),
    Setting("engine", "whoosh", "what holds the index: whoosh (a folder, the default) or opensearch (a cluster) "
                                "(env SEARCH_ENGINE)"),
    Setting("index", HOME / "index", "folder of the index (env SEARCH_INDEX)"),
    Setting("opensearch_url", "http://127.0.0.1:9200", "the cluster's nodes, comma-separated (env SEARCH_OPENSEARCH_URL)"),
    Setting("opensearch_index", "revue-presse",
            "the collection's name in the cluster, the alias of its live index (env SEARCH_OPENSEARCH_INDEX)"),
    Setting("opensearch_user", None, "user for the cluster's basic authentication (env SEARCH_OPENSEARCH_USER)"),
    Setting("opensearch_password", None, "its password (env SEARCH_OPENSEARCH_PASSWORD only: a flag would show in ps)"),
    Setting("opensearch_ca", None, "CA file the cluster's certificate is checked against (env SEARCH_OPENSEARCH_CA)"),
    Setting("opensearch_replicas", 1, "copies of each index beside its primary (env SEARCH_OPENSEARCH_REPLICAS)"),
    Setting("aliases", "aliases.tsv beside the index folder", "the analyst's own alias file (env SEARCH_ALIASES)"),
    Setting("sources", "sources.tsv beside the index folder", "the analyst's file of sources to merge (env SEARCH_SOURCES)"),
    Setting("saved", "recherches.sqlite beside the index folder",
            "the database of saved searches and history (env SEARCH_SAVED)"),
    Setting("history_kept", 50, "searches the history keeps, per browser"),
    Setting("max_query_chars", 500, "a longer query is cut here, with a notice"),
    Setting("max_query_words", 32, "words past this are dropped, with a notice"),
    Setting("max_prefixes", 4, "most words ending in '*' in one query; later ones are plain words"),
    Setting("max_prefix_terms", 200, "a prefix query 'xyz*' expands to at most this many words"),
    Setting("min_prefix_chars", 3, "a prefix query needs at least this many letters before '*'"),
    Setting("per_page", 10, "hits per page by default"),
    Setting("max_per_page", 100, "largest per_page the API accepts"),
    Setting("max_page", 1000, "largest page number accepted"),
    Setting("max_sources", 50, "most source filters in one request"),
    Setting("max_param_chars", 200, "longest value accepted for a source or date parameter"),
    Setting("snippet_chars", 240, "length of a result snippet"),
    Setting("progress_seconds", 10, "off a terminal, a rebuild or update prints its progress this often"),
    Setting("export_page", 500, "hits read per search while exporting a whole result set (memory holds one such page)"),
    Setting("max_steer", 50, "most spellings one search may drop (sans=) or add (avec=)"),
    Setting("rejected_shown", 12, "close-but-rejected spellings listed beside a name's variants"),
    Setting("max_query_string_bytes", 64 * 1024, "a longer query string is answered 414, unread"),
    Setting("max_request_head_bytes", 1024 * 1024,
            "request line and headers python server.py reads before it closes the connection (uvicorn's h11 limit)"),
    Setting("keep_generations", 3, "whole index generations kept on disk, the live one included, at least 2 "
                                   "(env SEARCH_KEEP_GENERATIONS)"),
    Setting("recheck_hours", 24.0, "a generation's file whose inode, size and time are unchanged is hashed against "
                                   "its manifest again only after so many hours (a changed one at once; env SEARCH_RECHECK_HOURS)"),
    Setting("independent_hours", 24.0, "after an update, a checked copy of the live generation is made unless a whole "
                                       "generation younger than this shares no file with it (env SEARCH_INDEPENDENT_HOURS)"),
    Setting("max_removal_share", 0.2, "a rebuild or update that would drop more than this share of the live "
                                      "index's reports is refused, unless --allow-removal (env SEARCH_MAX_REMOVAL, "
                                      "a percentage)"),
    Setting("removal_floor", 10, "so many reports a rebuild or update may always drop, whatever their share"),
    Setting("prejudged_names", 400, "after a rebuild or update, the names the most reports write are judged at once, "
                                    "so many at most (env SEARCH_PREJUDGED_NAMES; 0: none)"),
    Setting("prejudge_seconds", 10.0, "... for so many seconds of processor time at most"),
    Setting("name_context", 1, "a name's close spelling is turned down when the reports writing it speak of something "
                               "else than those of the spelling typed (Douma is no Dôme); 0: the spelling alone "
                               "decides (env SEARCH_NAME_CONTEXT)"),
    Setting("name_forms_reports", 100_000, "a server holds its lexicon's name forms in memory (43 MB at 34k reports) "
                                           "up to so many reports; past them it looks each key up in the index"),
    Setting("search_seconds", 3.0, "a search stops after this long and answers with what it has, saying so"),
    Setting("searchers", 8, "Whoosh searchers per open generation, lent to one search at a time"),
    Setting("heavy_searches", 1, "heavy searches (phrases, prefixes, long pages, export pages) run at most this "
                                 "many at once; cheap ones never wait for them"),
    Setting("max_indexed_chars", 2_000_000, "characters of one report's text that are analysed and searchable; "
                                            "the rest is stored and shown, with a warning in the summary"),
    Setting("page_chars", 200_000, "characters of a report shown on its page around its first match; the whole "
                                   "text is a link away, as plain text"),
    Setting("snippet_scan_chars", 100_000, "characters of a report's text searched for a result's snippet"),
)
DEFAULTS = {s.name: s.default for s in SETTINGS}


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


ENV_REPORTS = _env_path("SEARCH_REPORTS")
ENV_INDEX = _env_path("SEARCH_INDEX")
ENV_ALIASES = _env_path("SEARCH_ALIASES")
ENV_SOURCES = _env_path("SEARCH_SOURCES")
ENV_SAVED = _env_path("SEARCH_SAVED")
ENV_ENGINE = os.environ.get("SEARCH_ENGINE") or None
ENV_OPENSEARCH = {name: os.environ.get(f"SEARCH_{name.upper()}") or None
                  for name in ("opensearch_url", "opensearch_index", "opensearch_user", "opensearch_password",
                               "opensearch_ca", "opensearch_replicas")}
ENGINES = ("whoosh", "opensearch")


@dataclass(frozen=True)
class EngineChoice:
    """Which engine holds the index, and where: flags over the environment over the defaults."""
    engine: str = "whoosh"
    folder: Path = HOME / "index"  # Whoosh's index; the analyst's aliases file sits beside it either way
    opensearch: tuple[tuple[str, object], ...] = ()  # the cluster's settings (``opensearch_url``…)

    def location(self) -> object:
        """What the adapter's ``rebuild``, ``update``, ``exists`` and ``open`` take: the folder for
        Whoosh, a ``Cluster`` for OpenSearch (its client is imported only then)."""
        if self.engine == "whoosh":
            return self.folder
        from search.engine.opensearch import Cluster
        o = dict(self.opensearch)
        return Cluster.parse(str(o["opensearch_url"]), name=o["opensearch_index"], user=o["opensearch_user"],
                             password=o["opensearch_password"], ca_file=o["opensearch_ca"],
                             replicas=o["opensearch_replicas"])


def engine_choice(engine: str | None = None, index: str | os.PathLike | None = None, **flags) -> EngineChoice:
    """The engine and its place. ``flags``: ``opensearch_url``, ``opensearch_index``… as given on a
    command line (None: not given)."""
    name = engine or ENV_ENGINE or DEFAULTS["engine"]
    if name not in ENGINES:
        raise BadRequest(f"moteur inconnu : {name!r} (whoosh ou opensearch)")
    cluster = {key: flags.get(key) or ENV_OPENSEARCH[key] or DEFAULTS[key] for key in ENV_OPENSEARCH}
    try:
        cluster["opensearch_replicas"] = int(str(cluster["opensearch_replicas"]))
    except ValueError:
        raise BadRequest(f"SEARCH_OPENSEARCH_REPLICAS doit être un nombre (reçu : {cluster['opensearch_replicas']!r})") \
            from None
    return EngineChoice(name, index_dir(index), tuple(cluster.items()))


def engine_arguments(parser) -> None:
    """The flags choosing the engine (Whoosh's folder by default, or an OpenSearch cluster), for the
    command line and ``python server.py`` alike."""
    parser.add_argument("--engine", choices=ENGINES,
                        help="whoosh : un dossier (par défaut) ; opensearch : un cluster (défaut : $SEARCH_ENGINE)")
    parser.add_argument("--opensearch-url", metavar="URL", help="les nœuds du cluster, séparés par des virgules "
                        f"(défaut : $SEARCH_OPENSEARCH_URL, sinon {DEFAULTS['opensearch_url']}) ; "
                        "mot de passe : $SEARCH_OPENSEARCH_PASSWORD")
    parser.add_argument("--opensearch-index", metavar="NOM", help="nom de la collection dans le cluster "
                        f"(défaut : $SEARCH_OPENSEARCH_INDEX, sinon {DEFAULTS['opensearch_index']})")
    parser.add_argument("--opensearch-user", metavar="UTILISATEUR", help="utilisateur (défaut : $SEARCH_OPENSEARCH_USER)")
    parser.add_argument("--opensearch-ca", metavar="FICHIER", help="certificat de l'autorité du cluster "
                        "(défaut : $SEARCH_OPENSEARCH_CA)")


def engine_choice_of(args) -> EngineChoice:
    """The engine and its place from parsed flags (``engine_arguments`` and ``--index``)."""
    return engine_choice(args.engine, args.index, opensearch_url=args.opensearch_url,
                         opensearch_index=args.opensearch_index, opensearch_user=args.opensearch_user,
                         opensearch_ca=args.opensearch_ca)


def _env_number(name: str, setting: str, kind: type, low: float, scale: float = 1) -> None:
    """An environment value that overrides a setting, read once; one that is no number in range is
    left out, with a line on stderr (the settings cannot raise at import)."""
    value = os.environ.get(name)
    if value is None:
        return
    try:
        number = kind(value)
        number = number / scale if scale != 1 else number
        if number < low:
            raise ValueError(value)
    except ValueError:
        print(f"avertissement : {name}={value!r} ignoré (au moins {low * scale:g} attendu)", file=sys.stderr)
        return
    DEFAULTS[setting] = number


_env_number("SEARCH_KEEP_GENERATIONS", "keep_generations", int, 2)
_env_number("SEARCH_MAX_REMOVAL", "max_removal_share", float, 0, scale=100)
_env_number("SEARCH_INDEPENDENT_HOURS", "independent_hours", float, 0)
_env_number("SEARCH_RECHECK_HOURS", "recheck_hours", float, 0)
_env_number("SEARCH_PREJUDGED_NAMES", "prejudged_names", int, 0)
_env_number("SEARCH_NAME_CONTEXT", "name_context", int, 0)


def reports_dir(flag: str | os.PathLike | None = None) -> Path:
    """Flag, else SEARCH_REPORTS, else seeds/."""
    return Path(flag) if flag else ENV_REPORTS or Path(str(DEFAULTS["reports"]))


def index_dir(flag: str | os.PathLike | None = None) -> Path:
    """Flag, else SEARCH_INDEX, else index/."""
    return Path(flag) if flag else ENV_INDEX or Path(str(DEFAULTS["index"]))


def aliases_file(flag: str | os.PathLike | None = None, index: Path | None = None) -> Path:
    """Flag, else SEARCH_ALIASES, else aliases.tsv beside the index folder."""
    return Path(flag) if flag else ENV_ALIASES or index_dir(index).parent / "aliases.tsv"


def sources_file(flag: str | os.PathLike | None = None, index: Path | None = None) -> Path:
    """Flag, else SEARCH_SOURCES, else sources.tsv beside the index folder."""
    return Path(flag) if flag else ENV_SOURCES or index_dir(index).parent / "sources.tsv"


def saved_file(flag: str | os.PathLike | None = None, index: Path | None = None) -> Path:
    """Flag, else SEARCH_SAVED, else recherches.sqlite beside the index folder (it outlives every rebuild)."""
    return Path(flag) if flag else ENV_SAVED or index_dir(index).parent / "recherches.sqlite"


def get(name: str):
    return DEFAULTS[name]
