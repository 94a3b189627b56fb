"""Open the report in headless Chromium: screenshot and render checks.

Talks the Chrome DevTools Protocol over ``--remote-debugging-pipe`` (JSON
messages separated by NUL bytes on file descriptors 3 and 4), so it needs no
websocket client and opens no debugging port. The browser runs with a dead
proxy (127.0.0.1:9): even if the page tried to load something from the
network, nothing would leave the machine, and the attempt is still recorded
from the Network domain events.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.section import atomic_write_bytes

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--remote-debugging-pipe",
)

# Evaluated in the page after load: facts about the DOM and the layout.
_PAGE_FACTS_JS = r"""
(() => {
  const arabic = [...document.querySelectorAll('[lang="ar"]')];
  const attrs = [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]);
  const firstLastX = (el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) {
      if (walker.currentNode.data.trim()) nodes.push(walker.currentNode);
    }
    if (!nodes.length) return null;
    const first = nodes[0], last = nodes[nodes.length - 1];
    const i = first.data.search(/\S/), j = last.data.trimEnd().length - 1;
    const rect = (node, k) => { const r = document.createRange(); r.setStart(node, k);
      r.setEnd(node, k + 1); return r.getBoundingClientRect(); };
    return [rect(first, i).left, rect(last, j).left];
  };
  const probe = arabic.find(e => e.tagName === 'BLOCKQUOTE' || e.tagName === 'P')
    || arabic.find(e => e.textContent.trim().length > 3);
  return {
    lang: document.documentElement.lang,
    scripts: document.querySelectorAll('script').length,
    event_handlers: attrs.filter(a => a.name.toLowerCase().startsWith('on')).length,
    javascript_urls: attrs.filter(a => /^\s*javascript:/i.test(a.value)).length,
    arabic_elements: arabic.length,
    arabic_rtl: arabic.filter(e => getComputedStyle(e).direction === 'rtl').length,
    arabic_first_last_x: probe ? firstLastX(probe) : null,
    csp: (document.querySelector('meta[http-equiv="Content-Security-Policy"]') || {}).content
      || null,
    images: document.images.length,
    images_broken: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).length,
    mark_text: [...document.querySelectorAll('mark')].map(m => m.textContent),
  };
})()
"""

# How many example sentences (inside <details>) are rendered: none on screen
# until opened, all in print media.
_EXAMPLES_VISIBLE_JS = r"""
(() => {
  const items = [...document.querySelectorAll('details ul.sentences li')];
  return {total: items.length, visible: items.filter(li => li.checkVisibility()).length};
})()
"""


def find_chromium() -> str | None:
    """Path of a Chromium binary: $ANALYSIS_CHROMIUM, /usr/bin/chromium, or one on PATH."""
    configured = os.environ.get("ANALYSIS_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageCheck:
    """What the browser saw when it opened the report."""

    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    screen_facts: dict[str, Any] = field(default_factory=dict)
    print_facts: dict[str, Any] = field(default_factory=dict)

    @property
    def network_requests(self) -> list[str]:
        """Requested URLs that are not local (file:, data:, about:, blob:)."""
        return [url for url in self.requests if not url.startswith(LOCAL_SCHEMES)]


class ChromiumError(RuntimeError):
    """Chromium could not be started or did not answer in time."""


class _PipeCdp:
    """A minimal synchronous DevTools Protocol client over Chromium's debugging pipe."""

    def __init__(self, proc: subprocess.Popen, write_fd: int, read_fd: int, log: Path):
        self.proc, self.write_fd, self.read_fd, self.log = proc, write_fd, read_fd, log
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        self.dialogs: list[str] = []

    def _error(self, message: str) -> ChromiumError:
        tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
        return ChromiumError(f"{message}; chromium stderr tail:\n{tail}")

    def _post(self, method: str, params: dict | None, session: str | None) -> int:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        return self.next_id

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise self._error("timed out waiting for chromium")
            ready, _, _ = select.select([self.read_fd], [], [], remaining)
            if ready:
                chunk = os.read(self.read_fd, 1 << 16)
                if not chunk:
                    raise self._error("chromium closed the debugging pipe")
                self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        message = json.loads(raw)
        if message.get("method") == "Page.javascriptDialogOpening":
            # Record and dismiss at once, so an alert cannot block the page.
            self.dialogs.append(str(message["params"].get("message", "")))
            self._post("Page.handleJavaScriptDialog", {"accept": False}, message.get("sessionId"))
        return message

    def send(
        self, method: str, params: dict | None = None, session: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        """Send a command and return its result; events read meanwhile are kept."""
        message_id = self._post(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            message = self._read(deadline)
            if message.get("id") == message_id:
                if "error" in message:
                    raise ChromiumError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_event(self, method: str, timeout: float = 30.0) -> dict[str, Any]:
        """Return the first event named `method` (already received or arriving)."""
        for event in self.events:
            if event["method"] == method:
                return event
        deadline = time.monotonic() + timeout
        while True:
            message = self._read(deadline)
            if "method" in message:
                self.events.append(message)
                if message["method"] == method:
                    return message


def _child_fd(fd: int) -> int:
    """Move `fd` to a number >= 10 so dup2 onto 3 and 4 in the child cannot clobber it."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


def _console_errors(events: list[dict[str, Any]]) -> list[str]:
    errors = []
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            args = params.get("args", [])
            errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in args))
        elif method == "Runtime.exceptionThrown":
            errors.append(str(params["exceptionDetails"].get("text", "exception")))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            errors.append(f"{params['entry'].get('source')}: {params['entry'].get('text')}")
    return errors


def inspect_report(
    report_html: Path, screenshot_png: Path | None = None, width: int = 1280,
    height: int = 900, timeout: float = 60.0,
) -> PageCheck:
    """Open `report_html` in headless Chromium and report what happened.

    Records console errors, every requested URL, JavaScript dialogs, DOM and
    layout facts (scripts, event-handler attributes, direction of Arabic
    elements), and how many example sentences are visible in print media.
    Saves a screenshot of the first screen when `screenshot_png` is given.
    """
    chromium = find_chromium()
    if chromium is None:
        raise ChromiumError("chromium not found (install Debian's chromium package)")
    url = Path(report_html).resolve().as_uri()
    profile = Path(tempfile.mkdtemp(prefix="analysis-chromium-"))
    log = profile / "stderr.log"
    to_child_r, to_child_w = os.pipe()
    from_child_r, from_child_w = os.pipe()
    to_child_r, from_child_w = _child_fd(to_child_r), _child_fd(from_child_w)

    def connect_pipe() -> None:  # runs in the child before exec
        os.dup2(to_child_r, 3)
        os.dup2(from_child_w, 4)

    with open(log, "wb") as stderr:
        proc = subprocess.Popen(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile / 'profile'}",
             f"--window-size={width},{height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr,
            close_fds=False, preexec_fn=connect_pipe,
        )
    os.close(to_child_r)
    os.close(from_child_w)
    cdp = _PipeCdp(proc, to_child_w, from_child_r, log)
    try:
        target = cdp.send("Target.createTarget", {"url": "about:blank"}, timeout=timeout)
        session = cdp.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
        )["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            cdp.send(f"{domain}.enable", session=session)
        cdp.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session,
        )
        cdp.send("Page.navigate", {"url": url}, session)
        cdp.wait_event("Page.loadEventFired", timeout)
        facts = _evaluate(cdp, session, _PAGE_FACTS_JS)
        screen_facts = _evaluate(cdp, session, _EXAMPLES_VISIBLE_JS)
        if screenshot_png is not None:
            shot = cdp.send("Page.captureScreenshot", {"format": "png"}, session, timeout)
            atomic_write_bytes(Path(screenshot_png), base64.b64decode(shot["data"]))
        cdp.send("Emulation.setEmulatedMedia", {"media": "print"}, session)
        print_facts = _evaluate(cdp, session, _EXAMPLES_VISIBLE_JS)
        cdp._post("Browser.close", None, None)  # no reply: the pipe closes
    finally:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(to_child_w)
        os.close(from_child_r)
        shutil.rmtree(profile, ignore_errors=True)
    requests = [
        e["params"]["request"]["url"][:200] for e in cdp.events
        if e["method"] == "Network.requestWillBeSent"
    ]
    return PageCheck(
        console_errors=_console_errors(cdp.events),
        requests=requests,
        dialogs=cdp.dialogs,
        facts=facts,
        screen_facts=screen_facts,
        print_facts=print_facts,
    )


def _evaluate(cdp: _PipeCdp, session: str, expression: str) -> dict[str, Any]:
    result = cdp.send(
        "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session
    )
    if "exceptionDetails" in result:
        raise ChromiumError(f"evaluation failed: {result['exceptionDetails'].get('text')}")
    return result["result"]["value"]


def screenshot(report_html: Path, png_path: Path, width: int = 1280, height: int = 900) -> Path:
    """Save a PNG of the first screen of `report_html` (as a laptop shows it)."""
    inspect_report(Path(report_html), Path(png_path), width=width, height=height)
    return Path(png_path)
