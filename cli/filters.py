"""The search options every search-shaped command takes, one per facet of the field registry.

Naming rule: a facet is the option ``--<facet key>`` with ``_`` written ``-`` — the same name as the API's
filter parameter (``--doc-type``, ``--persons``, ``--laws``) — and also ``--<query name>``, the name the query
language gives it (``--type`` as in ``type:sentencia``, ``--person`` as in ``person:quispe``). Repeat an
option for several values: values of one facet combine with OR, facets with AND. ``--year`` also takes a
range, ``--year 2015..2020`` (or ``--year-from``/``--year-to``).

A new field in ``docsearch.fields.REGISTRY`` is a new option here without a change to this module.
"""

from __future__ import annotations

import functools
import inspect
import typing
from dataclasses import dataclass
from typing import Annotated, Callable, Optional

import typer

from docsearch.fields import REGISTRY, Field, Registry
from docsearch.search import SearchRequest

_PREFIX = "filter__"


def option_names(field: Field) -> tuple[str, ...]:
    """``--doc-type`` and ``--type``: the facet key (the API's parameter), then the query language's name."""
    names = [f"--{field.key.replace('_', '-')}"]
    if field.query and f"--{field.query.replace('_', '-')}" not in names:
        names.append(f"--{field.query.replace('_', '-')}")
    return tuple(names)


def _help(field: Field) -> str:
    extra = " A range: 2015..2020." if field.kind == "year" else ""
    return f"{(field.help or field.label_en).rstrip('.')}; repeatable.{extra}"


@dataclass(frozen=True)
class Filters:
    """What the facet options and the year range chose."""

    values: dict[str, list[str]]
    year_from: int | None = None
    year_to: int | None = None

    def request(self, q: str, **params) -> SearchRequest:
        return SearchRequest.create(q=q, filters=self.values, year_from=self.year_from, year_to=self.year_to,
                                    **params)

    def describe(self) -> dict:
        out: dict = {key: list(values) for key, values in self.values.items() if values}
        if self.year_from is not None:
            out["year_from"] = self.year_from
        if self.year_to is not None:
            out["year_to"] = self.year_to
        return out


def parse_years(values: list[str], year_from: int | None, year_to: int | None) -> tuple[list[str], int | None, int | None]:
    """``--year`` values: whole years stay filters; ``A..B`` (either side may be empty) becomes the range."""
    years = []
    for value in values:
        if ".." in value:
            low, _, high = (part.strip() for part in value.partition(".."))
            try:
                year_from = int(low) if low else year_from
                year_to = int(high) if high else year_to
            except ValueError:
                raise typer.BadParameter(f"a year range is written 2015..2020, not '{value}'") from None
        else:
            years.append(value.strip())
    return years, year_from, year_to


def with_filters(registry: Registry = REGISTRY) -> Callable[[Callable], Callable]:
    """Give a command one repeatable option per facet of ``registry``, and pass it ``filters: Filters``.

    The command takes ``filters`` and ``year_from``/``year_to`` are added here; typer reads the generated
    signature as if each option had been written out."""

    def decorate(command: Callable) -> Callable:
        hints = typing.get_type_hints(command, include_extras=True)
        own = [p.replace(annotation=hints.get(name, p.annotation))
               for name, p in inspect.signature(command).parameters.items() if name != "filters"]
        taken = {p.name for p in own}
        if {"year_from", "year_to"} & taken:
            raise ValueError("with_filters adds year_from/year_to itself")
        added = [inspect.Parameter(_PREFIX + f.key, inspect.Parameter.KEYWORD_ONLY, default=None,
                                   annotation=Annotated[Optional[list[str]],
                                                        typer.Option(*option_names(f), help=_help(f),
                                                                     rich_help_panel="Filters")])
                 for f in registry.facets]
        added += [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                    annotation=Annotated[Optional[int], typer.Option(help=text,
                                                                                     rich_help_panel="Filters")])
                  for name, text in (("year_from", "From this year (inclusive)."),
                                     ("year_to", "Up to this year (inclusive)."))]
        params = own

        @functools.wraps(command)
        def wrapper(**kwargs):
            values = {f.key: list(kwargs.pop(_PREFIX + f.key) or []) for f in registry.facets}
            year_from, year_to = kwargs.pop("year_from"), kwargs.pop("year_to")
            year_keys = [f.key for f in registry.facets if f.kind == "year"]
            for key in year_keys:
                values[key], year_from, year_to = parse_years(values[key], year_from, year_to)
            return command(filters=Filters({k: v for k, v in values.items() if v}, year_from, year_to), **kwargs)

        del wrapper.__wrapped__  # typer must read the generated signature, not the command's
        wrapper.__signature__ = inspect.Signature(params + added)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in params + added}
        return wrapper

    return decorate


NO_FILTERS = Filters({})  # the default of a command's ``filters`` (with_filters always passes its own)
