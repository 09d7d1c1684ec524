"""Time the library's search on PostgreSQL: 20,000 documents, each with ~2 KB of text.

Run from the project root: `.venv/bin/python benchmarks/library_search.py` (or
`make benchmarks`) with DATABASE_URL pointing at PostgreSQL. It creates a throw-away
test database (test_<name>), fills it, times one library page (count + 20 rows + their
files) for a rare and a common word, prints the plan, and drops the database.
"""

import os
import pathlib
import random
import statistics
import sys
import time

import django

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanjose.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

DOCUMENTS, WORDS_PER_DOCUMENT, RUNS = 20_000, 300, 5
VOCABULARY = [
    "niñez",
    "explotación",
    "sexual",
    "turismo",
    "viajes",
    "migrantes",
    "protección",
    "datos",
    "consulta",
    "regional",
    "children",
    "exploitation",
    "travel",
    "tourism",
    "migration",
    "protection",
    "data",
    "consultation",
    "regional",
    "plataformas",
    "alojamiento",
    "prevención",
    "justicia",
    "víctimas",
    "gobierno",
    "sociedad",
    "civil",
    "sector",
    "platforms",
    "accommodation",
    "prevention",
    "justice",
    "victims",
    "government",
    "society",
    "private",
    "sector",
]


def fill() -> None:
    from documents.models import Category, Document
    from events.models import Event

    rng = random.Random(7)
    event = Event.objects.create(
        name="Bench", slug="bench", start_date="2024-06-03", end_date="2024-06-07",
        city="San José", country="CR",
    )  # fmt: skip
    category = Category.objects.get(slug="background-report")
    batch = []
    for n in range(DOCUMENTS):
        words = rng.choices(VOCABULARY, k=WORDS_PER_DOCUMENT)
        if n % 100 == 0:
            words.append("trabajadoras")  # the rare word: 1 % of the documents
        batch.append(
            Document(
                event=event,
                category=category,
                title_en=f"Report {n}",
                access="public",
                is_published=True,
                published_at=f"2024-05-{1 + n % 28:02}T12:00:00Z",
                search_text=" ".join(words),
            )  # fmt: skip
        )
    Document.objects.bulk_create(batch, batch_size=2000)
    with connection.cursor() as cursor:  # what services.refresh_search_text writes
        cursor.execute(
            "UPDATE documents_document SET search_vector = "
            "to_tsvector('english'::regconfig, unaccent(search_text)) || "
            "to_tsvector('spanish'::regconfig, unaccent(search_text))"
        )
        cursor.execute("ANALYZE documents_document")


def time_page(query: str) -> tuple[list[float], int]:
    from django.core.paginator import Paginator

    from documents.selectors import LibraryFilters, library_documents
    from sanjose.access import ANONYMOUS

    runs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        documents = library_documents(viewer=ANONYMOUS, filters=LibraryFilters(query=query))
        page = Paginator(documents, 20).get_page(1)
        list(page.object_list)
        runs.append(time.perf_counter() - started)
    return runs, page.paginator.count


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: this measures its full-text search.")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        fill()
        print(f"library search over {DOCUMENTS} documents of {WORDS_PER_DOCUMENT} words")
        for query in ("trabajador", "turismo"):
            runs, count = time_page(query)
            print(
                f"q={query!r}: {count} hits; page of 20 in median "
                f"{statistics.median(runs) * 1000:.0f} ms (best {min(runs) * 1000:.0f} ms)"
            )
        from documents.selectors import LibraryFilters, library_documents
        from sanjose.access import ANONYMOUS

        plan = library_documents(
            viewer=ANONYMOUS, filters=LibraryFilters(query="trabajador")
        ).explain()
        scans = [line.strip(" ->") for line in plan.splitlines() if "Scan" in line]
        print("plan for the rare word:", "; ".join(scans))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
