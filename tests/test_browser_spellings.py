"""The spellings box in a real browser (Debian's chromium, headless, selenium), over real news
(tests/names_sample.py) served by ``python server.py``: one list per name, controls named for
their spelling in the accessibility tree, chips at the top for the analyst's choices, and the
box one tap away on a phone."""
from __future__ import annotations

import shutil
import urllib.parse

import pytest

from search import indexing

from .conftest import serving
from .names_sample import CORPUS, names_folder

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

PHONE = (390, 844)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    assert CORPUS.exists(), f"the browser tests read real news from {CORPUS}"
    root = tmp_path_factory.mktemp("browser-names")
    reports = names_folder(root / "reports")
    indexing.rebuild(reports, root / "index", procs=1)
    with serving(root / "index", reports) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1366,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(CHROMEDRIVER))
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


def page(driver, base: str, **params) -> None:
    driver.get(base + "/?" + urllib.parse.urlencode(params, doseq=True))


def accessible(driver, role: str) -> list[str]:
    """The names the accessibility tree gives the page's nodes of a role (checkbox, link...)."""
    tree = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
    return [n.get("name", {}).get("value", "") for n in tree
            if n.get("role", {}).get("value") == role and not n.get("ignored")]


def in_box(driver, css: str):
    return driver.find_element(By.ID, "graphies").find_elements(By.CSS_SELECTOR, css)


def click(driver, element) -> None:
    old = driver.current_url
    element.click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url != old)


def query(driver) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(driver.current_url).query)


def test_one_list_per_name_and_every_control_named_for_its_spelling(base, browser):
    page(browser, base, q="Alep Mossoul")
    assert [e.text for e in in_box(browser, "legend")] == ["« Alep »", "« Mossoul »"]
    boxes = accessible(browser, "checkbox")
    assert "retirer Alep" in boxes and "retirer Mossoul" in boxes and "ajouter Moselle" in boxes
    assert not {"retirer", "ajouter"} & set(boxes)
    links = accessible(browser, "link")
    assert "retirer Alep" in links and "ajouter Moselle" in links and not {"✕", "+"} & set(links)


def test_a_spelling_dropped_is_a_chip_that_restores_it(base, browser):
    page(browser, base, q="Daech")
    click(browser, next(a for a in in_box(browser, "a.toggle") if a.get_attribute("aria-label") == "retirer Daesh"))
    assert query(browser)["sans"] == ["Daesh"]
    chip = browser.find_element(By.CSS_SELECTOR, ".spellings .chip")
    assert chip.text.startswith("sans Daesh") and chip.get_attribute("aria-label") == "rétablir la graphie Daesh"
    dropped = next(b for b in in_box(browser, "input[type=checkbox]") if b.get_attribute("value") == "Daesh")
    assert dropped.is_selected() and dropped.get_attribute("name") == "sans"
    click(browser, chip)
    assert "sans" not in query(browser) and query(browser)["q"] == ["Daech"]


def test_the_boxes_apply_choices_and_undo_them(base, browser):
    page(browser, base, q="Alep")
    add = next(b for b in in_box(browser, "input[name=avec]") if b.get_attribute("value") == "Elabe")
    add.click()
    click(browser, browser.find_element(By.CSS_SELECTOR, "#graphies button"))
    assert query(browser).get("avec") == ["Elabe"] and "sans" not in query(browser)
    assert browser.find_element(By.CSS_SELECTOR, ".spellings .chip").text.startswith("avec Elabe")
    added = next(b for b in in_box(browser, "input[type=checkbox]") if b.get_attribute("value") == "Elabe")
    assert added.is_selected()
    added.click()  # untick: the analyst takes it back
    click(browser, browser.find_element(By.CSS_SELECTOR, "#graphies button"))
    assert "avec" not in query(browser) and "sans" not in query(browser)


def test_on_a_phone_the_spellings_are_one_tap_away(base, browser):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True})
    try:
        page(browser, base, q="Alep")
        link = browser.find_element(By.CSS_SELECTOR, ".to-variants a[href='#graphies']")
        assert browser.execute_script("return arguments[0].getBoundingClientRect().bottom", link) < PHONE[1]
        link.click()
        top = browser.execute_script("return document.getElementById('graphies').getBoundingClientRect().top")
        assert 0 <= top < PHONE[1] / 2
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
