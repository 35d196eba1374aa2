"""The queries of one request, slowest first, each with PostgreSQL's EXPLAIN ANALYZE.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/national \
        .venv/bin/python benchmarks/explain.py chair /dasbor/ [--top 5]

The persona is one of run.py's (bp3mi, police, service, chair). For finding what a slow row of
run.py's table spends its time on.
"""

import argparse
import sys
import time

from run import personas  # first: run.py configures and sets Django up


def main(argv=None) -> int:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("persona", choices=["bp3mi", "police", "service", "chair"])
    parser.add_argument("path")
    parser.add_argument("--top", type=int, default=5, help="explain this many of the slowest queries")
    options = parser.parse_args(argv)
    user = personas()[options.persona]
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        client = Client()
        client.force_login(user)
        client.get(options.path)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            status = client.get(options.path).status_code
        total = (time.perf_counter() - started) * 1000
    queries = sorted(captured.captured_queries, key=lambda query: -float(query["time"]))
    print(f"{options.path} as {user.username}: {status}, {total:.1f} ms, {len(queries)} queries")
    for query in queries:
        print(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:150]}")
    with connection.cursor() as cursor:
        for query in queries[: options.top]:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            print("\n" + query["sql"])
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
