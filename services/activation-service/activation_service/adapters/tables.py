"""The tables of the activation-service."""

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
    MetaData,
    SmallInteger,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints let Alembic's batch mode alter them on SQLite too.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

When = DateTime(timezone=True)


class Base(DeclarativeBase):
    """Declarative base whose metadata the migrations follow."""

    metadata = MetaData(naming_convention=NAMING)


class SchoolRow(Base):
    """A school that buys packages for its students."""

    __tablename__ = "schools"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    province: Mapped[str | None] = mapped_column(String(100))
    auto_approve: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(When)
    updated_at: Mapped[datetime] = mapped_column(When)


class PackageRow(Base):
    """A package of the vendor's catalogue in one school year."""

    __tablename__ = "packages"

    school_year: Mapped[str] = mapped_column(String(9), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    grades: Mapped[list[int]] = mapped_column(JSON)
    price: Mapped[int] = mapped_column(BigInteger)
    courses: Mapped[list[str]] = mapped_column(JSON)
    on_sale: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(When)


class ClassRow(Base):
    """A class (lớp) of a school."""

    __tablename__ = "classes"
    __table_args__ = (UniqueConstraint("school_code", "name"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    school_code: Mapped[str] = mapped_column(ForeignKey("schools.code"))
    name: Mapped[str] = mapped_column(String(20))
    grade: Mapped[int] = mapped_column(SmallInteger)


class StudentRow(Base):
    """A student of a school's roster, with the parent we know of."""

    __tablename__ = "students"
    __table_args__ = (
        UniqueConstraint("school_code", "code"),
        Index("ix_students_class_id", "class_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    school_code: Mapped[str] = mapped_column(ForeignKey("schools.code"))
    code: Mapped[str] = mapped_column(String(40))
    full_name: Mapped[str] = mapped_column(String(200))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(10))
    class_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("classes.id"))
    parent_name: Mapped[str | None] = mapped_column(String(200))
    parent_phone: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(When)
    updated_at: Mapped[datetime] = mapped_column(When)


class AccountRow(Base):
    """A student's review account; the password only as an Argon2 hash."""

    __tablename__ = "accounts"
    __table_args__ = (Index("ix_accounts_school_code", "school_code"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    student_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("students.id"), unique=True)
    school_code: Mapped[str] = mapped_column(String(40))
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(When)
    # When the school was last shown the password (slip or reset); None
    # for accounts made by an activation, whose password nobody has seen.
    credentials_issued_at: Mapped[datetime | None] = mapped_column(When)


class ActivationRow(Base):
    """A package switched on for a student in a school year."""

    __tablename__ = "activations"
    __table_args__ = (
        # Concurrent requests and redelivered events cannot activate twice.
        UniqueConstraint("school_code", "student_code", "school_year",
                         "package_code", name="uq_activations_once"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    school_code: Mapped[str] = mapped_column(String(40))
    student_code: Mapped[str] = mapped_column(String(40))
    school_year: Mapped[str] = mapped_column(String(9))
    package_code: Mapped[str] = mapped_column(String(40))
    student_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("students.id"))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"))
    activated_by: Mapped[str] = mapped_column(String(100))
    via: Mapped[str] = mapped_column(String(10))
    registration_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    activated_at: Mapped[datetime] = mapped_column(When)
