"""The slowest SQL query of each bench page, with its plan (run with Django, as the database's owner).

    DEBUG=1 DATABASE_URL=… python -m bench.explain var/bench/targets.json [PAGE …]

Each page of the targets file (written by `make bench`) is rendered once in
this process through Django's test client, signed in as its role with the
second factor; every query is timed, and the slowest is run again under
EXPLAIN (ANALYZE, BUFFERS). What bench/README.md says about slow pages
comes from here.
"""

# The Django imports follow django.setup(), inside main.
# ruff: noqa: PLC0415

import json
import os
import sys
import time
from pathlib import Path


def main(targets_file: Path, only: list[str]) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clinic.staff.models import User

    targets = json.loads(targets_file.read_text())
    clients = {}
    for role, email in targets["logins"].items():
        user = User.objects.get(email=email)
        client = Client()
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
        session.save()
        clients[role] = client
    with override_settings(ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS]):
        for page in targets["pages"]:
            if only and page["name"] not in only:
                continue
            timings: list[tuple[float, str, object]] = []

            def timed(execute, sql, params, many, context, timings=timings):
                started = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    timings.append((time.perf_counter() - started, sql, params))

            client = clients[page["role"]]
            with connection.execute_wrapper(timed):
                if page["method"] == "POST":
                    response = client.post(page["path"], page["form"])
                else:
                    response = client.get(page["path"])
            total = sum(t for t, _, _ in timings) * 1000
            print(
                f"=== {page['name']} (HTTP {response.status_code}): {len(timings)} queries, {total:.1f} ms in SQL"
            )
            if not timings:
                continue
            took, sql, params = max(timings, key=lambda item: item[0])
            print(f"slowest: {took * 1000:.1f} ms\n{sql}\nparams: {params}")
            if sql.lstrip().upper().startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
                    print("\n".join(row[0] for row in cursor.fetchall()))
            print()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
