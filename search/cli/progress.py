"""The progress of a rebuild or update, as the command line shows it.

On a terminal, a tqdm bar. Off a terminal (a log, cron, ``nohup``), one line on stderr at
least every ``progress_seconds``: reports read, rate, time elapsed and, once the number of
reports is known, time left. The line comes from a timer thread, not from the reading loop,
so it keeps coming while nothing is read. Once every report is read, the engine says how far
its writing is (``writing``: the last reports analysed, then the share of the index written),
and the line tells that phase too, with its own estimate:

    écriture de l'index : 34133 rapports lus en 5 min 40 s ; 45 % écrit en 40 s, encore ~49 s

The number of reports is counted in a second thread, beside the rebuild (a report file is
one, a JSONL file one per non-blank line: about a second for the 34k-report corpus), so that
counting never delays the rebuild; an estimate, since some lines may be skipped.
"""
from __future__ import annotations

import gzip
import sys
import threading
import time
import zlib
from pathlib import Path
from typing import TextIO

from search import settings
from search.cli.texts import duration, plural
from search.ingest.files import MAX_JSONL_BYTES, Unusable, bounded_lines, open_regular
from search.ingest.reports import JSONL_SUFFIXES, report_files


class ProgressReporter:
    """Called once per item read (``progress(item)``); a context manager around the rebuild."""

    def __init__(self, reports: Path, follow_links: bool = False, out: TextIO | None = None, count: bool = True):
        self.reports, self.follow_links, self.out = Path(reports), follow_links, out or sys.stderr
        self.counting = count  # an update reads little (its ledger vouches for unchanged files): no count beside it
        self.count = 0
        self.total: int | None = None
        self.bar = None
        self.started = time.monotonic()
        self.last_read = self.started
        self.read_seconds: float | None = None   # the reading's time, once the engine writes
        self.analysed = 0                        # reports the engine has analysed, once it writes
        self.to_analyse: int | None = None       # of how many (an update's new and changed ones)
        self.share = 0.0                         # of the index written
        self.writing_since: float | None = None  # when the first byte of it was
        self._done = threading.Event()
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> ProgressReporter:
        self.started = self.last_read = time.monotonic()
        if self.out.isatty():
            from tqdm import tqdm
            self.bar = tqdm(unit=" rapports", desc="lecture", file=self.out)
        else:
            self._start(self._tick)
        if self.counting:
            self._start(self._count)
        return self

    def __call__(self, item) -> None:
        unread = getattr(item, "ids", None)  # an unchanged file's reports, not read again
        self.count += 1 if unread is None else len(unread)
        self.last_read = time.monotonic()
        if self.bar is not None:
            if self.total and self.bar.total is None:  # the count arrived: the bar gets its end
                self.bar.total = self.total
            self.bar.update(1 if unread is None else len(unread))

    def __exit__(self, *exc) -> None:
        self._done.set()
        for thread in self._threads:
            thread.join()
        if self.bar is not None:
            self.bar.close()

    def writing(self, analysed: int, share: float, to_analyse: int | None = None) -> None:
        """The engine's word, once every report is read: reports analysed (of ``to_analyse``: the job's
        count of reports to index, when it says), share of the index written."""
        now = time.monotonic()
        self.to_analyse = to_analyse
        if self.read_seconds is None:
            self.read_seconds = self.last_read - self.started
        if share > 0 and self.writing_since is None:
            self.writing_since = now
        self.analysed, self.share = analysed, share
        if self.bar is not None:
            self.bar.set_postfix_str(self._writing())

    def line(self) -> str:
        """``lecture : 12000 rapports en 2 min 05 s (96/s) sur ~34133, encore ~3 min 45 s``, then
        ``écriture de l'index : …`` once every report is read."""
        if self.read_seconds is not None or (self.total and self.count >= self.total):
            return "écriture de l'index : " + self._writing()
        elapsed = time.monotonic() - self.started
        rate = self.count / elapsed if elapsed > 0 else 0.0
        text = f"lecture : {plural(self.count, 'rapport')} en {duration(elapsed)} ({rate:.0f}/s)"
        if self.total:
            text += f" sur ~{self.total}"
            if rate > 0:
                text += f", encore ~{duration((self.total - self.count) / rate)}"
        return text

    def _writing(self) -> str:
        """``34133 rapports lus en 5 min 40 s ; analyse : 33900 sur 34133, encore ~10 s`` or
        ``… ; 45 % écrit en 40 s, encore ~49 s``."""
        now = time.monotonic()
        read = self.read_seconds if self.read_seconds is not None else self.last_read - self.started
        text = f"{plural(self.count, 'rapport')} lus en {duration(read)}"
        if self.writing_since is not None:
            spent = now - self.writing_since
            text += f" ; {self.share * 100:.0f} % écrit en {duration(spent)}"
            if 0 < self.share < 1 and spent > 0:
                text += f", encore ~{duration(spent * (1 - self.share) / self.share)}"
        elif self.read_seconds is not None and self.analysed < self._to_analyse():
            rate = self.analysed / (now - self.started)
            text += f" ; analyse : {self.analysed} sur {self._to_analyse()}"
            if rate > 0:
                text += f", encore ~{duration((self._to_analyse() - self.analysed) / rate)}"
        elif self.read_seconds is not None:
            text += " ; tri des entrées de l'index"  # every report analysed, nothing written yet
        return text

    def _to_analyse(self) -> int:
        """The reports to analyse: the job's count (an update's changed ones), else every report read."""
        return self.count if self.to_analyse is None else self.to_analyse

    def _start(self, target) -> None:
        thread = threading.Thread(target=target, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _tick(self) -> None:
        while not self._done.wait(settings.get("progress_seconds")):
            print(self.line(), file=self.out, flush=True)

    def _count(self) -> None:
        try:
            self.total = count_reports(self.reports, self.follow_links, self._done.is_set) or None
        except (OSError, Unusable, EOFError, zlib.error):  # the rebuild itself says what it could not read
            pass


def count_reports(reports: Path, follow_links: bool = False, stop=lambda: False) -> int:
    """About how many reports ``reports`` (a folder or one file) holds; 0 once ``stop()`` is true."""
    root = reports if reports.is_dir() else reports.parent
    total = 0
    for rel in report_files(reports, follow_links):
        if stop():
            return 0
        total += _records(root / rel, stop) if rel.lower().endswith(JSONL_SUFFIXES) else 1
    return total


def _records(path: Path, stop) -> int:
    with open_regular(path, MAX_JSONL_BYTES) as raw:
        lines = gzip.GzipFile(fileobj=raw, mode="rb") if path.name.lower().endswith(".gz") else raw
        count = 0
        for _, line in bounded_lines(lines):
            if stop():
                return 0
            count += line is None or bool(line.strip())
        return count
