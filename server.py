"""The web service: a search page, a report view and a JSON API (``search.web``).

    python server.py [--host 127.0.0.1] [--port 8000] [--index DIR] [--reports DIR]
    uvicorn server:app            # the same, folders from $SEARCH_INDEX / $SEARCH_REPORTS

The index is built first when the index folder holds no generation, opened once
at start-up (refused in one line when no generation is whole), and a rebuild or
update by the command line is picked up without a restart.
"""
from search.web.app import create_app
from search.web.serve import main

app = create_app()  # what uvicorn serves; nothing is opened before its lifespan starts

if __name__ == "__main__":
    main()
