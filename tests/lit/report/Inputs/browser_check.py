#!/usr/bin/env python3
"""Loads an HTML page in headless Chromium and checks it the way a user's browser would see it.

Drives Chromium through the DevTools protocol over --remote-debugging-pipe (file descriptors 3 and 4,
messages separated by NUL bytes), with Python's standard library only: opens the page, waits for its
load event, collects every console message, uncaught exception and log entry of level error (a script
error, a blocked fetch), counts the elements each --expect CSS selector matches, evaluates each --eval
expression, saves a full-page screenshot, and prints what it saw:

    load_ms 123.4
    errors 0
    expect <selector> <count>
    eval <expression> => <JSON value>
    screenshot <path>

Exit status: 0 when the page loaded with no error and every --expect matched at least once, 1 otherwise,
2 for bad usage; 77 (and a message) when no Chromium is installed, so a test can be skipped clearly.
"""
import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """One headless Chromium with one page, spoken to over the DevTools pipe."""

    def __init__(self, executable, width, height):
        self.profile = tempfile.mkdtemp(prefix="hone-chromium-")
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()
        # The child's fd 3 reads our commands, fd 4 writes its answers (Chromium's pipe convention). The
        # pipe ends go to high numbers first, so neither is overwritten when it already is 3 or 4.
        def wire():
            read_end = os.dup(to_browser_read)
            write_end = os.dup(from_browser_write)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)
        args = [executable, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--user-data-dir=" + self.profile,
                "--window-size=%d,%d" % (width, height), "about:blank"]
        self.process = subprocess.Popen(args, pass_fds=(3, 4, to_browser_read, from_browser_write),
                                        preexec_fn=wire,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if isinstance(session, str):
            message["sessionId"] = session
        elif session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        wanted = self.next_id
        return self.wait(lambda m: m.get("id") == wanted, timeout=60)

    def read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe (did it crash?)")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def wait(self, predicate, timeout):
        deadline = time.monotonic() + timeout
        for index, event in enumerate(self.events):
            if predicate(event):
                return self.events.pop(index)
        while True:
            message = self.read_message(deadline)
            if predicate(message):
                if "error" in message:
                    raise RuntimeError("DevTools error: %s" % message["error"])
                return message
            self.events.append(message)
            if message.get("method") == "Target.attachedToTarget":
                self.watch_frame(message["params"]["sessionId"])

    def watch_frame(self, session):
        """Console, errors and log of a frame attached on its own session (answers are not awaited)."""
        for method in ("Runtime.enable", "Log.enable", "Runtime.runIfWaitingForDebugger"):
            self.next_id += 1
            message = {"id": self.next_id, "method": method, "params": {}, "sessionId": session}
            os.write(self.to_browser, json.dumps(message).encode() + b"\0")

    def open_page(self):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["result"]["targetId"]
        attached = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)
        self.session = attached["result"]["sessionId"]
        for domain in ("Page.enable", "Runtime.enable", "Log.enable"):
            self.send(domain)
        # Frames that run in a process of their own (the flame graph's sandboxed frame) get a session of
        # their own; their console and errors count like the page's.
        self.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": True})
        # A dialog means a script ran that the page did not write (an injected alert): make it an error.
        self.send("Page.addScriptToEvaluateOnNewDocument", {"source": (
            "window.alert = window.confirm = window.prompt = function (m) {"
            " console.error('dialog opened: ' + m); };")})

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def problems_in(events):
    """Console errors and warnings, uncaught exceptions and error log entries, as text."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            found.append("exception: " + details.get("exception", {}).get("description", details.get("text", "")))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
            found.append("console.%s: %s" % (params["type"], " ".join(str(a.get("value", a.get("description")))
                                                                    for a in params.get("args", []))))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
            entry = params["entry"]
            found.append("log %s: %s %s" % (entry["level"], entry.get("text", ""), entry.get("url", "")))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page")
    parser.add_argument("--expect", action="append", default=[], help="CSS selector that must match")
    parser.add_argument("--eval", action="append", default=[], help="JavaScript expression to print")
    parser.add_argument("--screenshot", help="PNG file for a full-page screenshot")
    parser.add_argument("--viewport-only", action="store_true",
                        help="screenshot the first screen only, at --scale (small images for docs/)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--settle-ms", type=int, default=300, help="wait after the load event for late errors")
    args = parser.parse_args()
    executable = find_chromium()
    if executable is None:
        print("browser_check: chromium is not installed (scripts/setup installs it); skipping", file=sys.stderr)
        return 77
    if not os.path.isfile(args.page):
        print("browser_check: error: no file %s" % args.page, file=sys.stderr)
        return 2

    browser = Browser(executable, args.width, args.height)
    try:
        browser.open_page()
        url = "file://" + os.path.abspath(args.page)
        browser.send("Page.navigate", {"url": url})
        browser.wait(lambda m: m.get("method") == "Page.loadEventFired", timeout=60)
        time.sleep(args.settle_ms / 1000.0)
        # Drain what arrived meanwhile: evaluate a no-op, which returns after queued events.
        browser.send("Runtime.evaluate", {"expression": "0"})
        timing = browser.send("Runtime.evaluate", {
            "expression": "JSON.stringify(performance.getEntriesByType('navigation')[0].toJSON())",
            "returnByValue": True})["result"]["result"]["value"]
        load_ms = json.loads(timing)["loadEventEnd"]
        print("load_ms %.1f" % load_ms)
        failed = False
        for selector in args.expect:
            count = browser.send("Runtime.evaluate", {
                "expression": "document.querySelectorAll(%s).length" % json.dumps(selector),
                "returnByValue": True})["result"]["result"].get("value", 0)
            print("expect %s %d" % (selector, count))
            failed = failed or count == 0
        for expression in args.eval:
            answer = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                       "awaitPromise": True})["result"]
            if "exceptionDetails" in answer:
                print("eval %s => exception %s" % (expression, answer["exceptionDetails"].get("text", "")))
                failed = True
            else:
                print("eval %s => %s" % (expression, json.dumps(answer["result"].get("value"))))
        if args.screenshot:
            if args.viewport_only:
                clip = {"x": 0, "y": 0, "width": args.width, "height": args.height, "scale": args.scale}
                shot = browser.send("Page.captureScreenshot", {"format": "png", "clip": clip})
            else:
                shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
            with open(args.screenshot, "wb") as out:
                out.write(base64.b64decode(shot["result"]["data"]))
            print("screenshot %s" % args.screenshot)
        problems = problems_in(browser.events)
        print("errors %d" % len(problems))
        for problem in problems:
            print("  " + problem)
        return 1 if failed or problems else 0
    finally:
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
