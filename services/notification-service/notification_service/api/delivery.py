"""Delivery overview for schools and operations."""

from __future__ import annotations

from fastapi import APIRouter

from hoclieu_shared.auth import (
    OPERATOR,
    CurrentPrincipal,
    require_role,
    require_school,
)

from ..adapters import store
from .deps import Db, SchoolCode
from .schemas import DeliverySummary

router = APIRouter(tags=["delivery"])


@router.get("/api/v1/schools/{school}/notifications/delivery")
async def school_delivery(school: SchoolCode, principal: CurrentPrincipal,
                          db: Db) -> DeliverySummary:
    """Created, delivered and read counts of a school, and the median delay."""
    require_school(principal, school)
    async with db.session() as session:
        figures = await store.delivery_summary(session, school)
    return DeliverySummary(school_code=school, **figures)


@router.get("/api/v1/notifications/delivery")
async def all_delivery(principal: CurrentPrincipal, db: Db) -> DeliverySummary:
    """The same figures over every school, for vendor operators."""
    require_role(principal, OPERATOR)
    async with db.session() as session:
        figures = await store.delivery_summary(session, None)
    return DeliverySummary(school_code=None, **figures)
