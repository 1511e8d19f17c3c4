"""The search page's workbench parts through the real app: dates typed in French (and a bad one
that keeps the page), the spellings chosen shown at the top, relative dates, the table view and
the per-page choice, names that say what each control does."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from .conftest import built, make_client
from .test_page import REPORTS, links, text


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = built(tmp_path_factory.mktemp("workbench-page"), REPORTS)
    with make_client(root / "index") as c:
        yield c


@pytest.mark.parametrize("typed, iso", [("juillet 2023", "2023-07"), ("15/07/2023", "2023-07-15"),
                                        ("1er juil. 2023", "2023-07-01"), ("Juillet 2023", "2023-07"),
                                        (" 2023 ", "2023"), ("07/2023", "2023-07")])
def test_french_dates_are_read_and_kept_in_one_form(client, typed, iso):
    r = client.get("/", params={"q": "Alep", "from": typed}, follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == f"/?q=Alep&from={iso}"
    assert client.get(r.headers["location"], follow_redirects=False).status_code == 200


def test_a_bad_date_keeps_the_results_and_filters_and_names_its_box(client):
    good = client.get("/", params={"q": "Alep", "source": "Source A", "to": "2023-12"})
    r = client.get("/", params={"q": "Alep", "source": "Source A", "from": "32 juillet 2023", "to": "2023-12"})
    assert r.status_code == 400
    page = text(r.text)
    assert "Paramètre invalide — Date « du » : « 32 juillet 2023 » n’est pas une date lisible" in page.replace("'", "’")
    # the same results and filters as without the bad box
    assert re.findall(r'<li class="hit', r.text) == re.findall(r'<li class="hit', good.text) != []
    assert "source : Source A" in page and "dates : jusqu’à décembre 2023" in page
    box = re.search(r'<input id="date-from"[^>]*>', r.text).group(0)
    assert 'value="32 juillet 2023"' in box and 'aria-invalid="true"' in box  # the typed text, shown back to fix
    assert 'aria-describedby="date-aide date-erreur-from"' in box
    assert re.search(r'<span class="field-error" id="date-erreur-from">', r.text)
    assert 'aria-invalid' not in re.search(r'<input id="date-to"[^>]*>', r.text).group(0)


def test_a_month_without_its_year_says_so(client):
    r = client.get("/", params={"q": "Alep", "to": "juillet"})
    assert r.status_code == 400 and "Date « au » : « juillet » : précisez l’année" in text(r.text).replace("'", "’")


def test_a_range_the_wrong_way_round_names_the_du_box(client):
    r = client.get("/", params={"q": "Alep", "from": "2024", "to": "2023"})
    assert r.status_code == 400 and "Date « du » : la date de début (2024) est après la date de fin (2023)" in text(r.text)


def test_dates_read_in_one_french_form_everywhere(client):
    page = client.get("/", params={"q": "Alep", "from": "2023-03", "to": "2023-06-15"}).text
    assert "dates : de mars 2023 au 15 juin 2023" in text(page)  # the chip
    assert 'value="mars 2023"' in page and 'value="15 juin 2023"' in page  # the boxes
    assert "2023-03" not in text(page).replace("2023-03-", "")  # no ISO date shown (links carry it)


def test_other_bad_parameters_keep_the_page_too(client):
    r = client.get("/", params={"q": "Alep", "page": "x", "sort": "n'importe"})
    assert r.status_code == 400 and "Page :" in text(r.text) and "Tri :" in text(r.text)
    assert re.findall(r'<li class="hit', r.text)
    unknown = client.get("/", params={"q": "Alep", "utm_source": "lettre"})
    assert unknown.status_code == 400 and "Paramètre inconnu « utm_source »" in text(unknown.text)


def test_spellings_chosen_show_at_the_top_and_clear_in_one_click(client):
    page = client.get("/", params={"q": "Alep", "sans": "Halab", "avec": "Haleb"}).text
    chips = re.search(r'<p class="active steered spellings">.*?</p>', page, re.S).group(0)
    assert 'aria-label="rétablir la graphie Halab"' in chips and 'aria-label="ne plus chercher la graphie Haleb"' in chips
    assert links(chips) == {"sans Halab ✕": "/?q=Alep&avec=Haleb", "avec Haleb ✕": "/?q=Alep&sans=Halab",
                            "tout rétablir": "/?q=Alep"}


def test_relative_dates_from_the_newest_report_and_from_today(client):
    page = client.get("/", params={"q": "Alep"}).text
    newest = max(date(2023, n % 12 + 1, n % 27 + 1) for n in range(40))  # the sample's dates (test_page.REPORTS)
    found = links(page)  # each label twice: the second row's (from today) is kept
    today = date.today()
    assert found["7 derniers jours"] == f"/?q=Alep&from={(today - timedelta(days=6)).isoformat()}&to={today.isoformat()}"
    rows = re.findall(r'<p class="relative">(.*?)</p>', page, re.S)
    assert len(rows) == 2 and "date du rapport le plus récent" in rows[0] and "aujourd’hui" in rows[1]
    assert f"jusqu’au {newest.day} décembre 2023, date du rapport le plus récent" in text(rows[0])
    first_row = links(rows[0])
    week = newest - timedelta(days=6)
    assert first_row["7 derniers jours"] == f"/?q=Alep&from={week.isoformat()}&to={newest.isoformat()}"
    assert first_row["cette année"] == f"/?q=Alep&from=2023-01-01&to={newest.isoformat()}"
    chosen = client.get(first_row["30 derniers jours"]).text
    assert '<strong aria-current="true">30 derniers jours</strong>' in chosen


def test_the_table_view_with_columns_to_choose_and_per_page(client):
    page = client.get("/", params={"q": "Alep", "vue": "tableau", "col": ["date", "graphies", "score"],
                                   "per_page": "25"}).text
    table = re.search(r'<table class="hits-table">.*?</table>', page, re.S).group(0)
    assert re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', table) == ["N°", "Titre", "Date", "Graphies trouvées", "Score"]
    assert len(re.findall(r'<tr id="rang-', table)) == 25
    assert "<td class=\"matched\"><bdi>Alep</bdi></td>" in table  # a spelling is isolated (issue 16)
    form = re.search(r'<form class="columns".*?</form>', page, re.S).group(0)
    assert re.findall(r'value="(\w+)" checked', form) == ["date", "graphies", "score"]
    assert '<input type="hidden" name="per_page" value="25">' in form
    shown = links(page)
    assert shown["liste"] == "/?q=Alep&per_page=25&col=date&col=graphies&col=score"
    assert '<strong aria-current="true">25</strong>' in page and shown["50"].endswith("per_page=50&vue=tableau&col=date"
                                                                                       "&col=graphies&col=score")
    hit = re.search(r'<tr id="rang-1">.*?</tr>', table, re.S).group(0)
    assert re.search(r'href="/reports/[^"]*vue=tableau', hit)  # the report's way back is the table


def test_every_link_and_control_says_what_it_does(client):
    page = client.get("/", params={"q": "Alep", "source": "Source A", "from": "2023-01", "to": "2023-01"}).text
    # The spellings' box ("Graphies trouvées", _variants.html) is issue 19's, its names with it.
    page = re.sub(r'<section class="variants".*?</section>', "", page, flags=re.S)
    names = [html_name(a) for a in re.findall(r"<a [^>]*>.*?</a>", page, re.S)]
    assert not [n for n in names if n in ("lien", "✕", "+", "", "retirer", "ajouter")], names
    assert "lien permanent : Frappes près d’Alep, rapport" in " ".join(names)


def html_name(anchor: str) -> str:
    label = re.search(r'aria-label="([^"]*)"', anchor)
    return label.group(1) if label else text(anchor)
