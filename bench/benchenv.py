"""Shared set-up of the benchmarks. Importing it points Django at a fresh temporary SQLite database (or at
BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/cityhall_bench) with the test settings;
``prepare()`` then sets Django up, migrates, and records queries."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="cityhall-bench-")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityhall.settings.test")


def prepare(record_queries=True):
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    settings.MEDIA_ROOT = TMP
    setup_test_environment()
    settings.DEBUG = record_queries  # DEBUG makes connection.queries record each query
    call_command("migrate", verbosity=0, interactive=False)
