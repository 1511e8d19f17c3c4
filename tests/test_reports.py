"""Reading reports from real files in a temporary folder: metadata, decoding, JSONL, skips."""
import gzip
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.ingest.reports import Report, Skipped, iter_reports

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CORPUS = Path("/work/shared/corpus/fr_news.jsonl.gz")


def write(folder: Path, rel: str, content) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def read_all(folder: Path, follow_links: bool = False) -> dict:
    """Reports by id and skips by path."""
    items = list(iter_reports(folder, follow_links))
    reports = {item.id: item for item in items if isinstance(item, Report)}
    skipped = {item.path: item.reason for item in items if isinstance(item, Skipped)}
    assert len(reports) + len(skipped) == len(items)
    return {"reports": reports, "skipped": skipped}


def one(folder: Path, content, rel: str = "r.txt") -> Report:
    write(folder, rel, content)
    [report] = iter_reports(folder)
    assert isinstance(report, Report), report
    return report


# --- the seeds ----------------------------------------------------------------


@pytest.fixture
def seeds(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return read_all(tmp_path / "seeds")


def test_seed_004_press_review(seeds):
    report = seeds["reports"]["004_5f5f0d47140a8dcd"]
    assert report.source == "Perspectives Med"
    assert (str(report.date), report.date.precision) == ("2023-11-01", "day")
    assert report.title == "Revue de presse : Perspectives Med (1er novembre 2023)"
    assert report.text.startswith("En début de semaine, le poste frontière")
    assert "date 2023-11" not in report.text and "Revue de presse" not in report.text
    assert report.path == "004_5f5f0d47140a8dcd.txt"
    assert report.hash == hashlib.sha1((SEEDS / report.path).read_bytes()).hexdigest()
    assert report.warnings == []


def test_seed_000_undated_without_source(seeds):
    report = seeds["reports"]["000_35afb961cde4eec7"]
    assert report.source is None and report.date is None
    assert report.title.startswith("Rapports sur une autre attaque")
    assert report.text.startswith("Le réseau libanais al-Miyadin")
    assert seeds["skipped"] == {}


# --- header lines and title -----------------------------------------------------


def test_header_lines_give_date_source_and_title(tmp_path):
    report = one(tmp_path, "Date: 2023-11-05\nSource : L'Orient-Le Jour\nTitre : Alep sous les bombes\n\nLe corps.\n")
    assert (str(report.date), report.source, report.title, report.text) == (
        "2023-11-05", "L'Orient-Le Jour", "Alep sous les bombes", "Le corps.")


def test_title_is_the_first_line_after_the_headers(tmp_path):
    report = one(tmp_path, "\n\nsource: AFP\ndate 2023\n\nUn titre\n\nPremier paragraphe.\n\nSecond.")
    assert (report.title, report.text, str(report.date)) == ("Un titre", "Premier paragraphe.\n\nSecond.", "2023")


@pytest.mark.parametrize("title", [
    "Date limite pour un cessez-le-feu à Gaza",
    "Source de tensions au Liban",
    "Titre de séjour : les réfugiés syriens",
    "Dates clés du conflit (2023)",
])
def test_titles_that_start_like_a_header_stay_titles(tmp_path, title):
    report = one(tmp_path, f"{title}\n\nLe corps.")
    assert (report.title, report.text, report.source) == (title, "Le corps.", None)


def test_a_header_date_that_is_no_date_warns_and_leaves_it_undated(tmp_path):
    report = one(tmp_path, "date: hier soir\nUn titre\nLe corps.")
    assert (report.date, report.title) == (None, "Un titre")
    assert report.warnings == ["date non comprise, rapport laissé sans date : 'hier soir'"]


def test_long_titles_are_kept_whole_and_trailing_stars_dropped(tmp_path):
    title = "Syrie " * 80
    report = one(tmp_path, f"{title}**\nLe corps.")
    assert report.title == title.strip() and len(report.title) > 300


def test_markdown_heading_and_front_matter(tmp_path):
    report = one(tmp_path, "---\ntitle: \"Alep\"\ndate: 2023-11-05\nauthor: X\n---\n# Alep\n\nLe corps.", "r.md")
    assert (report.title, report.text, str(report.date)) == ("Alep", "# Alep\n\nLe corps.", "2023-11-05")
    assert one(tmp_path / "b", "# Alep, 5 mars 2022\n\nLe corps.", "b.md").title == "Alep, 5 mars 2022"


# --- date: header and title --------------------------------------------------


@pytest.mark.parametrize("content, expected, precision", [
    ("date 2023-11 Rapport du 1er novembre 2023\ncorps", "2023-11-01", "day"),   # agree: the day
    ("date 2023-11-03 Rapport de novembre 2023\ncorps", "2023-11-03", "day"),    # agree: the day
    ("date 2023-10 Rapport du 1er novembre 2023\ncorps", "2023-10", "month"),    # disagree: header
    ("Rapport de mi-novembre 2023\ncorps", "2023-11", "month"),                  # title only
    ("date: 2023\nRapport\ncorps", "2023", "year"),                              # header only
])
def test_header_and_title_dates(tmp_path, content, expected, precision):
    report = one(tmp_path, content)
    assert (str(report.date), report.date.precision) == (expected, precision)


# --- source ------------------------------------------------------------------


@pytest.mark.parametrize("rel, content, expected", [
    ("r.txt", "source: Al-Monitor\nRevue de presse : Perspectives Med (1er novembre 2023)\nc", "Al-Monitor"),
    ("r.txt", "Revue de presse : Perspectives Med (1er novembre 2023)\nc", "Perspectives Med"),
    ("r.txt", "Revue de presse - L'Orient-Le Jour\nc", "L'Orient-Le Jour"),
    ("r.txt", "Revue de presse : Le Monde, 3 mars 2022\nc", "Le Monde"),
    ("r.txt", "Revue de presse : Haaretz (Israël) (3 mars 2022)\nc", "Haaretz (Israël)"),
    ("Le Monde/r.txt", "Un titre\nc", "Le Monde"),
    ("Le Monde/2023/r.txt", "Revue de presse : Al-Akhbar\nc", "Al-Akhbar"),
    ("2023-11/r.txt", "Un titre\nc", None),  # a folder named for a date is no source
    ("r.txt", "Un titre\nc", None),
])
def test_source(tmp_path, rel, content, expected):
    assert one(tmp_path, content, rel).source == expected


# --- ids and decoding -------------------------------------------------------------


def test_ids_are_relative_paths_without_extension_in_order(tmp_path):
    for rel in ("b.txt", "a/z.md", "sub/dir/name.txt", "a/y.TXT", "notes.pdf", ".hidden.txt", ".git/x.txt"):
        write(tmp_path, rel, "Titre\ncorps")
    ids = [item.id for item in iter_reports(tmp_path)]
    assert ids == ["a/y", "a/z", "b", "sub/dir/name"]
    assert read_all(tmp_path)["reports"]["sub/dir/name"].path == "sub/dir/name.txt"


def test_bom_crlf_and_nfc(tmp_path):
    decomposed = "Re\u0301sume\u0301"
    report = one(tmp_path, b"\xef\xbb\xbf" + f"date: 2023-11-01\r\n{decomposed}\r\n\r\nLigne 1\rLigne 2\r\n".encode())
    assert (report.title, report.text, str(report.date)) == ("Résumé", "Ligne 1\nLigne 2", "2023-11-01")
    assert report.warnings == []


def test_cp1252_is_read_with_a_warning(tmp_path):
    report = one(tmp_path, "Frappes à Damas – “bilan”\nÉté 2023, 5 €".encode("cp1252"))
    assert (report.title, report.text) == ("Frappes à Damas – “bilan”", "Été 2023, 5 €")
    assert report.warnings == ["lu en cp1252"]


def test_utf16_from_windows_notepad(tmp_path):
    assert one(tmp_path, "Alep\r\nLe corps.".encode("utf-16")).title == "Alep"


def test_unusable_files_are_skipped_with_a_reason(tmp_path):
    write(tmp_path, "empty.txt", "")
    write(tmp_path, "blank.md", " \n\t\r\n")
    write(tmp_path, "bom.txt", b"\xef\xbb\xbf\n")
    write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path, "headers.txt", "date: 2023-11\nsource: AFP\n")
    write(tmp_path, "good.txt", "Titre\ncorps")
    found = read_all(tmp_path)
    assert list(found["reports"]) == ["good"]
    assert found["skipped"] == {
        "blank.md": "vide", "bom.txt": "vide", "empty.txt": "vide",
        "headers.txt": "vide : ni titre ni texte", "image.txt": "fichier binaire"}


