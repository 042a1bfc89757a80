"""The HTML report: self-contained, complete, and rendered by a real browser (headless Chromium)
without console errors and with every chart drawn."""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import os
import re
import shutil
import subprocess
import time

import numpy as np
import pytest
from PIL import Image

import trustcost as tc
from trustcost import cli, datasets

STUDY = datasets.load_three_vendors()


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    code = cli.main(["compare", str(datasets.three_vendors_path()), "--simulate", "2000", "--seed", "2",
                     "--report", str(path), "--format", "json"])
    assert code == 0
    return path


def test_report_has_every_section(report_file):
    text = report_file.read_text(encoding="utf-8").replace("<wbr>", "")  # headers may wrap at <wbr>
    for heading in ("Settings", "Summary", "Present value by cost category", "Monte Carlo simulation", "Measures",
                    "Inputs"):
        assert f"<h2>{heading}</h2>" in text
    assert text.count("<svg") == 3  # breakdown, cumulative, distribution
    assert "present_value [EUR]" in text and "airr [%/year]" in text
    assert "656,309" in text  # readable money
    # The inputs are the scenario file itself.
    assert "spindle and drive failures" in text and "three_vendors.toml" in text


def test_report_is_self_contained(report_file):
    text = report_file.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", text)
    assert "<script" not in text and "<link" not in text and "@import" not in text


def test_python_api_report(tmp_path):
    result = STUDY.evaluate()
    html = tc.report(result, tmp_path / "r.html", title="Machining centre")
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == html
    assert "<h1>Machining centre</h1>" in html and html.count("<svg") == 2
    assert "Monte Carlo" not in html
    assert "[[offers]]" in html  # without a source file the inputs are the study written as TOML
    with pytest.raises(TypeError, match="result must be an LccResult"):
        tc.report(STUDY)
    other = tc.simulate(STUDY.with_offers(STUDY.offers[:2]), 100, seed=1)
    with pytest.raises(ValueError, match="simulation must be of the same offers"):
        tc.report(result, simulation=other)


# ----------------------------------------------------------------------------- a real browser


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4)."""

    def __init__(self, binary: str):
        to_browser, self._write = os.pipe()
        self._read, from_browser = os.pipe()

        def fds():  # in the child: 3 = commands in, 4 = replies out (via spare fds: the pipes may be 3 or 4)
            commands, replies = os.dup(to_browser), os.dup(from_browser)
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        self.process = subprocess.Popen(
            [binary, "--headless", "--disable-gpu", "--no-sandbox", "--remote-debugging-pipe", "--no-first-run",
             "--disable-extensions", "--window-size=1200,900", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=fds, pass_fds=(3, 4))
        os.close(to_browser)
        os.close(from_browser)
        self._buffer, self._id, self.events = b"", 0, []

    def _receive(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("no reply from Chromium")
            chunk = os.read(self._read, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        for k, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(k)
        while True:
            event = self._receive(deadline)
            if event.get("method") == method:
                return event
            self.events.append(event)

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self._read)
        os.close(self._write)


def _chromium() -> str:
    # Not skipped when missing: scripts/setup.sh installs Debian's chromium for this test.
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    assert binary, "headless Chromium is needed for the browser test (scripts/setup.sh installs Debian's chromium)"
    return binary


_OVERFLOW = """(() => {
  const width = document.documentElement.clientWidth;
  const over = Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > width + 0.5)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ': ' + (e.textContent || '').trim().slice(0, 40));
  return {width: width, scroll_width: document.documentElement.scrollWidth, over: over.slice(0, 10)};
})()"""

_CHARTS = """
    Array.from(document.querySelectorAll('figure.chart')).map(f => {
      const svg = f.querySelector('svg'); const box = svg ? svg.getBoundingClientRect() : null;
      return {id: f.id, svg: !!svg && svg.namespaceURI === 'http://www.w3.org/2000/svg',
              width: box ? box.width : 0, height: box ? box.height : 0,
              shapes: svg ? svg.querySelectorAll('path, use, rect').length : 0,
              top: box ? box.top + window.scrollY : 0};
    })"""


def _render(path, width: int) -> dict:
    """Open ``path`` in headless Chromium at ``width`` CSS pixels: its charts, table count, what
    overflows the page width, a full-page screenshot and the browser's events."""
    browser = Chromium(_chromium())
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session=session)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=session)
        browser.send("Page.navigate", {"url": path.as_uri()}, session=session)
        browser.wait_for("Page.loadEventFired")

        def evaluate(expression):
            return browser.send("Runtime.evaluate", {"returnByValue": True, "expression": expression},
                                session=session)["result"]["value"]

        out = {"charts": evaluate(_CHARTS), "tables": evaluate("document.querySelectorAll('table').length"),
               "overflow": evaluate(_OVERFLOW)}
        height = evaluate("document.documentElement.scrollHeight")
        out["shot"] = browser.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}}, session=session)
        out["events"] = list(browser.events)
    finally:
        browser.close()
    return out


