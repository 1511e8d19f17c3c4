"""Revue de presse: full-text search over press reports, any spelling of a name (see README.md's layout)."""
