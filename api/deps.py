"""FastAPI dependencies as typed aliases; one engine client per API process."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import Depends

from docsearch.engine import Engine
from docsearch.search import SearchService
from docsearch.settings import Settings, get_settings


@lru_cache(maxsize=1)
def _engine() -> Engine:
    return Engine.connect(get_settings())


def get_engine() -> Engine:
    return _engine()


def get_search(engine: Annotated[Engine, Depends(get_engine)]) -> SearchService:
    return SearchService(engine, get_settings())


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SearchDep = Annotated[SearchService, Depends(get_search)]
