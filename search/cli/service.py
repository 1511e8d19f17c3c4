"""The search service a command opens: the index, with the analyst's files beside it (aliases, sources to merge)."""
from __future__ import annotations

from search import settings
from search.service import SearchService


def open_service(index_flag) -> SearchService:
    index = settings.index_dir(index_flag)
    return SearchService.open(index, alias_file=settings.aliases_file(None, index),
                              sources_file=settings.sources_file(None, index))
