"""python -m search: the command line (search/cli/).

Run by a Python without the project's libraries (the system's python3 rather than the
virtualenv's), the imports fail: say what to do in one line rather than print a traceback.
"""
import sys

try:
    from search.cli.commands import main
except ImportError as e:  # ModuleNotFoundError included
    missing = getattr(e, "name", None) or e
    sys.exit(f"erreur : module {missing} introuvable pour {sys.executable} ; lancez .venv/bin/python -m search "
             "(après python3 -m venv .venv && .venv/bin/pip install -r requirements.txt), ou installez le projet "
             "avec pip install .")

sys.exit(main())
