"""A search request and its limits: what a caller may ask, checked before anything reaches the engine."""

from __future__ import annotations

from dataclasses import dataclass

from docsearch.fields import REGISTRY, Registry

MAX_QUERY_CHARS = 1000
MAX_PAGE_SIZE = 100
MAX_RESULT_WINDOW = 10_000
SORTS = ("relevance", "date_desc", "date_asc")
FACET_SIZE = 10
MAX_FACET_SIZE = 100
MAX_FILTER_VALUES = 50
MODES = ("lexical", "semantic", "hybrid")


class InvalidQuery(ValueError):
    """A search request the user can fix; the message says how (``position``: where in the query)."""

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


class UnknownEntity(LookupError):
    """An entity id that names nothing the caller may read (told the same way whether it exists or not)."""


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    page: int = 1
    size: int = 10
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ((facet key, (value, ...)), ...)
    facets: bool = True
    sort: str = "relevance"
    search_after: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    mode: str | None = None  # lexical | semantic | hybrid; None: the setting default_search_mode
    # Collections left out unless the request chooses collections (an administrator hides them: docs/collections.md).
    hidden: tuple[str, ...] = ()

    @classmethod
    def create(cls, q: str = "", page: int = 1, size: int = 10, filters: dict[str, list[str]] | None = None,
               facets: bool = True, sort: str = "relevance", search_after: str | None = None,
               year_from: int | None = None, year_to: int | None = None, mode: str | None = None) -> SearchRequest:
        chosen = tuple((name, tuple(values)) for name, values in sorted((filters or {}).items()) if values)
        return cls(q=q or "", page=page, size=size, filters=chosen, facets=facets, sort=sort or "relevance",
                   search_after=search_after or None, year_from=year_from, year_to=year_to, mode=mode or None)

    def validate(self, registry: Registry = REGISTRY) -> SearchRequest:
        for name, values in self.filters:
            if name not in registry.facet_keys:
                raise InvalidQuery(f"Unknown filter '{name}'; filters are: {', '.join(registry.facet_keys)}.")
            if len(values) > MAX_FILTER_VALUES:
                raise InvalidQuery(f"At most {MAX_FILTER_VALUES} values per filter ('{name}' has {len(values)}).")
            if registry[name].kind == "year" and not all((str(v).isdigit() and len(str(v)) <= 4) or v == "none"
                                                         for v in values):
                raise InvalidQuery(f"{name} takes whole years, such as {name}=2019, or {name}=none for no year.")
        if len(self.q) > MAX_QUERY_CHARS:
            raise InvalidQuery(f"The query is {len(self.q)} characters long; the limit is {MAX_QUERY_CHARS}.")
        if self.mode is not None and self.mode not in MODES:
            raise InvalidQuery(f"mode is one of {', '.join(MODES)}.")
        if self.sort not in SORTS:
            raise InvalidQuery(f"sort is one of {', '.join(SORTS)}.")
        if self.page < 1:
            raise InvalidQuery("page starts at 1.")
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise InvalidQuery(f"size must be between 1 and {MAX_PAGE_SIZE}.")
        if self.search_after is None and self.page * self.size > MAX_RESULT_WINDOW:
            raise InvalidQuery(f"Results beyond the first {MAX_RESULT_WINDOW} cannot be paged to by number; "
                               "use search_after (next_search_after of the previous page).")
        for bound in (self.year_from, self.year_to):
            if bound is not None and not 0 <= bound <= 9999:
                raise InvalidQuery("year_from and year_to are years, such as 2019.")
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise InvalidQuery("year_from is after year_to.")
        return self