def test_report_renders_in_chromium(report_file):
    page = _render(report_file, 1200)
    charts, tables, shot, events = page["charts"], page["tables"], page["shot"], page["events"]
    errors = [e for e in events if e.get("method") == "Runtime.exceptionThrown"
              or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert"))
              or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")]
    assert errors == []
    requests = [e["params"]["request"]["url"] for e in events if e.get("method") == "Network.requestWillBeSent"]
    assert all(url == report_file.as_uri() for url in requests), requests  # nothing fetched from elsewhere
    assert tables >= 5
    assert [c["id"] for c in charts] == ["chart-breakdown", "chart-cumulative", "chart-cdf"]
    image = np.asarray(Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("L"))
    for chart in charts:
        assert chart["svg"] and chart["width"] > 300 and chart["height"] > 200 and chart["shapes"] > 20, chart
        # The chart's pixels on the screenshot: drawn, not blank (ink and some colour spread).
        top = int(chart["top"])
        region = image[top:top + int(chart["height"]), :int(chart["width"])]
        ink = np.mean(region < 200)
        assert 0.02 < ink < 0.9, (chart["id"], ink)


def test_report_with_relationship_columns_fits_1280_pixels(tmp_path):
    # Every offer with a trust profile: the summary gains lifetime_rank, lifetime_cost and
    # relationship_cost, the widest table the report has (issue 20: it overflowed at 1,280 px).
    offers = [dataclasses.replace(o, trust_profile=tc.TrustProfile(trust=t, annual_spend=s))
              for o, t, s in zip(STUDY.offers, (0.3, 0.6, 0.8), (40_000, 60_000, 50_000))]
    study = dataclasses.replace(STUDY, offers=tuple(offers))
    result = study.evaluate()
    assert "relationship_cost" in result.summary.columns
    path = tmp_path / "relationships.html"
    text = tc.report(result, path, simulation=tc.simulate(study, 300, seed=4)).replace("<wbr>", "")
    page = _render(path, 1280)
    overflow = page["overflow"]
    assert overflow["scroll_width"] <= overflow["width"] and overflow["over"] == [], overflow
    assert [c["id"] for c in page["charts"]] == ["chart-breakdown", "chart-cumulative", "chart-cdf"]
    for chart in page["charts"]:
        assert chart["svg"] and chart["width"] > 300 and chart["height"] > 200 and chart["shapes"] > 20, chart
    # One baseline, said once, used by both comparisons; one unit per measure.
    baseline = study.baseline
    assert f"{baseline} (the study's baseline)" in text
    assert f"Paired differences against the baseline, {baseline}" in text
    assert f"- {baseline}</th>" in text  # the difference rows are "<offer> - <baseline>"
    assert "probability_cheapest [%]" in text and "probability_cheapest [fraction]" not in text
