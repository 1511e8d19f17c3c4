"""The query side: the user's syntax parsed, then planned into engine-neutral nodes."""
