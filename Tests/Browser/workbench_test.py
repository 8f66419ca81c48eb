#!/usr/bin/env python3
"""Drives the web workbench in headless Chromium against a running Pycelize server.

Usage: workbench_test.py --base http://127.0.0.1:PORT [--artifacts DIR]

Uses the system browser only (Debian `chromium` and `chromium-driver`, paths below or $CHROMIUM / $CHROMEDRIVER):
Selenium is never allowed to download one. Exits 0 when every scenario passes, 1 with the failure otherwise,
2 when the browser or Selenium is missing. Screenshots of each main view go to the artifacts folder.
"""
import argparse
import csv
import io
import os
import sys
import tempfile
import time
import traceback
import urllib.request
import json

# Never let Selenium Manager fetch a browser or driver: both paths are given explicitly.
os.environ.setdefault("SE_OFFLINE", "true")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait
    from selenium.webdriver.support import expected_conditions as EC
except ImportError as e:  # reported to the XCTest wrapper, which skips or fails
    print(f"MISSING: Python selenium is not installed ({e}); pip install selenium", file=sys.stderr)
    sys.exit(2)

CITIES = ["Paris", "Lyon", "Paris", "Nice", "Paris", "Lyon"]
AMOUNTS = ["100", "250.5", "300", "12.75", "500", "99.99"]
CSV_TEXT = "id,name,city,amount,note\n" + "".join(
    f"{i + 1},Person {i + 1},{city},{AMOUNTS[i]},{'' if i % 3 == 0 else 'ok'}\n" for i, city in enumerate(CITIES))


