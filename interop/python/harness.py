"""Runs a real `propusk serve` for the interop tests and plays the user agent in front of it.

`Provider` sets up data with `propusk admin ... --json`, then serves on a free loopback
port over a fresh SQLite database. `authorize` walks the login (and consent) pages with a
cookie jar and returns the redirect to the client.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
BIN = os.environ.get("PROPUSK_TEST_BIN") or str(ROOT / "target" / "debug" / "propusk")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Provider:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="propusk-interop-py-")
        self.db_url = f"sqlite://{self.dir}/propusk.db?mode=rwc"
        self.log_path = Path(self.dir) / "serve.log"
        self.proc = None
        self.issuer = None

    def admin(self, *args):
        """Runs `propusk admin ... --json` and returns the JSON it prints."""
        cmd = [BIN, "admin", "--database-url", self.db_url, "--data-dir", self.dir, *args, "--json"]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stderr}{out.stdout}")
        return json.loads(out.stdout)

    def serve(self, timeout=30, env=None):
        """Starts `propusk serve`; `env` adds environment variables (configuration keys)."""
        port = free_port()
        self.issuer = f"http://127.0.0.1:{port}"
        cmd = [BIN, "serve", "--listen", f"127.0.0.1:{port}", "--issuer", self.issuer,
               "--database-url", self.db_url, "--data-dir", self.dir]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                         env={**os.environ, **(env or {})})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"propusk serve exited ({self.proc.returncode}):\n{self.log()}")
            try:
                if requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"propusk serve did not answer discovery within {timeout} s:\n{self.log()}")

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class _Forms(HTMLParser):
    """Collects forms: action, method, the fields a browser would submit, and the buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                          "fields": {}, "buttons": []}
            self.forms.append(self._form)
        elif tag in ("input", "button") and self._form is not None and a.get("name"):
            kind = a.get("type", "submit" if tag == "button" else "text").lower()
            if kind in ("submit", "image"):
                self._form["buttons"].append((a["name"], a.get("value", "")))
            elif kind not in ("checkbox", "radio") or "checked" in a:
                self._form["fields"][a["name"]] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def parse_forms(html):
    parser = _Forms()
    parser.feed(html)
    parser.close()
    return parser.forms


def _origin(url):
    u = urlsplit(url)
    return (u.scheme, u.netloc)


def authorize(auth_url, login, password, consent="allow"):
    """Follows `auth_url` through the provider's pages as `login`; returns
    `(callback_url, pages)` where `pages` lists the forms submitted ("login", "consent")."""
    ua = requests.Session()
    origin = _origin(auth_url)
    method, url, data = "GET", auth_url, None
    pages, seen = [], []
    for _ in range(20):
        r = ua.request(method, url, data=data, allow_redirects=False, timeout=10)
        seen.append(f"{method} {urlsplit(url).path} -> {r.status_code}")
        if 300 <= r.status_code < 400:
            nxt = urljoin(url, r.headers["Location"])
            if _origin(nxt) != origin:
                return nxt, pages
            if r.status_code not in (307, 308):
                method, data = "GET", None
            url = nxt
            continue
        assert r.status_code == 200, f"unexpected {r.status_code} at {url}: {r.text[:500]}"
        forms = [f for f in parse_forms(r.text) if f["method"] == "post"]
        by_end = {urlsplit(urljoin(url, f["action"])).path.rsplit("/", 1)[-1]: f for f in forms}
        if "login" in by_end:
            form = by_end["login"]
            pages.append("login")
            data = {**form["fields"], **dict(form["buttons"][:1]), "login": login, "password": password}
        elif "consent" in by_end:
            form = by_end["consent"]
            pages.append("consent")
            assert ("decision", consent) in form["buttons"], f"no decision={consent} button: {form}"
            data = {**form["fields"], "decision": consent}
        else:
            raise AssertionError(f"no login or consent form at {url} ({seen}):\n{r.text[:1000]}")
        method, url = "POST", urljoin(url, form["action"])
    raise AssertionError(f"too many steps: {seen}")
