"""The import-service's own tables (the outbox tables come from shared/).

Registration unit: one registration per student row of a batch (what the
school sees as one line of its sheet), with one child row per package. The
child rows carry the uniqueness rule: one live registration per school,
school year, student and package. Rejected choices leave that rule, so a
school can fix a rejected line and import it again.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Code = String(50)
Name = String(300)
Stamp = DateTime(timezone=True)


class Base(DeclarativeBase):
    """Declarative base of the import-service's tables."""

    metadata = MetaData(naming_convention=NAMING)


# --- read model, fed by events (consumers.py) -------------------------------


class School(Base):
    """A school as the activation-service last announced it."""

    __tablename__ = "schools"

    code: Mapped[str] = mapped_column(Code, primary_key=True)
    name: Mapped[str] = mapped_column(Name)
    province: Mapped[str | None] = mapped_column(Name)
    auto_approve: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(Stamp)


class Student(Base):
    """A student of the roster, with the parent the account knows."""

    __tablename__ = "students"

    school_code: Mapped[str] = mapped_column(Code, primary_key=True)
    code: Mapped[str] = mapped_column(Code, primary_key=True)
    full_name: Mapped[str] = mapped_column(Name)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    class_name: Mapped[str] = mapped_column(Code)
    grade: Mapped[int | None] = mapped_column(Integer)
    parent_name: Mapped[str | None] = mapped_column(Name)
    parent_phone: Mapped[str | None] = mapped_column(String(20))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(Stamp)


class Package(Base):
    """A package of the catalogue."""

    __tablename__ = "packages"

    code: Mapped[str] = mapped_column(Code, primary_key=True)
    name: Mapped[str] = mapped_column(Name)
    school_year: Mapped[str] = mapped_column(String(9), index=True)
    grades: Mapped[list[int]] = mapped_column(JSON)
    on_sale: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(Stamp)


class ActivePackage(Base):
    """A package switched on in a student's account (from PackageActivated)."""

    __tablename__ = "active_packages"

    school_code: Mapped[str] = mapped_column(Code, primary_key=True)
    school_year: Mapped[str] = mapped_column(String(9), primary_key=True)
    student_code: Mapped[str] = mapped_column(Code, primary_key=True)
    package_code: Mapped[str] = mapped_column(Code, primary_key=True)
    activation_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    activated_at: Mapped[datetime] = mapped_column(Stamp)


# --- uploads and checks ------------------------------------------------------


class HeaderMapping(Base):
    """A column mapping a school confirmed for one header signature."""

    __tablename__ = "header_mappings"

    school_code: Mapped[str] = mapped_column(Code, primary_key=True)
    signature: Mapped[str] = mapped_column(String(64), primary_key=True)
    mapping: Mapped[dict] = mapped_column(JSON)
    confirmed_by: Mapped[str] = mapped_column(Name)
    updated_at: Mapped[datetime] = mapped_column(Stamp)


