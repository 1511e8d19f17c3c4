"""Screenshots of the page for the README (docs/*.png): the search page, a report, the phone view,
the table view, names as you type, the saved searches with something new, the page in dark mode.

    .venv/bin/python tools/screenshots.py [--out docs] [--size 400]

Builds an index of real news on Syria from the shared corpus in a temporary folder, serves it
with ``python server.py`` on a free port and photographs it in headless Chromium (Debian's
chromium and chromium-driver). For the saved searches, it saves one, adds a report, runs an
update and waits for the server to see it.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from search import indexing  # noqa: E402
from tests.conftest import serving, write_reports  # noqa: E402
from tests.press_sample import press_folder  # noqa: E402

SHOTS = ("page.png", "report.png", "phone.png", "table.png", "suggest.png", "saved.png", "dark.png")


def browser(width: int, height: int) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--window-size={width},{height}"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(options=options, service=webdriver.ChromeService("/usr/bin/chromedriver"))


def wide_shots(base: str, out: Path, reports: Path, index: Path) -> None:
    wide = browser(1366, 1000)
    try:
        wide.get(base + "/?q=Alep&sort=date")
        wide.save_screenshot(str(out / "page.png"))
        wide.find_element(By.CSS_SELECTOR, ".hit h2 a").click()
        wide.save_screenshot(str(out / "report.png"))
        wide.get(base + "/?q=Syrie&vue=tableau&per_page=25&col=date&col=source&col=graphies&col=score")
        wide.save_screenshot(str(out / "table.png"))
        wide.get(base + "/")
        wide.find_element(By.NAME, "q").send_keys("frappes sur Da")
        WebDriverWait(wide, 10).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#suggestions li")))
        wide.save_screenshot(str(out / "suggest.png"))
        saved_shot(wide, base, out, reports, index)
        wide.execute_cdp_cmd("Emulation.setEmulatedMedia",
                             {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        wide.get(base + "/?q=Alep&sort=date")
        wide.save_screenshot(str(out / "dark.png"))
    finally:
        wide.quit()


def saved_shot(wide, base: str, out: Path, reports: Path, index: Path) -> None:
    """Two saved searches, then an update that brings one of them a report."""
    for query, name in (("Idleb", "Idleb, la veille"), ("Damas&source=Notes", "Damas dans les notes")):
        wide.get(f"{base}/?q={query}")
        box = wide.find_element(By.CSS_SELECTOR, "form.save input[name=nom]")
        box.clear()
        box.send_keys(name)
        wide.find_element(By.CSS_SELECTOR, "form.save button").click()
    write_reports(reports, {"notes/idleb-nouveau.txt": "source: Notes\ndate: 2020-05-07\nIdleb sous les frappes\n\n"
                                                       "De nouvelles frappes ont visé Idleb ce matin."})
    indexing.update(reports, index)
    deadline = time.monotonic() + 30
    while "1 nouveau rapport" not in wide.page_source and time.monotonic() < deadline:
        time.sleep(0.5)
        wide.get(base + "/recherches")
    wide.save_screenshot(str(out / "saved.png"))


def phone_shot(base: str, out: Path) -> None:
    phone = browser(500, 844)
    try:
        # A window is 500 px at least: the phone's width is emulated, as Chromium's device mode does.
        phone.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                              {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
        phone.get(base + "/?q=Alep")
        phone.save_screenshot(str(out / "phone.png"))
    finally:
        phone.quit()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs"))
    ap.add_argument("--size", type=int, default=400, help="articles in the index")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        reports = press_folder(Path(tmp) / "reports", size=args.size)
        index = Path(tmp) / "index"
        indexing.rebuild(reports, index, procs=1)
        with serving(index, reports) as base:
            phone_shot(base, out)
            wide_shots(base, out, reports, index)
    print("wrote", ", ".join(str(out / n) for n in SHOTS))


if __name__ == "__main__":
    main()
