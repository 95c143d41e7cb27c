"""`make bench`: seed the bench database, serve it as production does, measure every page.

    python -m bench            (settings from the environment; see bench/README.md)

1. The database (DATABASE_URL, default stride_bench on the local PostgreSQL)
   is migrated, given the demo clinic and grown with seed_scale to
   BENCH_PATIENTS patients (default 100,000; each step is skipped or adds
   only the difference when already done).
2. gunicorn serves it with compose/gunicorn.conf.py, DEBUG=0, two sync
   workers on a free loopback port, BENCH_PAGES=1 (the floor pages and the
   query-count header, clinic/bench.py).
3. Each role signs in through the login page with both factors; each page
   is loaded for BENCH_SECONDS (default 10) at concurrency 1 and then 8,
   each cell right after a cell of /bench/baseline at the same concurrency.
4. Results go to bench/results/<date>-<N>.json and .md; the ratios to the
   baseline are compared with bench/baseline-ratios.json.

BENCH_QUICK=1: 200 patients, 1 s per cell (an end-to-end check, not a measurement).
BENCH_ACCEPT=1: write this run's ratios into bench/baseline-ratios.json (commit it).
"""

import datetime
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from bench.client import Session, form_fields, run_cell, sign_in

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/stride_bench"
# The shared cache the server uses, a database of its own on the local Redis (BENCH_CACHE_URL; empty for none).
DEFAULT_CACHE = "redis://127.0.0.1:6379/7"
CONCURRENCY = (1, 8)
# A ratio to the baseline this much worse than the committed one is a loss.
LOSS = 0.15
IMPORT_PAGE = "GPX import (10,000 points)"


def _track(points: int) -> bytes:
    """A run recorded yesterday as a GPX track of `points` points (the tests' sample maker)."""
    from tests.assessments.training.samples.make_samples import Sample, gpx  # noqa: PLC0415 -- only when measured

    started = datetime.datetime.now(datetime.UTC).replace(microsecond=0) - datetime.timedelta(days=1)
    return gpx(Sample(started, 10_000, 3_000, 40, 86), points=points)


def _log(message: str) -> None:
    print(f"bench: {message}", flush=True)


def _ensure_database(url: str) -> None:
    import psycopg  # noqa: PLC0415 -- the venv's driver, only here
    from psycopg import sql  # noqa: PLC0415

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _commit() -> str:
    """The code measured: BENCH_COMMIT, or the checkout's commit (with "+" when it has local changes)."""
    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"]
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 -- git from PATH, as make finds it
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607 -- as above
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+" if dirty.stdout.strip() else "")


def _reachable(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 2).close()
    except OSError:
        return False
    return True


def _has_demo(url: str) -> bool:
    import psycopg  # noqa: PLC0415 -- the venv's driver, only here

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        return (
            conn.execute("SELECT 1 FROM staff_user WHERE email = 'desk@stride.example'").fetchone()
            is not None
        )


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603 -- our own venv


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The throughput each page must keep, as a share of the baseline page's in the same run
# (the heaviest clinical pages get a lower bar), and the p95 growth allowed from 1,000 patients.
RPS_TARGET = 0.25
RPS_TARGET_HEAVY = {"assessment edit": 0.15, "progress": 0.15}
P95_GROWTH = 1.5


