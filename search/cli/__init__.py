"""The command line (``python -m search``, ``revue-presse``): a thin layer over the library, in French."""
from search.cli.commands import main

__all__ = ["main"]
