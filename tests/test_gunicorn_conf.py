"""compose/gunicorn.conf.py: the production access log never holds a link token."""

import contextlib
import json
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
CONF = BASE_DIR / "compose" / "gunicorn.conf.py"
TOKEN = "Q2hhbmdlLW1lLXRoaXMtaXMtYS1saW5rLXRva2VuLTQz"  # 43 characters, like token_urlsafe(32)


@pytest.fixture(scope="module")
def conf() -> dict[str, object]:
    return runpy.run_path(str(CONF))


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        (f"GET /patients/intake/{TOKEN}/ HTTP/1.1", "GET /patients/intake/[token]/ HTTP/1.1"),
        (f"GET /clinical/p/{TOKEN}/ HTTP/1.1", "GET /clinical/p/[token]/ HTTP/1.1"),
        (f"POST /unsubscribe/{TOKEN}/ HTTP/1.1", "POST /unsubscribe/[token]/ HTTP/1.1"),
        (
            "GET /accounts/password/reset/MQ/cz1k2a-0123456789abcdef0123456789abcdef/ HTTP/1.1",
            "GET /accounts/password/reset/MQ/[token]/ HTTP/1.1",
        ),
        (f"GET /x/?next=%2F&token={TOKEN}&a=1 HTTP/1.1", "GET /x/?next=%2F&token=[token]&a=1 HTTP/1.1"),
        (f"link_token={TOKEN}", "link_token=[token]"),
        ("GET /patients/intake/check/ HTTP/1.1", "GET /patients/intake/check/ HTTP/1.1"),
        ("GET /patients/42/edit/ HTTP/1.1", "GET /patients/42/edit/ HTTP/1.1"),
    ],
    ids=["intake", "programme", "unsubscribe", "password_reset", "query", "query_key", "fixed_path", "ids"],
)
def test_tokens_are_masked(conf, line, masked):
    assert conf["mask_tokens"](line) == masked


def test_the_image_runs_gunicorn_with_this_file():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()

    assert "COPY compose/gunicorn.conf.py ./compose/gunicorn.conf.py" in dockerfile
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))
    assert json.loads(cmd.removeprefix("CMD ")) == [
        "gunicorn",
        "--config",
        "compose/gunicorn.conf.py",
        "clinic.wsgi:application",
    ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_real_gunicorn_access_log_masks_tokens(tmp_path):
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(Path.home()),
        "DEBUG": "1",
        "STRIDE_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(CONF), "clinic.wsgi:application"],
        cwd=BASE_DIR,
        env=env,
        # The access log goes to stdout; Django's own logging (not under test here) to stderr.
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/static/none.css", timeout=2)
            except urllib.error.HTTPError:
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        for path in (f"/patients/intake/{TOKEN}/", f"/accounts/login/?token={TOKEN}"):
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
    finally:
        server.terminate()
        access_log, _ = server.communicate(timeout=30)

    assert TOKEN not in access_log
    assert 'GET /patients/intake/[token]/ HTTP/1.1"' in access_log
    assert 'GET /accounts/login/?token=[token] HTTP/1.1"' in access_log
