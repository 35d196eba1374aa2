"""Pagination that stays fast with a million rows: counts stop at a cap, and a list that is the union of
disjoint parts is read from each part's index rather than sorted whole for every page."""

import math
from collections.abc import Callable, Sequence
from operator import itemgetter

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts at most `cap` rows: COUNT(*) over a busy office's two hundred thousand arrivals costs more
    than the page itself, and no officer reads page 201 of a list (they filter it). Past the cap the
    pages say "more than 10,000" and stop at the cap's last page."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        """The number of rows, or cap + 1 when there are more than `cap`."""
        counted = getattr(self.object_list, "count_upto", None)
        if counted is not None:
            return counted(self.cap + 1)
        # Without its ordering: a count needs no sort.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        if self.is_capped:
            return math.ceil(self.cap / self.per_page)
        return super().num_pages


class OrderedParts:
    """Disjoint querysets read as one list in one order, each part from its own index.

    PostgreSQL cannot walk two indexes in step to serve `A OR B ORDER BY ... LIMIT 50`; it reads and
    sorts every row of both. Here a slice takes the first `stop` sort keys of each part (an index scan
    that stops there), merges them in Python and fetches only the slice's rows with `fetch(pks)`: a
    fixed number of queries, each reading no further than the page. `ordering` must end with the
    primary key, so that the order is total. Paginators (Django's, DRF's) read it like a queryset."""

    ordered = True

    def __init__(self, parts: Sequence[QuerySet], ordering: Sequence[str], fetch: Callable[[list], QuerySet]):
        self.ordering = list(ordering)
        self.fields = [name.lstrip("-") for name in self.ordering]
        if self.fields[-1] not in ("pk", "id"):
            raise ValueError("The ordering must end with the primary key.")
        self.parts = [part.order_by(*self.ordering) for part in parts]
        self.fetch = fetch

    def count(self) -> int:
        return sum(part.order_by().count() for part in self.parts)

    def count_upto(self, limit: int) -> int:
        """The number of rows, counting no further than `limit`."""
        total = 0
        for part in self.parts:
            if total >= limit:
                break
            total += part.order_by()[: limit - total].count()
        return total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None or index.stop is None:
            raise TypeError("OrderedParts supports slices with a start and a stop only.")
        start, stop = index.start or 0, index.stop
        if stop <= start:
            return []
        keys = []
        for part in self.parts:
            keys.extend(part.values_list(*self.fields)[:stop])
        # Stable sorts from the last field to the first give the mixed directions of the ordering.
        for position in reversed(range(len(self.fields))):
            keys.sort(key=itemgetter(position), reverse=self.ordering[position].startswith("-"))
        pks = [key[-1] for key in keys[start:stop]]
        rows = {row.pk: row for row in self.fetch(pks)}
        return [rows[pk] for pk in pks if pk in rows]