def test_a_dangling_link_is_skipped_with_the_error(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    [skipped] = iter_reports(tmp_path)
    assert skipped == Skipped("gone.txt", "illisible : No such file or directory")


def test_duplicate_ids_keep_the_first(tmp_path):
    write(tmp_path, "a.md", "Titre md\ncorps")
    write(tmp_path, "a.txt", "Titre txt\ncorps")
    found = read_all(tmp_path)
    assert found["reports"]["a"].path == "a.md"
    assert found["skipped"] == {"a.txt": "identifiant 'a' en double, déjà lu dans a.md"}


# --- JSON Lines -----------------------------------------------------------------------


RECORDS = [
    {"id": "n-1", "title": "Frappes sur Alep", "date": "2020-09-27", "source": "AFP", "lang": "fr",
     "text": "Premier.\n\nSecond."},
    {"id": "n-2", "title": "Revue de presse : Al-Akhbar (mars 2020)", "date": None, "source": None,
     "text": "Corps."},
    {"id": "n-3", "title": "Partiel", "date": "2019-05", "source": "", "text": "Corps."},
    {"id": "n-4", "title": "Mauvaise date", "date": "2019-02-30", "source": "AFP", "text": "Corps."},
]


def jsonl(records, *extra_lines) -> bytes:
    lines = [json.dumps(record, ensure_ascii=False) for record in records] + list(extra_lines)
    return "\n".join(lines).encode("utf-8") + b"\n"


def test_jsonl_records(tmp_path):
    write(tmp_path, "news.jsonl", jsonl(RECORDS))
    reports = read_all(tmp_path)["reports"]
    assert list(reports) == ["n-1", "n-2", "n-3", "n-4"]
    first = reports["n-1"]
    assert (first.title, first.text, str(first.date), first.source, first.path) == (
        "Frappes sur Alep", "Premier.\n\nSecond.", "2020-09-27", "AFP", "news.jsonl#n-1")
    assert first.hash == hashlib.sha1(json.dumps(RECORDS[0], ensure_ascii=False).encode()).hexdigest()
    assert (str(reports["n-2"].date), reports["n-2"].source) == ("2020-03", "Al-Akhbar")
    assert (reports["n-3"].date.precision, reports["n-3"].source) == ("month", None)
    assert reports["n-4"].date is None and reports["n-4"].warnings


def test_bad_jsonl_lines_are_skipped_and_reading_goes_on(tmp_path):
    content = jsonl(RECORDS[:1], "{not json", "", "[1, 2]", '{"id": "x", "title": "t"}',
                    '{"title": "t", "text": "corps"}', '{"id": "n-1", "text": "again"}') + jsonl(RECORDS[1:2])
    write(tmp_path, "sub/news.jsonl", content)
    found = read_all(tmp_path)
    assert list(found["reports"]) == ["n-1", "n-2"]
    assert {path: reason.split(" :")[0] for path, reason in found["skipped"].items()} == {
        "sub/news.jsonl#2": "JSON invalide", "sub/news.jsonl#4": "pas un objet JSON",
        "sub/news.jsonl#5": "texte manquant", "sub/news.jsonl#6": "identifiant manquant",
        "sub/news.jsonl#7": "identifiant 'n-1' en double, déjà lu dans sub/news.jsonl#1"}


def test_jsonl_gz_is_streamed(tmp_path):
    write(tmp_path, "news.jsonl.gz", gzip.compress(jsonl(RECORDS)))
    write(tmp_path, "notes.txt", "Titre\ncorps")
    found = read_all(tmp_path)
    assert list(found["reports"]) == ["n-1", "n-2", "n-3", "n-4", "notes"]
    assert found["reports"]["n-1"].path == "news.jsonl.gz#n-1"


def test_truncated_gz_keeps_what_was_read(tmp_path):
    many = [dict(RECORDS[0], id=f"n-{i}", text=os.urandom(300).hex()) for i in range(1000)]
    whole = gzip.compress(jsonl(many))
    write(tmp_path, "a.jsonl.gz", whole[: len(whole) // 2])
    write(tmp_path, "b.jsonl.gz", b"not gzip at all")
    found = read_all(tmp_path)
    assert 0 < len(found["reports"]) < 1000
    assert set(found["skipped"]) == {"a.jsonl.gz", "b.jsonl.gz"}
    assert found["skipped"]["a.jsonl.gz"].startswith(f"illisible après la ligne {len(found['reports'])} : ")
    assert found["skipped"]["b.jsonl.gz"].startswith("illisible après la ligne 0 : Not a gzipped file")


def test_a_single_file_can_be_read(tmp_path):
    path = write(tmp_path, "x/news.jsonl", jsonl(RECORDS[:2]))
    assert [report.id for report in iter_reports(path)] == ["n-1", "n-2"]
    other = write(tmp_path, "x/table.csv", "a,b")
    assert list(iter_reports(other)) == [Skipped("table.csv", "pas un fichier .txt, .md, .jsonl ou .jsonl.gz")]


def test_a_missing_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        list(iter_reports(tmp_path / "nowhere"))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_file_gives_one_report_or_one_skip(content):
    with tempfile.TemporaryDirectory() as folder:
        write(Path(folder), "r.txt", content)
        [item] = iter_reports(Path(folder))
    assert isinstance(item, (Report, Skipped))


@pytest.mark.skipif(not CORPUS.exists(), reason="the shared corpus is not here")
def test_the_real_corpus_is_streamed_whole():
    count = 0
    for count, report in enumerate(iter_reports(CORPUS), 1):  # one at a time: 83 MB of text
        assert isinstance(report, Report), report
        assert report.date.precision == "day" and report.source and not report.warnings
    assert count == 34133


def test_pipes_and_devices_are_skipped_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    found = read_all(tmp_path, follow_links=True)  # not followed otherwise: a link out of the folder
    assert found["skipped"] == {"pipe.txt": "pas un fichier ordinaire", "zero.txt": "pas un fichier ordinaire"}
