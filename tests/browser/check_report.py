"""The HTML report in a real browser: headless Chromium (Debian's package)
driven by Selenium opens `piiscan report --format html` on the fixtures and
checks that it renders without console errors, that it makes no request
(only the file itself is loaded), that the charts and tables are there, and
that sorting and filtering work. With --screenshot PATH it also saves a
screenshot of the whole page.

    python3 tests/browser/check_report.py REPORT.html [--screenshot PATH]
"""

import argparse
import json
import pathlib
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def column(driver, table, index):
    """The visible text of one column of a table's body, top to bottom."""
    cells = driver.find_elements(By.CSS_SELECTOR, f"#{table} tbody tr td:nth-child({index})")
    return [c.text for c in cells]


def check(report, screenshot):
    url = pathlib.Path(report).resolve().as_uri()
    driver = browser()
    failures = []
    try:
        driver.get(url)
        # Charts and tables are there.
        for chart in ("chart-kinds", "chart-files"):
            bars = driver.find_elements(By.CSS_SELECTOR, f"#{chart} rect")
            if not bars:
                failures.append(f"{chart}: no bars")
        for table in ("t-issues", "t-files", "t-columns"):
            if not driver.find_elements(By.CSS_SELECTOR, f"#{table} tbody tr"):
                failures.append(f"{table}: no rows")
        # Sorting: the files table by findings, descending then ascending.
        header = driver.find_element(By.CSS_SELECTOR, "#t-files th:nth-child(5)")
        for order in ("descending", "ascending"):
            header.click()
            values = [int(v) for v in column(driver, "t-files", 5)]
            wanted = sorted(values, reverse=(order == "descending"))
            if values != wanted:
                failures.append(f"t-files: not sorted {order} by findings: {values[:8]}")
            if header.get_attribute("aria-sort") != order:
                failures.append(f"t-files: aria-sort is not {order}")
        # Sorting by severity puts critical first.
        driver.find_element(By.CSS_SELECTOR, "#t-issues th:nth-child(1)").click()
        severities = column(driver, "t-issues", 1)
        rank = {"critical": 3, "high": 2, "medium": 1, "low": 0}
        if [rank[s] for s in severities] != sorted((rank[s] for s in severities), reverse=True):
            failures.append(f"t-issues: not sorted by severity: {severities[:8]}")
        # Filtering keeps only the rows that hold every word.
        box = driver.find_element(By.CSS_SELECTOR, "input[data-table='t-files']")
        box.send_keys("customers")
        shown = [r for r in driver.find_elements(By.CSS_SELECTOR, "#t-files tbody tr") if r.is_displayed()]
        if not shown or any("customers" not in r.text.lower() for r in shown):
            failures.append("t-files: the filter does not keep only matching rows")
        box.clear()
        box.send_keys(" ")
        # No console error (a blocked request would be one too).
        for entry in driver.get_log("browser"):
            if entry["level"] in ("SEVERE", "ERROR"):
                failures.append(f"console: {entry['message']}")
        # No request but the page itself.
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                target = message["params"]["request"]["url"]
                if target != url and not target.startswith("data:"):
                    failures.append(f"request: {target}")
        if screenshot:
            # The page as it opens: summary, charts, the first findings.
            driver.set_window_size(1500, 1600)
            driver.get(url)
            driver.save_screenshot(screenshot)
    finally:
        driver.quit()
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("--screenshot")
    args = parser.parse_args()
    failures = check(args.report, args.screenshot)
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"browser check: {0 if failures else 1} passed, {1 if failures else 0} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