class Import(Base):
    """One uploaded file and the state of its check."""

    __tablename__ = "imports"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    school_code: Mapped[str] = mapped_column(Code, index=True)
    file_name: Mapped[str] = mapped_column(Name)
    stored_name: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    file_kind: Mapped[str] = mapped_column(String(10))
    sheets: Mapped[list] = mapped_column(JSON)
    uploaded_by: Mapped[str] = mapped_column(Name)
    uploaded_at: Mapped[datetime] = mapped_column(Stamp)
    # uploaded | checking | needs_mapping | checked | failed
    status: Mapped[str] = mapped_column(String(20))
    sheet: Mapped[str | None] = mapped_column(Name)
    school_year: Mapped[str | None] = mapped_column(String(9))
    source: Mapped[str | None] = mapped_column(String(20))
    mapping: Mapped[dict | None] = mapped_column(JSON)
    # The header row's cell texts, for the page where the user fixes a mapping.
    headers: Mapped[list | None] = mapped_column(JSON)
    signature: Mapped[str | None] = mapped_column(String(64))
    # A fresh id per check run, so a late run never overwrites a newer one.
    check_run: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict | None] = mapped_column(JSON)
    # Valid rows whose packages earlier batches all hold already: the commit
    # will register nothing for them (not a status: they stay valid).
    already_registered: Mapped[int] = mapped_column(
        Integer, default=0, server_default=text("0"))
    error_code: Mapped[str | None] = mapped_column(String(60))
    error_message: Mapped[str | None] = mapped_column(Text)
    heartbeat_at: Mapped[datetime | None] = mapped_column(Stamp)
    checked_at: Mapped[datetime | None] = mapped_column(Stamp)
    batch_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class ImportRow(Base):
    """The check's outcome for one row of the checked sheet."""

    __tablename__ = "import_rows"
    __table_args__ = (Index(None, "import_id", "status", "row_number"),)

    import_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True)
    row_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(12))
    student_code: Mapped[str | None] = mapped_column(Code)
    class_name: Mapped[str | None] = mapped_column(Code)
    full_name: Mapped[str | None] = mapped_column(Name)
    parent_name: Mapped[str | None] = mapped_column(Name)
    parent_phone: Mapped[str | None] = mapped_column(String(20))
    package_codes: Mapped[list] = mapped_column(JSON)
    already_active: Mapped[list] = mapped_column(JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(Stamp)
    errors: Mapped[list] = mapped_column(JSON)
    notes: Mapped[list] = mapped_column(JSON)
    remark: Mapped[str | None] = mapped_column(Text)


# --- batches, registrations and decisions -----------------------------------


class Batch(Base):
    """One commit of a checked sheet."""

    __tablename__ = "batches"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    school_code: Mapped[str] = mapped_column(Code, index=True)
    school_year: Mapped[str] = mapped_column(String(9))
    import_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("imports.id"), unique=True)
    file_name: Mapped[str] = mapped_column(Name)
    sheet: Mapped[str] = mapped_column(Name)
    source: Mapped[str] = mapped_column(String(20))
    valid_rows: Mapped[int] = mapped_column(Integer)
    already_registered: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(Name)
    created_at: Mapped[datetime] = mapped_column(Stamp, index=True)


class Registration(Base):
    """A student's package choice from one row of a batch."""

    __tablename__ = "registrations"
    __table_args__ = (Index(None, "batch_id", "status"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("batches.id"))
    school_code: Mapped[str] = mapped_column(Code)
    school_year: Mapped[str] = mapped_column(String(9))
    student_code: Mapped[str] = mapped_column(Code)
    class_name: Mapped[str] = mapped_column(Code)
    full_name: Mapped[str] = mapped_column(Name)
    parent_name: Mapped[str | None] = mapped_column(Name)
    parent_phone: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))
    source_file: Mapped[str] = mapped_column(Name)
    sheet: Mapped[str] = mapped_column(Name)
    row_number: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[str] = mapped_column(Name)
    imported_at: Mapped[datetime] = mapped_column(Stamp)
    # pending | approved | rejected
    status: Mapped[str] = mapped_column(String(10))
    decided_by: Mapped[str | None] = mapped_column(Name)
    decided_at: Mapped[datetime | None] = mapped_column(Stamp)
    reason: Mapped[str | None] = mapped_column(Text)
    # Set once every package of the registration is active.
    activated_at: Mapped[datetime | None] = mapped_column(Stamp)


class RegistrationPackage(Base):
    """One package of a registration; holds the uniqueness rule."""

    __tablename__ = "registration_packages"
    __table_args__ = (
        Index(
            "uq_registration_packages_live",
            "school_code", "school_year", "student_code", "package_code",
            unique=True,
            postgresql_where=text("NOT rejected"),
            sqlite_where=text("NOT rejected"),
        ),
    )

    registration_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("registrations.id"), primary_key=True)
    package_code: Mapped[str] = mapped_column(Code, primary_key=True)
    school_code: Mapped[str] = mapped_column(Code)
    school_year: Mapped[str] = mapped_column(String(9))
    student_code: Mapped[str] = mapped_column(Code)
    rejected: Mapped[bool] = mapped_column(Boolean, default=False)
    activation_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    activated_at: Mapped[datetime | None] = mapped_column(Stamp)
