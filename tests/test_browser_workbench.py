"""The workbench in a real browser (Debian's chromium, headless, driven by selenium) against
``python server.py`` over real news on Syria: saved searches that see an update, history, relative
dates, names as you type (with and without JavaScript), the table view, a bad date, the phone
width, the accessibility tree, dark mode, the report page's keys, the export for Excel.
"""
from __future__ import annotations

import time
import urllib.parse
from pathlib import Path

import pytest

from search import indexing

from .conftest import serving, write_reports
from .press_sample import CORPUS, press_folder
from .test_browser import CHROMIUM, CHROMEDRIVER, PHONE, api, click_link, shown, total  # noqa: F401

pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WIDE = (1366, 900)
BAD_NAMES = {"", "lien", "✕", "+", "retirer", "ajouter", "›", "‹"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The server, and the reports folder and index it serves (a test may add reports and update)."""
    assert CORPUS.exists(), f"the browser tests read real news from {CORPUS}"
    root = tmp_path_factory.mktemp("workbench-browser")
    reports = press_folder(root / "reports")
    indexing.rebuild(reports, root / "index", procs=1)
    with serving(root / "index", reports) as url:
        yield url, reports, root / "index"


@pytest.fixture(scope="module")
def base(site):
    return site[0]


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={WIDE[0]},{WIDE[1]}"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(CHROMEDRIVER))
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


@pytest.fixture
def wide(browser):
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    return browser


@pytest.fixture
def phone(browser):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True})
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def wait_text(driver, css: str, wanted: str, seconds: float = 10) -> None:
    WebDriverWait(driver, seconds).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), wanted))


def search_for(driver, base: str, query: str) -> None:
    driver.get(base + "/")
    box = driver.find_element(By.NAME, "q")
    box.send_keys(query, Keys.ENTER)
    wait_text(driver, ".total", f"pour « {query} »")


def test_history_runs_a_search_again_and_clears(base, wide):
    search_for(wide, base, "Syrie")
    search_for(wide, base, "Alep")
    wide.get(base + "/")  # the front page offers the last searches
    assert shown(wide, ".history-short li a")[:2] == ["« Alep »", "« Syrie »"]
    click_link(wide, "Historique", "nav.tabs")
    assert shown(wide, "ol.history li a")[:2] == ["« Alep »", "« Syrie »"]
    click_link(wide, "« Syrie »", "ol.history")
    assert total(wide).startswith("57 rapports pour « Syrie »")
    wide.get(base + "/historique")
    wide.find_element(By.XPATH, "//button[text()='Effacer l’historique']").click()
    wait_text(wide, "main", "Aucune recherche dans l’historique")


def test_relative_dates_are_links(base, wide):
    wide.get(base + "/?q=Syrie")
    rows = wide.find_elements(By.CSS_SELECTOR, ".relative")
    assert "6 mai 2020, date du rapport le plus récent" in rows[0].text and "aujourd’hui" in rows[1].text
    rows[0].find_element(By.LINK_TEXT, "30 derniers jours").click()
    wait_text(wide, ".active", "dates : du 7 avril 2020 au 6 mai 2020")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(wide.current_url).query)
    assert (query["from"], query["to"]) == (["2020-04-07"], ["2020-05-06"])
    dates = shown(wide, ".hit .date")
    assert dates and all(d.endswith("2020") and ("avril" in d or "mai" in d) for d in dates)
    assert wide.find_element(By.CSS_SELECTOR, ".relative strong[aria-current]").text == "30 derniers jours"


def test_names_as_you_type_with_their_counts(base, wide):
    wide.get(base + "/")
    box = wide.find_element(By.NAME, "q")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "false"
    box.send_keys("frappes ale")
    options = WebDriverWait(wide, 10).until(
        EC.visibility_of_all_elements_located((By.CSS_SELECTOR, "#suggestions [role=option]")))
    first = options[0].text.splitlines()
    assert first[0] == "Alep" and first[1].endswith("rapports") and box.get_attribute("aria-expanded") == "true"
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == "suggestion-0"
    assert options[0].get_attribute("aria-selected") == "true"
    box.send_keys(Keys.ENTER)  # takes the name, does not submit yet
    assert box.get_attribute("value") == "frappes Alep" and not wide.find_element(By.ID, "suggestions").is_displayed()
    box.send_keys(Keys.ENTER)
    wait_text(wide, ".total", "pour « frappes Alep »")


def test_without_javascript_the_box_is_a_plain_search_box(base, wide):
    wide.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        wide.get(base + "/")
        box = wide.find_element(By.NAME, "q")
        box.send_keys("Ale")
        time.sleep(0.5)  # what a script would have had the time to do
        assert box.get_attribute("role") is None and not wide.find_elements(By.ID, "suggestions")
        box.send_keys("p", Keys.ENTER)
        wait_text(wide, ".total", "pour « Alep »")
    finally:
        wide.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_the_table_view_its_columns_and_per_page(base, wide):
    wide.get(base + "/?q=Syrie")
    click_link(wide, "tableau", ".display")
    heads = shown(wide, ".hits-table thead th")
    assert heads == ["N°", "Titre", "Date", "Source", "Graphies trouvées"]
    assert len(wide.find_elements(By.CSS_SELECTOR, ".hits-table tbody tr")) == 10
    form = wide.find_element(By.CSS_SELECTOR, "form.columns")
    form.find_element(By.CSS_SELECTOR, "input[value=source]").click()
    form.find_element(By.CSS_SELECTOR, "input[value=score]").click()
    form.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(wide, 10).until(lambda d: "col=score" in d.current_url)
    assert shown(wide, ".hits-table thead th") == ["N°", "Titre", "Date", "Graphies trouvées", "Score"]
    click_link(wide, "25", ".display")
    assert len(wide.find_elements(By.CSS_SELECTOR, ".hits-table tbody tr")) == 25
    assert "page 1 sur 3" in total(wide)
    titles = shown(wide, ".hits-table th[scope=row] a")
    assert titles == [h["title"] for h in api(base, "q=Syrie&per_page=25")["hits"]]
    wide.find_element(By.TAG_NAME, "body").send_keys("j")  # the results' keys work in the table too
    assert wide.switch_to.active_element.text == titles[0]


def test_a_bad_date_keeps_the_page_and_says_which_box(base, wide):
    wide.get(base + "/?q=Syrie&source=Euronews")
    before = shown(wide, ".hit h2 a")
    box = wide.find_element(By.ID, "date-from")
    box.send_keys("32 juillet 2016", Keys.ENTER)
    WebDriverWait(wide, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#erreurs")))
    assert "Date « du »" in wide.find_element(By.ID, "erreurs").text
    assert shown(wide, ".hit h2 a") == before and shown(wide, ".active .chip") == ["source : Euronews ✕"]
    box = wide.find_element(By.ID, "date-from")
    assert box.get_attribute("aria-invalid") == "true" and box.get_attribute("value") == "32 juillet 2016"
    box.clear()
    box.send_keys("juillet 2016", Keys.ENTER)
    wait_text(wide, ".active", "dates : depuis juillet 2016")
    assert "from=2016-07" in wide.current_url and not wide.find_elements(By.ID, "erreurs")
    assert wide.find_element(By.ID, "date-from").get_attribute("value") == "juillet 2016"


def test_phone_the_spellings_in_one_tap_and_big_match_links(base, phone):
    phone.get(base + "/?q=Alep")
    link = phone.find_element(By.CSS_SELECTOR, ".to-variants a")
    assert phone.execute_script("return arguments[0].getBoundingClientRect().bottom", link) < PHONE[1]  # seen at once
    height = phone.execute_script("return arguments[0].getBoundingClientRect().height", link)
    assert height >= 44
    link.click()
    WebDriverWait(phone, 10).until(lambda d: d.current_url.endswith("#graphies"))
    box = phone.find_element(By.ID, "graphies")
    top = phone.execute_script("return arguments[0].getBoundingClientRect().top", box)
    assert -1 <= top < PHONE[1] / 2 and "Graphies trouvées" in box.text  # scrolled to it (sub-pixel rounding)
    report = api(base, "q=Syrie")["hits"][0]["id"]  # a report with several matches
    phone.get(f"{base}/reports/{urllib.parse.quote(report)}?q=Syrie")
    jumps = phone.find_elements(By.CSS_SELECTOR, "a.jump")
    assert jumps
    for jump in jumps[:4]:
        w, h = phone.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.width, r.height];", jump)
        assert w >= 44 and h >= 44, (w, h)
    assert phone.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]


def test_the_spellings_link_is_for_narrow_screens(base, wide):
    wide.get(base + "/?q=Alep")
    assert not wide.find_element(By.CSS_SELECTOR, ".to-variants a").is_displayed()
    box = wide.find_element(By.ID, "graphies")
    assert wide.execute_script("return arguments[0].getBoundingClientRect().top", box) < WIDE[1]  # top of the filters


def ax_names(driver, roles=("link", "button", "checkbox", "textbox", "combobox", "searchbox")) -> list[tuple[str, str]]:
    """(role, accessible name) of each control, from Chromium's accessibility tree, leaving out the
    spellings' box (issue 19's: _variants.html)."""
    tree = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
    by_id = {n["nodeId"]: n for n in tree}
    skipped: set[str] = set()
    for node in tree:
        if node.get("name", {}).get("value") == "Graphies du nom":
            stack = [node["nodeId"]]
            while stack:
                current = stack.pop()
                skipped.add(current)
                stack += by_id[current].get("childIds", [])
    out = []
    for node in tree:
        role = node.get("role", {}).get("value")
        if role in roles and not node.get("ignored") and node["nodeId"] not in skipped:
            out.append((role, node.get("name", {}).get("value", "")))
    return out


@pytest.mark.parametrize("path", ["/?q=Syrie&source=Euronews&from=2016&to=2017&sans=Syria",
                                  "/?q=Syrie&vue=tableau", "/recherches", "/historique", "/api"])
def test_every_control_has_a_name_in_the_accessibility_tree(base, wide, path):
    wide.get(base + path)
    names = ax_names(wide)
    assert names and not [n for n in names if n[1].strip() in BAD_NAMES], names
    if path.startswith("/?q=Syrie&source"):
        assert ("link", "retirer le filtre source : Euronews") in names
        assert ("link", "rétablir la graphie Syria") in names
        assert any(role == "link" and name.startswith("lien permanent : ") for role, name in names)
        assert ("textbox", "du") in names and ("textbox", "au") in names


def test_the_report_names_its_match_links_and_moves_by_keys(base, wide):
    results = base + "/?q=Syrie"
    wide.get(results)
    wide.find_element(By.CSS_SELECTOR, ".hit h2 a").click()
    WebDriverWait(wide, 10).until(EC.url_contains("/reports/"))
    names = ax_names(wide, ("link",))
    assert ("link", "occurrence suivante") in names
    page = wide.find_element(By.TAG_NAME, "body")
    page.send_keys("j")
    WebDriverWait(wide, 5).until(lambda d: d.current_url.endswith("#m1"))
    page.send_keys("j")
    WebDriverWait(wide, 5).until(lambda d: d.current_url.endswith("#m2"))
    page.send_keys("k")
    WebDriverWait(wide, 5).until(lambda d: d.current_url.endswith("#m1"))
    page.send_keys("u")
    WebDriverWait(wide, 10).until(lambda d: "/reports/" not in d.current_url)
    assert wide.current_url.startswith(results + "#rang-1")


def test_dark_mode_follows_the_system(base, wide):
    def background():
        return wide.execute_script("return getComputedStyle(document.body).backgroundColor")

    wide.get(base + "/?q=Syrie")
    wide.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    try:
        dark = background()
        mark = wide.execute_script("return getComputedStyle(document.querySelector('mark')).color")
    finally:
        wide.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme",
                                                                           "value": "light"}]})
    light = background()
    assert dark == "rgb(21, 24, 29)" and light == "rgb(250, 250, 250)" and mark == "rgb(255, 255, 255)"


def test_the_export_for_excel_is_named_for_the_search(base, wide, downloads):
    wide.get(base + "/?q=Syrie&from=2016&to=2017&sort=date")
    wide.find_element(By.LINK_TEXT, "CSV pour Excel").click()
    target = downloads / "syrie_2016_2017.csv"
    deadline = time.monotonic() + 15
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    raw = target.read_bytes()
    assert raw.startswith("\ufeffid;title;date;".encode("utf-8"))
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].endswith(";permalink") and lines[1].split(";")[-1].startswith(base + "/reports/")


def test_a_saved_search_sees_an_update_and_opens_with_the_new_report_first(site, wide):
    base, reports, index = site
    wide.get(base + "/?q=Idleb")
    count = total(wide)
    name = wide.find_element(By.CSS_SELECTOR, "form.save input[name=nom]")
    assert name.get_attribute("value") == "Idleb"
    name.clear()
    name.send_keys("Idleb, veille")
    wide.find_element(By.CSS_SELECTOR, "form.save button").click()
    WebDriverWait(wide, 10).until(EC.url_contains("/recherches"))
    entry = wide.find_element(By.CSS_SELECTOR, ".saved-list li")
    assert entry.find_element(By.TAG_NAME, "h2").text == "Idleb, veille\nrien de nouveau" or \
        "rien de nouveau" in entry.text
    write_reports(reports, {"notes/idleb-nouveau.txt": "source: Notes\ndate: 2020-05-07\nIdleb sous les frappes\n\n"
                                                       "Nouvelles frappes sur Idleb ce matin."})
    indexing.update(reports, index)
    deadline = time.monotonic() + 15
    while True:
        wide.get(base + "/recherches")
        if "1 nouveau rapport" in wide.find_element(By.CSS_SELECTOR, ".saved-list").text:
            break
        assert time.monotonic() < deadline, "the server never saw the update"
        time.sleep(0.5)
    assert wide.find_element(By.CSS_SELECTOR, ".saved-list .new-count").text == "1 nouveau rapport"
    click_link(wide, "Idleb, veille", ".saved-list")
    assert "1 nouveau rapport" in wide.find_element(By.CSS_SELECTOR, ".saved-banner").text
    fresh = wide.find_elements(By.CSS_SELECTOR, ".fresh-hits li")
    assert len(fresh) == 1 and "Idleb sous les frappes" in fresh[0].text and "nouveau" in fresh[0].text
    marked = wide.find_elements(By.CSS_SELECTOR, "ol.hits li.hit.fresh:not(.fresh-hits li)")
    assert any("Idleb sous les frappes" in m.text for m in marked)
    assert int(total(wide).split()[0]) == int(count.split()[0]) + 1
    wide.get(base + "/recherches")
    assert "rien de nouveau" in wide.find_element(By.CSS_SELECTOR, ".saved-list").text