def _rss_mb(pid: int) -> dict[str, float]:
    """Resident memory (MiB) of a process and its children, from /proc (Linux)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if int(entry.name) == pid or parent == pid:
            rss = next((line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")), "0")
            found["master" if int(entry.name) == pid else f"worker {entry.name}"] = round(int(rss) / 1024, 1)
    return found


def _small_run(out_dir: Path, patients: int) -> dict | None:
    """The newest committed 1,000-patient run, to compare p95 against (none for that run itself)."""
    if patients <= 1000:
        return None
    runs = sorted(out_dir.glob("*-1000.json"))
    return json.loads(runs[-1].read_text()) if runs else None


def _verdict(name: str, c: int, cell: dict, small: dict | None) -> str:
    target = RPS_TARGET_HEAVY.get(name, RPS_TARGET)
    misses = []
    if cell.get("rps_ratio") is not None and cell["rps_ratio"] < target:
        misses.append(f"rps < {target} × baseline")
    growth = _growth(name, c, cell, small)
    if growth is not None and growth > P95_GROWTH:
        misses.append(f"p95 > {P95_GROWTH} × 1k")
    return "misses: " + ", ".join(misses) if misses else "meets"


def _growth(name: str, c: int, cell: dict, small: dict | None) -> float | None:
    if small is None:
        return None
    for page in small["pages"]:
        if page["name"] == name and "cells" in page:
            before = page["cells"][str(c)]["p95_ms"]
            return round(cell["p95_ms"] / before, 2) if before else None
    return None


def _ratio(page: dict, base: dict) -> float | None:
    if not page.get("p50_ms") or not base.get("p50_ms"):
        return None
    return round(page["p50_ms"] / base["p50_ms"], 2)


def _markdown(result: dict, small: dict | None = None) -> str:
    lines = [
        f"# Bench {result['date']}: {result['patients']:,} patients, {result['seconds']} s per cell",
        "",
        f"gunicorn 2 sync workers, DEBUG=0, on {result['machine']}. Baseline p50: "
        + ", ".join(
            f"c{c} {result['baseline'][str(c)]['p50_ms']} ms"
            for c in CONCURRENCY
            if str(c) in result["baseline"]
        ),
        "",
        f"Sessions: {result.get('sessions', 'database')}. Targets: rps ≥ {RPS_TARGET} × the baseline's "
        f"({', '.join(f'{k} {v}' for k, v in RPS_TARGET_HEAVY.items())}), p95 ≤ {P95_GROWTH} × the 1,000-patient run's"
        + (
            f" ({small['date']}, commit {small.get('commit', '?')})."
            if small
            else " (no 1,000-patient run to compare)."
        ),
        "",
        "| page | c | rps | × baseline rps | p50 ms | p95 ms | p99 ms | p95 ÷ 1k | errors | queries | db ms | KiB "
        "| × baseline p50 | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page in result["pages"]:
        if "skipped" in page:
            lines.append(f"| {page['name']} | – | skipped: {page['skipped']} ||||||||||||")
            continue
        for c in CONCURRENCY:
            cell = page["cells"][str(c)]
            kib = f"{cell['bytes'] / 1024:.0f}" if cell["bytes"] else "–"
            growth = _growth(page["name"], c, cell, small)
            lines.append(
                f"| {page['name']} | {c} | {cell['rps']} | {cell.get('rps_ratio', '–')} | {cell['p50_ms']} "
                f"| {cell['p95_ms']} | {cell['p99_ms']} | {growth if growth is not None else '–'} "
                f"| {cell['errors']} | {cell['queries']} | {cell['query_ms']} | {kib} | {cell['ratio']} "
                f"| {_verdict(page['name'], c, cell, small)} |"
            )
    if result.get("rss_mb"):
        lines += [
            "",
            "Resident memory after the run (MiB): "
            + ", ".join(f"{k} {v}" for k, v in result["rss_mb"].items()),
        ]
    return "\n".join(lines) + "\n"


def _compare(result: dict, path: Path) -> list[str]:
    """Pages whose ratio to the baseline grew more than LOSS over the committed ratios."""
    if not path.exists():
        return []
    committed = json.loads(path.read_text())
    losses = []
    for page in result["pages"]:
        for c, cell in page.get("cells", {}).items():
            before = committed.get(f"{result['patients']}", {}).get(page["name"], {}).get(c)
            if before and cell["ratio"] and cell["ratio"] > before * (1 + LOSS):
                losses.append(
                    f"{page['name']} (c{c}): {cell['ratio']}× baseline, was {before}× "
                    f"({(cell['ratio'] / before - 1) * 100:.0f} % slower)"
                )
    return losses


def _accept(result: dict, path: Path) -> None:
    """Make this run's ratios the ones later runs are compared with (for its N only)."""
    committed = json.loads(path.read_text()) if path.exists() else {}
    committed[str(result["patients"])] = {
        page["name"]: {c: cell["ratio"] for c, cell in page["cells"].items()}
        for page in result["pages"]
        if "cells" in page
    }
    path.write_text(json.dumps(committed, indent=1, sort_keys=True) + "\n")