class Check(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise Check(message)


def http_json(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def http_bytes(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


class Workbench:
    def __init__(self, base, artifacts):
        self.base = base.rstrip("/")
        self.artifacts = artifacts
        os.makedirs(artifacts, exist_ok=True)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=1400,1000", "--force-device-scale-factor=1", "--lang=en-US"):
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        self.driver.set_window_size(1400, 1000)
        self.wait = WebDriverWait(self.driver, 20)

    def close(self):
        self.driver.quit()

    # Helpers

    def css(self, selector, root=None):
        return (root or self.driver).find_element(By.CSS_SELECTOR, selector)

    def all(self, selector, root=None):
        return (root or self.driver).find_elements(By.CSS_SELECTOR, selector)

    def until(self, selector, what=None):
        try:
            return self.wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))
        except Exception:
            raise Check(f"timed out waiting for {what or selector}")

    def until_true(self, fn, what):
        try:
            return self.wait.until(lambda d: fn())
        except Exception:
            raise Check(f"timed out waiting for {what}")

    def shot(self, name, full=True):
        path = os.path.join(self.artifacts, f"{name}.png")
        if full:
            # Notices from earlier steps would hide part of the view.
            self.driver.execute_script("document.getElementById('toasts').replaceChildren(); window.scrollTo(0, 0)")
            # The whole page, not just the viewport: grow the window to the document's height for the picture.
            width = self.driver.get_window_size()["width"]
            height = self.driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
            self.driver.set_window_size(width, min(max(height + 120, 700), 4000))
            time.sleep(0.15)
            self.driver.save_screenshot(path)
            self.driver.set_window_size(width, 1000)
        else:
            self.driver.save_screenshot(path)
        print(f"screenshot {path}")

    def click(self, selector):
        el = self.until(selector)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
        el.click()
        return el

    def api(self, path):
        return http_json(f"{self.base}/api/v1{path}")

    # Scenarios

    def run(self):
        d = self.driver
        d.get(self.base + "/")
        self.until(".welcome", "the welcome panel")
        self.until_true(lambda: "healthy" in self.css("#server-status").text, "the health indicator")
        self.shot("01-home")

        # A conversation: created from the sidebar, opened, listed with its status.
        self.click("#new-conversation")
        self.until_true(lambda: "#/c/" in d.current_url, "the new conversation to open")
        chat_id = d.current_url.split("#/c/")[1]
        self.until(f'.conversation[data-chat="{chat_id}"]', "the conversation view")
        self.until(f'.conv-item[data-chat="{chat_id}"]', "the conversation in the list")
        expect(self.css("#conv-status").text.strip() == "created", "a new conversation is 'created'")

        # Upload a CSV through the picker; the progress bar reaches 100 % and the preview shows typed cells.
        folder = tempfile.mkdtemp(prefix="pz-browser-")
        source = os.path.join(folder, "people.csv")
        with open(source, "w", newline="") as f:
            f.write(CSV_TEXT)
        self.css("#file-input").send_keys(source)
        self.until_true(lambda: self.all('.upload-progress .bar[data-value="100"]'), "the upload bar to reach 100 %")
        table = self.until("#file-preview table.data", "the preview table")
        headers = [th.find_element(By.CSS_SELECTOR, ".col-name").text for th in self.all("thead th:not(.rownum)", table)]
        expect(headers == ["id", "name", "city", "amount", "note"], f"preview columns: {headers}")
        rows = self.all("tbody tr", table)
        expect(len(rows) == len(CITIES), f"preview rows: {len(rows)}")
        first = self.all("td", rows[0])
        expect("num" in first[1].get_attribute("class"), "the id cell is numeric (right-aligned)")
        expect(first[1].value_of_css_property("text-align") == "right", "numbers are right-aligned")
        expect("empty" in first[5].get_attribute("class"), "an empty note cell is marked empty")
        expect(self.css('.file-row[data-file="people.csv"] .file-kind').text.strip().lower() == "input", "the upload is the input")
        self.shot("02-conversation-preview")

        # A search step whose column is picked from the preview's columns.
        Select(self.until("#op-select")).select_by_value("csv/search")
        self.click("#add-step")
        step = self.until('.step[data-op="csv/search"]', "the search step")
        column = Select(self.css('select[data-arg="column"]', step))
        options = [o.text for o in column.options][1:]
        expect(options == headers, f"the column picker offers the previewed columns: {options}")
        column.select_by_visible_text("city")
        self.css('input[data-arg="operator"]', step).send_keys("equals")
        self.css('input[data-arg="value"]', step).send_keys("Paris")
        self.css('input[data-arg="output_format"]', step).send_keys("csv")
        self.click("#run-workflow")
        self.until('#run-status[data-state="completed"]', "the run to complete")
        bars = self.all(".run-step .bar")
        values = [b.get_attribute("data-value") for b in bars]
        expect(values == ["100"], f"the step's progress (from the WebSocket) reaches 100 %: {values}")
        expect("live" in self.css(".live").text, "progress came over the WebSocket")
        self.until("#output-preview table.data", "the output preview")
        link = self.css('.outputs a[data-action="download"]')
        body = http_bytes(link.get_attribute("href")).decode("utf-8")
        got = list(csv.reader(io.StringIO(body)))
        want = [["id", "name", "city", "amount", "note"]] + [
            r for r in csv.reader(io.StringIO(CSV_TEXT)) if len(r) > 2 and r[2] == "Paris"]
        expect(got == want, f"the downloaded output holds the matching rows:\n{got}\nwanted\n{want}")
        out_rows = self.all("#output-preview tbody tr")
        expect(len(out_rows) == 3, f"the output preview shows the 3 matches, not {len(out_rows)}")
        self.until_true(lambda: self.css("#conv-status").text.strip() == "completed", "the status to become completed")
        self.shot("03-run-completed")

        # Steps are removed and reordered; a failing step shows its message, on the step and in the run banner.
        self.click('.step[data-op="csv/search"] [data-remove]')
        for op in ("csv/info", "csv/search"):
            Select(self.until("#op-select")).select_by_value(op)
            self.click("#add-step")
        self.click('.step[data-op="csv/search"] [data-move="up"]')
        order = [s.get_attribute("data-op") for s in self.all(".steps .step")]
        expect(order == ["csv/search", "csv/info"], f"the search step moved up: {order}")
        self.click("#run-workflow")
        banner = self.until('#run-status[data-state="failed"]', "the run to fail")
        expect("step 1/2: At least one search condition is required" in banner.text, f"failure message: {banner.text}")
        bars = self.all(".run-step .bar")
        expect(bars[0].get_attribute("data-state") == "failed", "the first step's bar shows the failure")
        expect(bars[1].get_attribute("data-value") == "0", "the second step never ran")
        expect("Not run" in self.all(".run-step .step-message")[1].text, "the second step says it did not run")
        expect("At least one search condition is required" in self.css(".run-step .step-message").text, "the step says why")
        self.shot("04-run-failed")

        # Dump, then restore: refused while the conversation exists (the envelope's message is shown), accepted after
        # deleting it.
        self.click("#dump")
        dump_link = self.until("#dump-link", "the dump link")
        archive = http_bytes(dump_link.get_attribute("href"))
        expect(archive[:2] == b"\x1f\x8b", "the dump is a gzip archive")
        dump_path = os.path.join(folder, dump_link.text.strip())
        with open(dump_path, "wb") as f:
            f.write(archive)
        self.css("#restore-input").send_keys(dump_path)
        toast = self.until(".toast-error", "the refusal")
        expect("already exists" in toast.text, f"restore refusal message: {toast.text}")
        self.shot("05-restore-refused", full=False)
        self.css(".toast-close", toast).click()
        self.until_true(lambda: not self.all(".toast-error"), "the notice to close")
        d.execute_script("window.confirm = () => true")
        self.click("#delete")
        self.until_true(lambda: not d.current_url.rstrip("/").endswith(chat_id) and self.all(".welcome"), "the deletion")
        expect(not self.all(f'.conv-item[data-chat="{chat_id}"]'), "the deleted conversation left the list")
        self.css("#restore-input").send_keys(dump_path)
        self.until_true(lambda: d.current_url.endswith(f"#/c/{chat_id}"), "the restored conversation to open")
        self.until(f'.file-row[data-file="people.csv"]', "the restored upload")

        # Errors from the API are shown as the envelope's message.
        d.get(self.base + "/#/c/no-such-conversation")
        error = self.until(".main-pane .state-error", "the not-found message")
        expect(error.text.strip() == "Conversation not found", f"error text: {error.text}")

        # Plugins: every bundled plugin, as the API lists them.
        d.get(self.base + "/#/plugins")
        self.until(".plugin", "the plugin cards")
        api = self.api("/plugins")["data"]["plugins"]
        shown = sorted(p.get_attribute("data-plugin") for p in self.all(".plugin"))
        expect(shown == sorted(p["name"] for p in api), f"plugins shown {shown}, API {[p['name'] for p in api]}")
        for name in ("csv-ops", "excel-ops", "normalize", "sql-gen", "json-gen"):
            expect(name in shown, f"the bundled plugin {name} is listed")
            card = self.css(f'.plugin[data-plugin="{name}"]')
            expect("loaded" in card.text, f"{name} is loaded")
        for plugin in api:
            card = self.css(f'.plugin[data-plugin="{plugin["name"]}"]')
            expect(plugin["status"] in card.text, f"{plugin['name']} shows its status")
            if plugin["reason"]:
                expect(plugin["reason"] in card.text, f"{plugin['name']} shows why it was refused")
            for op in plugin["operations"]:
                expect(op in card.text, f"{plugin['name']} lists {op}")
        self.shot("06-plugins")

        # A narrow screen: the same views, one column.
        d.set_window_size(390, 1000)
        d.get(self.base + f"/#/c/{chat_id}")
        self.until("#file-preview table.data", "the preview on a narrow screen")
        Select(self.until("#op-select")).select_by_value("csv/search")
        self.click("#add-step")
        Select(self.css('.step select[data-arg="column"]')).select_by_visible_text("city")
        width = d.execute_script("return document.documentElement.scrollWidth")
        expect(width <= 392, f"no horizontal scrolling on a narrow screen (page is {width}px wide)")
        self.shot("07-narrow-conversation")
        d.get(self.base + "/#/plugins")
        self.until(".plugin", "the plugins on a narrow screen")
        self.shot("08-narrow-plugins")

        severe = [e for e in d.get_log("browser") if e.get("level") == "SEVERE"
                  and "Failed to load resource" not in e.get("message", "")]
        expect(not severe, f"browser console errors: {severe}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--artifacts", default=".build/test-artifacts/workbench")
    args = parser.parse_args()
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            print(f"MISSING: {path} not found; install chromium and chromium-driver", file=sys.stderr)
            return 2
    started = time.monotonic()
    bench = Workbench(args.base, args.artifacts)
    try:
        bench.run()
    except Exception as e:
        try:
            bench.driver.save_screenshot(os.path.join(args.artifacts, "failure.png"))
        except Exception:
            pass
        print(f"FAILED: {e}", file=sys.stderr)
        if not isinstance(e, Check):
            traceback.print_exc()
        return 1
    finally:
        bench.close()
    print(f"workbench browser test passed in {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
