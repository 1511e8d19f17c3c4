"""What an update's ledger costs at 340,000 reports (one collection), without a 340k index at hand.

    .venv/bin/python bench/ledger_scale.py [N]

Writes and reads the ledger of N reports (340,000 by default) of one collection, vouches for the
file and replays it (what an update does for an unchanged collection), in CPU seconds: the part
of an update that grows with the collection once the ledger spares reading it.
"""
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from search.ingest.ledger import Ledger, FileRecord
from search.ingest.reports import _replay
from search.indexing import FileBook

N = int(sys.argv[1]) if len(sys.argv) > 1 else 340_000
reports = [(f"fr_news_{n:07d}", hashlib.sha1(str(n).encode()).hexdigest(), n + 1, True) for n in range(N)]
rec = FileRecord("fr_news.jsonl.gz", 830_000_000, 1, 2, 3, "0" * 40, reports, [])
held = {i: (h, f"fr_news.jsonl.gz#{i}") for i, h, _, _ in reports}
t = time.process_time(); raw = Ledger({rec.path: rec}, held).to_bytes(); t1 = time.process_time() - t
t = time.process_time(); L = Ledger.from_bytes(raw); t2 = time.process_time() - t
book = FileBook(); book.previous, book.held = L, L.held
t = time.process_time(); r = L.files["fr_news.jsonl.gz"]; ok = book._agrees(r); items = _replay(r, {}); t3 = time.process_time() - t
t = time.process_time(); back = dict(L.held); t4 = time.process_time() - t
print(f"{N} reports: ledger {len(raw) / 2**20:.1f} MB; write {t1:.2f} s, read {t2:.2f} s, vouch and replay {t3:.2f} s, held copied {t4:.2f} s CPU")
assert ok and len(items[-1].ids) == N
