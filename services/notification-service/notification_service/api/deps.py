"""Short route signatures: the app's database, settings and notifier."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from hoclieu_shared.service import RuntimeDb

from ..adapters.live import Notifier
from ..settings import NotificationSettings


def _settings(request: Request) -> NotificationSettings:
    return request.app.state.settings


def _notifier(request: Request) -> Notifier:
    return request.app.state.notifier


Db = RuntimeDb
Settings = Annotated[NotificationSettings, Depends(_settings)]
LiveNotifier = Annotated[Notifier, Depends(_notifier)]
SchoolCode = Annotated[str, Path(min_length=1, max_length=50)]
StudentCode = Annotated[str, Path(min_length=1, max_length=50)]
