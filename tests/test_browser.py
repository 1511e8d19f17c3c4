"""The page in a real browser: Debian's chromium and chromium-driver, headless, driven by selenium,
against ``python server.py`` on 127.0.0.1 over an index of real news on Syria (tests/press_sample.py).

One server and one browser for the module; each test starts from a URL and asserts what a user sees.
"""
from __future__ import annotations

import csv
import json
import shutil
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from search import indexing

from .conftest import serving
from .press_sample import CORPUS, press_folder

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)")

from selenium import webdriver  # noqa: E402  (installed with requirements-test.txt; only the browser may be missing)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WIDE, PHONE = (1366, 900), (390, 844)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    assert CORPUS.exists(), f"the browser tests read real news from {CORPUS}"
    root = tmp_path_factory.mktemp("browser")
    reports = press_folder(root / "reports")
    indexing.rebuild(reports, root / "index", procs=1)
    with serving(root / "index", reports) as url:
        yield url


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
    return browser


@pytest.fixture
def phone(browser):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True})
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def shown(driver, css: str) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, css)]


def total(driver) -> str:
    return driver.find_element(By.CSS_SELECTOR, ".total").text


def click_link(driver, text: str, within: str = "body") -> None:
    old = driver.current_url
    driver.find_element(By.CSS_SELECTOR, within).find_element(By.PARTIAL_LINK_TEXT, text).click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url != old)


def api(base: str, query: str) -> dict:
    with urllib.request.urlopen(f"{base}/api/search?{query}", timeout=15) as r:
        return json.load(r)


def test_search_sort_page_open_a_report_and_come_back(base, wide):
    wide.get(base + "/")
    box = wide.find_element(By.NAME, "q")
    box.send_keys("Syrie", Keys.ENTER)
    WebDriverWait(wide, 10).until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, ".total"), "pour « Syrie »"))
    assert total(wide).startswith("57 rapports pour « Syrie » · par pertinence · page 1 sur 6")
    click_link(wide, "plus récents d’abord", ".filters")
    click_link(wide, "2", ".pages")
    assert "les plus récents d’abord · page 2 sur 6" in total(wide)
    results_url = wide.current_url
    titles = shown(wide, ".hit h2 a")
    dates = [api(base, "q=Syrie&sort=date&page=2")["hits"][i]["title"] for i in range(10)]
    assert titles == dates  # the page shows the API's order
    wide.find_elements(By.CSS_SELECTOR, ".hit h2 a")[2].click()
    assert wide.find_element(By.TAG_NAME, "h1").text == titles[2]
    assert "rapport 13 sur 57" in wide.find_element(By.CSS_SELECTOR, ".back").text
    click_link(wide, "suivant :")
    assert wide.find_element(By.TAG_NAME, "h1").text == titles[3]
    click_link(wide, "← résultats pour « Syrie »")
    assert wide.current_url == results_url + "#rang-14"
    assert "les plus récents d’abord · page 2 sur 6" in total(wide) and shown(wide, ".hit h2 a") == titles


def test_two_sources_and_a_month_then_a_report_and_back(base, wide):
    wide.get(base + "/?q=Syrie")
    sources = wide.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=h-sources] ul.values a")
    first, second = [s.text.lstrip("☐ ") for s in sources[:2]]
    click_link(wide, first, "section[aria-labelledby=h-sources]")
    click_link(wide, second, "section[aria-labelledby=h-sources]")
    chips = shown(wide, ".chip")
    assert chips == [f"source : {first} ✕", f"source : {second} ✕"]
    assert set(shown(wide, ".hit .source")) == {first, second}
    month = wide.find_element(By.CSS_SELECTOR, "section[aria-labelledby=h-dates] ul.values a")
    label = month.text
    click_link(wide, label, "section[aria-labelledby=h-dates] ul.values")
    assert all(label in d for d in shown(wide, ".hit .date")) and shown(wide, ".hit .date")
    assert len(shown(wide, ".chip")) == 3
    filtered = wide.current_url
    wide.find_element(By.CSS_SELECTOR, ".hit h2 a").click()
    click_link(wide, "← résultats pour")
    assert wide.current_url.split("#")[0] == filtered and len(shown(wide, ".chip")) == 3
    click_link(wide, "tout effacer")
    assert shown(wide, ".chip") == [] and total(wide).startswith("57 rapports")


def test_every_source_is_reachable_from_the_page(base, wide):
    wide.get(base + "/?q=Syrie")
    click_link(wide, "autres sources…")
    every = shown(wide, ".facet.all ul.values a")
    assert len(every) == len(api(base, "q=Syrie")["facets"]["source"]) > 12
    last = every[-1].lstrip("☐ ")
    click_link(wide, last, ".facet.all")
    assert shown(wide, ".chip") == [f"source : {last} ✕"] and set(shown(wide, ".hit .source")) == {last}


