"""The search service a command opens: the index (a folder, or a cluster), with the analyst's files
beside the index folder (aliases, sources to merge)."""
from __future__ import annotations

from search import settings
from search.service import SearchService


def open_service(args) -> SearchService:
    choice = settings.engine_choice_of(args)
    return SearchService.open(choice.location(), alias_file=settings.aliases_file(None, choice.folder),
                              engine=choice.engine, sources_file=settings.sources_file(None, choice.folder))
