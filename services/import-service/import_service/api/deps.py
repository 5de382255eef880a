"""What the routes get from the app: settings, database, runtime."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from hoclieu_shared.service import RuntimeDb

from ..runtime import ImportRuntime
from ..settings import ImportSettings


def _runtime(request: Request) -> ImportRuntime:
    return request.app.state.runtime


def _settings(request: Request) -> ImportSettings:
    return request.app.state.settings


Runtime = Annotated[ImportRuntime, Depends(_runtime)]
Db = RuntimeDb
Settings = Annotated[ImportSettings, Depends(_settings)]
Limit = Annotated[int, Query(ge=1, le=500)]
# Rows of one import or registrations of one batch: a script may take them
# all at once; a batch never exceeds the sheet row limit.
RowLimit = Annotated[int, Query(ge=1, le=100_000)]
Offset = Annotated[int, Query(ge=0)]