def _link_session(host: str, port: int, link: dict, owner: dict[str, str]) -> Session:
    """A patient's browser that opened the link, passed the identity check and gave the emailed code."""
    session = Session(host, port)
    response = session.get(link["start"])
    if response.status not in (200, 302):
        raise RuntimeError(f"the link answered HTTP {response.status}")
    born = datetime.date.fromisoformat(link["dob"])
    response = session.submit(
        link["check"],
        {
            "last_name": link["last_name"],
            "dob_day": str(born.day),
            "dob_month": str(born.month),
            "dob_year": str(born.year),
            "date_of_birth": born.isoformat(),
        },
    )
    if response.status != 302:
        raise RuntimeError(f"the identity check answered HTTP {response.status}")
    if response.location.rstrip("/").endswith("/code"):
        # A new browser: the code the server just emailed, read from the email as the patient would.
        code = subprocess.run(  # noqa: S603 -- our own venv
            [PYTHON, "-m", "bench.linkcode"], cwd=ROOT, env=owner, capture_output=True, text=True, check=False
        )
        if code.returncode != 0:
            raise RuntimeError(f"no one-time code to give: {code.stderr.strip()[-200:]}")
        response = session.submit(response.location, {"code": code.stdout.strip()})
        if response.status != 302:
            raise RuntimeError(f"the one-time code was refused (HTTP {response.status})")
    return session


