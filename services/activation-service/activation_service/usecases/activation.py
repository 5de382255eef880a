"""Switching packages on: one student at a time, or from an approval."""

from __future__ import annotations

import dataclasses
import logging
import uuid
from dataclasses import dataclass

from hoclieu_shared.consumer import PoisonMessage
from hoclieu_shared.events import Envelope, RegistrationApproved
from hoclieu_shared.vn.text import clean_text
from sqlalchemy.ext.asyncio import AsyncSession

from ..adapters import activations as store
from ..adapters import students as roster
from ..adapters.catalogue import packages_by_code
from ..adapters.sql import now
from ..domain import errors
from ..domain.activation import package_problems, unique_codes
from ..domain.events import package_activated, student_updated
from ..domain.model import Package, Student
from ..domain.parents import Parent, parent_changed, parent_for_activation
from .accounts import ensure_account
from .catalogue import current_school_year
from .context import Context, announce

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ActivationRequest:
    """What the IT officer entered for one student."""

    parent_name: str | None
    parent_phone: str | None
    package_codes: list[str]
    school_year: str | None
    actor: str


@dataclass(frozen=True)
class ActivationOutcome:
    """The student after an activation and what it changed."""

    student: Student
    school_year: str
    packages: list[str]
    activated: list[str]
    already_active: list[str]
    account_created: bool
    notes: list[str]


async def activate_for_student(ctx: Context, school: str, student_code: str,
                               request: ActivationRequest) -> ActivationOutcome:
    """Individual activation: check, store the parent, activate, announce."""
    codes = unique_codes(request.package_codes)
    async with ctx.db.session() as session, session.begin():
        student = await _student(session, school, student_code)
        year = await current_school_year(session, ctx.settings.school_year,
                                         request.school_year)
        parent = parent_for_activation(student, request.parent_name,
                                       request.parent_phone)
        packages = await _allowed_packages(session, codes, student, year)
        student, created = await _prepare(session, student, parent, bool(codes))
        activated = await _activate(session, student, packages,
                                    by=request.actor, via="manual",
                                    registration_id=None)
        active = await _active(session, student, year)
    return ActivationOutcome(
        student, year, active, activated,
        [c for c in codes if c not in activated], created,
        [parent.note] if parent.note else [])


async def _student(session: AsyncSession, school: str, code: str) -> Student:
    student = await roster.get_student(session, school, code)
    if student is None:
        raise errors.student_not_found(code)
    return student


async def _allowed_packages(session: AsyncSession, codes: list[str],
                            student: Student, year: str) -> list[Package]:
    catalogue = await packages_by_code(session, year, codes)
    problems = package_problems(codes, catalogue, student.grade, year)
    if problems:
        raise errors.packages_refused([p.as_dict() for p in problems])
    return [catalogue[c] for c in codes]


async def _prepare(session: AsyncSession, student: Student, parent: Parent,
                   needs_account: bool) -> tuple[Student, bool]:
    """Store the parent and make the account; announce the student once."""
    changed = parent_changed(student, parent)
    if changed:
        await roster.set_parent(session, student.id, parent.name, parent.phone)
        student = dataclasses.replace(student, parent_name=parent.name,
                                      parent_phone=parent.phone)
    created = False
    if needs_account:
        with_account, created = await ensure_account(session, student)
        student = dataclasses.replace(student, account=with_account.account)
    if changed or created:
        announce(session, student.school_code, student_updated(student))
    return student, created


async def _activate(session: AsyncSession, student: Student,
                    packages: list[Package], *, by: str, via: str,
                    registration_id: uuid.UUID | None) -> list[str]:
    """Activate the packages not yet active; announce each new one."""
    stamp, activated = now(), []
    for package in packages:
        values = store.activation_values(
            school=student.school_code, student=student,
            school_year=package.school_year, package_code=package.code,
            activated_by=by, via=via, registration_id=registration_id,
            activated_at=stamp)
        if await store.add_activation(session, values):
            activated.append(package.code)
            announce(session, student.school_code, package_activated(
                activation_id=values["id"], student=student, package=package,
                activated_by=by, via=via, registration_id=registration_id,
                activated_at=stamp))
    return activated


async def _active(session: AsyncSession, student: Student, year: str) -> list[str]:
    found = await store.active_codes(session, student.school_code,
                                     [student.code], year)
    return found.get(student.code, [])


async def activate_approved(session: AsyncSession, envelope: Envelope,
                            body: RegistrationApproved) -> None:
    """Consumer of RegistrationApproved: activate what the vendor approved."""
    school = envelope.school_code
    student = await roster.get_student(session, school or "", body.student_code)
    if student is None:
        raise PoisonMessage(f"no student {body.student_code} in school {school}")
    codes = unique_codes(body.package_codes)
    catalogue = await packages_by_code(session, body.school_year, codes)
    missing = [c for c in codes if c not in catalogue]
    if missing:
        raise PoisonMessage(f"packages {missing} not in the {body.school_year} "
                            "catalogue")
    student, _ = await _prepare(session, student, _approved_parent(student, body),
                                needs_account=True)
    activated = await _activate(
        session, student, [catalogue[c] for c in codes], by=body.approved_by,
        via="import", registration_id=body.registration_id)
    log.info("Registration %s of %s:%s activated %d of %d package(s)",
             body.registration_id, school, body.student_code, len(activated),
             len(codes), extra={"event_id": str(envelope.id), "school": school})


def _approved_parent(student: Student, body: RegistrationApproved) -> Parent:
    # The import normalised the phone already; a field the registration left
    # empty keeps what is on record.
    name = clean_text(body.parent_name or "") or student.parent_name
    return Parent(name, body.parent_phone or student.parent_phone)
