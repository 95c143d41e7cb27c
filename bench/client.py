"""A small closed-loop HTTP client (stdlib only): sign-ins, forms, and timed cells of requests.

Cookies are carried by hand: with DEBUG=0 they are Secure (`__Host-…`) and
the bench server speaks plain HTTP on loopback.
"""

import hashlib
import hmac
import http.client
import secrets
import statistics
import struct
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser


def totp(hex_key: str, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 code of this moment (django-otp's defaults: SHA-1, 30 s, 6 digits)."""
    counter = struct.pack(">Q", int(time.time()) // step)
    digest = hmac.new(bytes.fromhex(hex_key), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


class _Form(HTMLParser):
    """The fields of the page's first POST form, as a browser would submit them unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.action: str | None = None
        self._in_form = self._done = False
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if self._done:
            return
        if tag == "form" and a.get("method", "").lower() == "post" and not self._in_form:
            self._in_form, self.action = True, a.get("action") or ""
        if not self._in_form or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = a["name"], None, False
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a and not self._select_chosen:
                self.fields.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first is not None:
                self.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text))
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form, self._done = False, True

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data


def form_fields(page: str) -> list[tuple[str, str]]:
    parser = _Form()
    parser.feed(page)
    return parser.fields


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    cookies: dict[str, str]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Session:
    """One browser: its cookies, on the loopback server."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        fields: list[tuple[str, str]] | None = None,
        *,
        cookies: bool = True,
        timeout: float = 120,
        files: list[tuple[str, str, bytes]] | None = None,
    ) -> Response:
        """One request; `files` (field, file name, bytes) makes the POST multipart, as a browser's upload."""
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "stride-bench"}
        body = None
        if files is not None:
            body, headers["Content-Type"] = multipart(fields or [], files)
        elif fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if cookies and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            data = raw.read()
            set_cookies = {}
            for header in raw.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                set_cookies[name.strip()] = rest.split(";", 1)[0]
            response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data, set_cookies)
        finally:
            conn.close()
        if cookies:
            self.cookies.update(response.cookies)
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def submit(self, path: str, changes: dict[str, str], *, action: str | None = None) -> Response:
        """GET the form at `path`, change some fields, POST it back (with its CSRF token)."""
        page = self.get(path)
        fields = [(k, v) for k, v in form_fields(page.text) if k not in changes]
        fields += list(changes.items())
        return self.request("POST", action or path, fields)


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body (the form's fields first, as a browser sends them) and its content type."""
    boundary = f"stride-bench-{secrets.token_hex(12)}"
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def sign_in(session: Session, email: str, password: str, totp_key: str) -> None:
    """Password, then the second factor, through the real pages."""
    response = session.submit("/accounts/login/", {"username": email, "password": password})
    if response.status != 302:
        raise RuntimeError(f"sign-in of {email} refused (HTTP {response.status})")
    for _ in range(3):
        response = session.get("/")
        if not response.location.startswith("/accounts/two-factor/verify/"):
            return
        verify = response.location
        response = session.submit(verify, {"otp_token": totp(totp_key)})
        if response.status == 302:
            return
        # A code works once per device: wait for the next one.
        time.sleep(31 - int(time.time()) % 30)
    raise RuntimeError(f"second factor of {email} refused (HTTP {response.status})")


@dataclass
class Cell:
    """One page at one concurrency for a fixed time: what every request took and returned."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    query_ms: list[float] = field(default_factory=list)
    bytes: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict[str, object]:
        lat = sorted(self.latencies)

        def pct(p: float) -> float | None:
            if not lat:
                return None
            return round(lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000, 2)

        return {
            "requests": len(lat),
            "rps": round(len(lat) / self.seconds, 2) if self.seconds else 0.0,
            "p50_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "errors": self.errors,
            "error_samples": self.error_samples[:3],
            "queries": round(statistics.mean(self.queries), 1) if self.queries else None,
            "query_ms": round(statistics.mean(self.query_ms), 2) if self.query_ms else None,
            "bytes": round(statistics.mean(self.bytes)) if self.bytes else None,
        }


def run_cell(
    session: Session,
    method: str,
    path: str,
    fields: list[tuple[str, str]] | None,
    *,
    concurrency: int,
    seconds: float,
    expect: int = 200,
    cookies: bool = True,
    files: list[tuple[str, str, bytes]] | None = None,
) -> Cell:
    """`concurrency` clients, each sending the next request when the last one answered, for `seconds`."""
    cell = Cell()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                response = session.request(method, path, fields, cookies=cookies, files=files)
            except OSError as exc:
                with lock:
                    cell.errors += 1
                    cell.error_samples.append(repr(exc))
                continue
            took = time.perf_counter() - started
            with lock:
                cell.latencies.append(took)
                cell.bytes.append(len(response.body))
                if "x-bench-queries" in response.headers:
                    cell.queries.append(int(response.headers["x-bench-queries"]))
                    cell.query_ms.append(float(response.headers.get("x-bench-query-ms", 0)))
                if response.status != expect:
                    cell.errors += 1
                    cell.error_samples.append(f"HTTP {response.status} {response.location}".strip())

    began = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cell.seconds = time.monotonic() - began
    return cell