def main() -> int:
    quick = os.environ.get("BENCH_QUICK") == "1"
    patients = int(os.environ.get("BENCH_PATIENTS", "200" if quick else "100000"))
    seconds = float(os.environ.get("BENCH_SECONDS", "1" if quick else "10"))
    database = os.environ.get("DATABASE_URL") or DEFAULT_DB
    out_dir = Path(os.environ.get("BENCH_RESULTS", ROOT / "bench" / "results"))
    # The server's var directory (static files, gunicorn.log, targets.json).
    var = Path(os.environ.get("BENCH_VAR", ROOT / "var" / "bench"))
    var.mkdir(parents=True, exist_ok=True)
    base_env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}  # noqa: S108
    owner = {
        **base_env,
        "DEBUG": "1",
        "DATABASE_URL": database,
        "CELERY_BROKER_URL": "memory://",
        "STRIDE_VAR_DIR": str(var),
    }

    _ensure_database(database)
    _log(f"database {urllib.parse.urlsplit(database).path.lstrip('/')}: migrate, demo, {patients:,} patients")
    _manage(owner, "migrate", "--noinput", "-v0")
    # demo_load is idempotent but reads every patient to prove it: once is enough.
    if not _has_demo(database):
        _manage(owner, "demo_load")
    started = time.monotonic()
    _manage(owner, "seed_scale", "--patients", str(patients))
    seed_seconds = round(time.monotonic() - started)
    targets_file = var / "targets.json"
    subprocess.run([PYTHON, "-m", "bench.targets", str(targets_file)], cwd=ROOT, env=owner, check=True)  # noqa: S603
    targets = json.loads(targets_file.read_text())

    port = _free_port()
    server_env = {
        **base_env,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database,
        "CELERY_BROKER_URL": "memory://",
        "STRIDE_VAR_DIR": str(var),
        "BEHIND_TLS_PROXY": "0",
        # Plain HTTP on loopback: no TLS redirect, no HSTS.
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        # Every cell of the patient pages passes the identity check from one address.
        "INTAKE_CHECKS_PER_IP_PER_HOUR": "1000000",
        "BENCH_PAGES": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    # Sessions and rate limits on the shared Redis cache, as production runs them (cached_db
    # sessions: no session query per request); without a reachable Redis, sessions stay in the database.
    cache_url = os.environ.get("BENCH_CACHE_URL", DEFAULT_CACHE)
    if cache_url and _reachable(cache_url):
        server_env["CACHE_URL"] = cache_url
    else:
        _log(f"no cache at {cache_url or '(none)'}: sessions are read from the database on every request")
    subprocess.run(  # noqa: S603 -- our own venv
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=server_env, check=True
    )
    log = (var / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603 -- our own venv
        [GUNICORN, "-c", "compose/gunicorn.conf.py", "clinic.wsgi:application"],
        cwd=ROOT,
        env=server_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(120):
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("gunicorn did not start: see var/bench/gunicorn.log")
        _log(f"serving on 127.0.0.1:{port} (DEBUG=0, 2 workers); {seconds:g} s per cell")
        # The code's HMAC is keyed with the server's SECRET_KEY: the reader of the email needs the same one.
        result = _measure(targets, port, seconds, {**owner, "SECRET_KEY": server_env["SECRET_KEY"]})
        result["rss_mb"] = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    result.update(
        date=datetime.datetime.now(datetime.UTC).date().isoformat(),
        patients=patients,
        seconds=seconds,
        seed_seconds=seed_seconds,
        quick=quick,
        sessions="cached_db on the shared Redis cache" if "CACHE_URL" in server_env else "database",
        commit=_commit(),
        machine=f"{platform.machine()} × {os.cpu_count()} CPUs, Python {platform.python_version()}",
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"{result['date']}-{patients}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=1) + "\n")
    table = _markdown(result, _small_run(out_dir, patients))
    stem.with_suffix(".md").write_text(table)
    print(table)
    ratios_file = ROOT / "bench" / "baseline-ratios.json"
    losses = _compare(result, ratios_file)
    if os.environ.get("BENCH_ACCEPT") == "1":
        _accept(result, ratios_file)
        _log(f"ratios of this run written to {ratios_file.relative_to(ROOT)} for N = {patients}")
    if losses:
        print("!" * 72)
        print(
            f"!!! LOSS: {len(losses)} page(s) more than {LOSS:.0%} slower against the baseline than committed:"
        )
        for line in losses:
            print(f"!!!   {line}")
        print("!" * 72)
    _log(f"results in {stem}.json and .md")
    return 0


def _measure(targets: dict, port: int, seconds: float, owner: dict[str, str]) -> dict:
    host = "127.0.0.1"
    sessions = {}
    for role, email in targets["logins"].items():
        session = Session(host, port)
        sign_in(session, email, targets["password"], targets["totp_key"])
        sessions[role] = session
    anonymous = Session(host, port)
    pages: list[dict] = []
    jobs = []
    for page in targets["pages"]:
        session = sessions[page["role"]]
        fields = None
        if page["method"] == "POST":
            token = [
                (k, v) for k, v in form_fields(session.get(page["path"]).text) if k == "csrfmiddlewaretoken"
            ]
            fields = token + list(page["form"].items())
        jobs.append((page["name"], page["role"], page["method"], page["path"], fields, 200, session, None))
    for name, link in targets["links"].items():
        label = "check-in page" if name == "checkin" else "intake step POST"
        if "skip" in link:
            pages.append({"name": label, "skipped": link["skip"]})
            continue
        try:
            session = _link_session(host, port, link, owner)
            if name == "checkin":
                jobs.append((label, "patient", "GET", link["page"], None, 200, session, None))
                if "import" in link:
                    # A watch's 10,000-point GPX track uploaded, read in memory and previewed (302 to
                    # the preview): the whole parse happens within this request.
                    token = [
                        (k, v)
                        for k, v in form_fields(session.get(link["import"]).text)
                        if k == "csrfmiddlewaretoken"
                    ]
                    upload = [("uploads", "watch.gpx", _track(10_000))]
                    jobs.append((IMPORT_PAGE, "patient", "POST", link["import"], token, 302, session, upload))
            else:
                step = session.get(link["page"])
                path = step.location or link["page"]
                # "Back" from the first step: the answers so far are saved as a draft
                # (the step's full write path, whatever the answers) and the step redirects.
                fields = [(k, v) for k, v in form_fields(session.get(path).text) if k != "action"]
                jobs.append(
                    (label, "patient", "POST", path, [*fields, ("action", "back")], 302, session, None)
                )
        except RuntimeError as exc:
            pages.append({"name": label, "skipped": str(exc)})
            _log(f"{label} skipped: {exc}")
    baseline: dict[str, dict] = {}
    for name, role, method, path, fields, expect, session, files in jobs:
        cells = {}
        for c in CONCURRENCY:
            base = run_cell(
                anonymous, "GET", "/bench/baseline", None, concurrency=c, seconds=seconds, cookies=False
            )
            base_summary = base.summary()
            baseline.setdefault(str(c), base_summary)
            cell = run_cell(
                session, method, path, fields, concurrency=c, seconds=seconds, expect=expect, files=files
            ).summary()
            cell["baseline_p50_ms"] = base_summary["p50_ms"]
            cell["baseline_rps"] = base_summary["rps"]
            cell["ratio"] = _ratio(cell, base_summary)
            cell["rps_ratio"] = round(cell["rps"] / base_summary["rps"], 3) if base_summary["rps"] else None
            cells[str(c)] = cell
        _log(
            f"{name:<22} c1 p50 {cells['1']['p50_ms']} ms ({cells['1']['queries']} queries), "
            f"c8 {cells['8']['rps']} rps, errors {cells['1']['errors'] + cells['8']['errors']}"
        )
        pages.append({"name": name, "role": role, "method": method, "path": path, "cells": cells})
    one = {
        str(c): run_cell(
            anonymous, "GET", "/bench/one-query", None, concurrency=c, seconds=seconds, cookies=False
        ).summary()
        for c in CONCURRENCY
    }
    return {"baseline": baseline, "one_query": one, "pages": pages}


if __name__ == "__main__":
    sys.exit(main())
