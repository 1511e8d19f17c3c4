"""The index's fields, and the adapter that feeds our analyzers to Whoosh."""
from __future__ import annotations

from whoosh import analysis as wa
from whoosh import columns, fields

from search.engine.whoosh.codec import VarintPositions
from search.fields import FIELD_ANALYZERS


class FieldAnalyzer(wa.Analyzer):
    """Whoosh's face of one of ``search.fields.FIELD_ANALYZERS`` (picklable: it holds a name)."""

    def __init__(self, field: str):
        self.field = field

    def __eq__(self, other):
        return isinstance(other, FieldAnalyzer) and other.field == self.field

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = wa.Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for t in FIELD_ANALYZERS[self.field](value, query=mode == "query"):
            token.text, token.boost, token.stopped = t.text, 1.0, False
            token.pos = start_pos + t.pos
            token.startchar, token.endchar = start_char + t.start, start_char + t.end
            yield token


def _text(field: str, phrase: bool) -> fields.TEXT:
    text = fields.TEXT(analyzer=FieldAnalyzer(field), phrase=phrase)
    if phrase:  # positions in a few bytes (search.engine.whoosh.codec)
        text.format = VarintPositions(field_boost=text.format.field_boost)
    return text


def make_schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.STORED,
        body=fields.STORED,  # the text, or the opening (OPENING_CHARS) of a longer one: what a hit loads
        length=fields.STORED,  # the whole text's length, when ``body`` holds its opening only
        # A longer text whole, compressed, in a column: read only when asked for (its plain text), never for
        # a hit (loading 50 MB of stored fields took 2 s for every search that matched it).
        fulltext=fields.COLUMN(columns.CompressedBytesColumn()),
        path=fields.STORED,
        hash=fields.STORED,
        precision=fields.STORED,
        verbatim=_text("verbatim", phrase=True),
        folded=_text("folded", phrase=True),
        stem=_text("stem", phrase=False),
        names=_text("names", phrase=False),
        source=fields.ID(stored=True, sortable=True),
        # Dates as YYYYMMDD integers: the first and last day of the report's period.
        date_start=fields.NUMERIC(int, bits=32, stored=True, sortable=True, default=0),
        date_end=fields.NUMERIC(int, bits=32, stored=True, sortable=True, default=0),
    )

