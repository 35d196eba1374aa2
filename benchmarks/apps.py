from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """Tools for measuring the product, not part of it: `manage.py generate_national` fills a
    PostgreSQL database with synthetic national data (benchmarks.synthetic) for the scripts beside it
    (run.py, import_arrivals.py, locustfile.py). It has no models, pages or URLs."""

    name = "benchmarks"
    verbose_name = "Benchmarks"
