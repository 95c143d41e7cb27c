"""What `make bench` measures against (bench/README.md); installed only with BENCH_PAGES=1.

Two floor pages, `/bench/baseline` (a small template, no query) and
`/bench/one-query` (the same with one query), show what the server costs
before any page does work; every page's time is read against them. A
middleware puts each response's SQL query count and database time in
`X-Bench-Queries` and `X-Bench-Query-Ms`, so the client counts queries
over HTTP, with DEBUG off as in production.
"""

import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from clinic.staff.models import Location


class QueryCountMiddleware:
    """Counts the SQL statements (and their time) of each request, outermost, so nothing escapes it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tally = {"queries": 0, "seconds": 0.0}

        def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                tally["queries"] += 1
                tally["seconds"] += time.perf_counter() - started

        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(tally["queries"])
        response["X-Bench-Query-Ms"] = f"{tally['seconds'] * 1000:.2f}"
        return response


@login_not_required
@require_GET
def baseline(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/baseline.html", {"rows": range(20)})


@login_not_required
@require_GET
def one_query(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/baseline.html", {"rows": range(20), "sites": Location.objects.count()})