def test_a_date_bar_narrows_the_dates(base, wide):
    wide.get(base + "/?q=Syrie")
    bar = wide.find_elements(By.CSS_SELECTOR, ".histogram a.bar")[0]
    label, count = bar.get_attribute("title").split(" : ")
    bar.click()
    WebDriverWait(wide, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".chip")))
    assert total(wide).startswith(count + " pour « Syrie »") and all(label in d for d in shown(wide, ".hit .date"))


def test_export_csv_holds_what_the_api_finds(base, wide, downloads):
    wide.get(base + "/?q=Syrie&from=2016&to=2017&sort=date")
    wide.find_element(By.LINK_TEXT, "CSV").click()
    target = downloads / "syrie_2016_2017.csv"  # named for the search
    deadline = time.monotonic() + 15
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    expected, page = [], 1
    while True:
        body = api(base, f"q=Syrie&from=2016&to=2017&sort=date&per_page=10&page={page}")
        expected += body["hits"]
        if page * 10 >= body["total"]:
            break
        page += 1
    assert len(rows) == body["total"] > 10  # every page, not the one shown
    assert [(r["id"], r["title"], r["date"], r["source"]) for r in rows] == \
        [(h["id"], h["title"], h["date"], h["source"]) for h in expected]


def test_an_exclusion_alone(base, wide):
    wide.get(base + "/?" + urllib.parse.urlencode({"q": "-Syrie"}))
    assert total(wide).startswith("6 rapports pour « -Syrie »")
    assert "exclusion ignorée" not in wide.page_source


def test_phone_width_no_horizontal_scroll_and_a_result_above_the_fold(base, phone):
    phone.get(base + "/?q=Syrie&source=Orange+avec+AFP&source=Euronews")
    width = phone.execute_script("return document.documentElement.scrollWidth")
    assert phone.execute_script("return window.innerWidth") == PHONE[0] and width <= PHONE[0]
    button = phone.find_element(By.CSS_SELECTOR, "form.search button")
    box = phone.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right];", button)
    assert 0 <= box[0] and box[1] <= PHONE[0] and button.text == "Rechercher"
    assert phone.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth", button)
    first = phone.find_element(By.CSS_SELECTOR, ".hit h2 a")
    assert phone.execute_script("return arguments[0].getBoundingClientRect().bottom", first) < PHONE[1]
    phone.get(base + "/reports/" + api(base, "q=Syrie")["hits"][0]["id"] + "?q=Syrie")
    assert phone.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]


def test_keyboard_path(base, wide):
    wide.get(base + "/?q=Syrie")
    page = wide.find_element(By.TAG_NAME, "body")
    titles = shown(wide, ".hit h2 a")
    page.send_keys("j")
    assert wide.switch_to.active_element.text == titles[0]
    wide.switch_to.active_element.send_keys("j")
    wide.switch_to.active_element.send_keys("j")
    wide.switch_to.active_element.send_keys("k")
    assert wide.switch_to.active_element.text == titles[1]
    wide.switch_to.active_element.send_keys("/")
    assert wide.switch_to.active_element.get_attribute("name") == "q"
    wide.switch_to.active_element.send_keys(Keys.ESCAPE)
    page.send_keys("j")
    assert wide.switch_to.active_element.text == titles[0]
    wide.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(wide, 10).until(EC.url_contains("/reports/"))
    assert wide.find_element(By.TAG_NAME, "h1").text == titles[0]


def test_few_tab_stops_before_the_first_result(base, wide):
    wide.get(base + "/?q=Syrie&source=Euronews")
    first = wide.find_element(By.CSS_SELECTOR, ".hit h2 a")
    wide.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    assert wide.switch_to.active_element.text == "Aller aux résultats"
    for stops in range(1, 10):
        if wide.switch_to.active_element == first:
            break
        wide.switch_to.active_element.send_keys(Keys.TAB)
    assert wide.switch_to.active_element == first and stops <= 6


ORDER_OF = """
const [selector, word] = arguments;
const holder = document.querySelector(selector);
const walker = document.createTreeWalker(holder, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const at = node.data.indexOf(word);
  if (at < 0) continue;
  return [...word].map((_, i) => {
    const range = document.createRange();
    range.setStart(node, at + i);
    range.setEnd(node, at + i + 1);
    return range.getBoundingClientRect().left;
  });
}
return null;
"""


def test_a_right_to_left_override_in_a_query_stays_inside_it(base, wide):
    """Typed (or pasted in a link) at the end of a query, U+202E would reverse the rest of the line it is echoed in."""
    wide.get(base + "/?" + urllib.parse.urlencode({"q": "Syrie\u202e"}))
    lefts = wide.execute_script(ORDER_OF, ".total", "par pertinence")
    assert lefts and lefts == sorted(lefts), lefts  # drawn left to right, letter after letter
    assert total(wide).startswith("57 rapports pour « Syrie")
