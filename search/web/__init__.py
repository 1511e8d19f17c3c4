"""The web service: the app, its pages and API, its templates and static files."""
