"""Screenshots of the page for the README: the search page, a report, the phone view (docs/*.png).

    .venv/bin/python tools/screenshots.py [--out docs] [--size 400]

Builds an index of real news on Syria from the shared corpus in a temporary folder, serves it
with ``python server.py`` on a free port and photographs it in headless Chromium (Debian's
chromium and chromium-driver).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

from search import indexing  # noqa: E402
from tests.conftest import serving  # noqa: E402
from tests.press_sample import press_folder  # noqa: E402


def browser(width: int, height: int) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--window-size={width},{height}"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(options=options, service=webdriver.ChromeService("/usr/bin/chromedriver"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs"))
    ap.add_argument("--size", type=int, default=400, help="articles in the index")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        reports = press_folder(Path(tmp) / "reports", size=args.size)
        indexing.rebuild(reports, Path(tmp) / "index", procs=1)
        with serving(Path(tmp) / "index", reports) as base:
            wide = browser(1366, 1000)
            try:
                wide.get(base + "/?q=Alep&sort=date")
                wide.save_screenshot(str(out / "page.png"))
                wide.find_element(By.CSS_SELECTOR, ".hit h2 a").click()
                wide.save_screenshot(str(out / "report.png"))
            finally:
                wide.quit()
            phone = browser(500, 844)
            try:
                # A window is 500 px at least: the phone's width is emulated, as Chromium's device mode does.
                phone.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                      {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
                phone.get(base + "/?q=Alep")
                phone.save_screenshot(str(out / "phone.png"))
            finally:
                phone.quit()
    print("wrote", ", ".join(str(out / n) for n in ("page.png", "report.png", "phone.png")))


if __name__ == "__main__":
    main()
