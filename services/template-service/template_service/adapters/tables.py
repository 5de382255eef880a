"""The read model: schools, students and the catalogue, as events told them."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Tables of the template-service."""


class SchoolRow(Base):
    __tablename__ = "schools"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    province: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StudentRow(Base):
    __tablename__ = "students"

    school_code: Mapped[str] = mapped_column(String(50), primary_key=True)
    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(300))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(20))
    class_name: Mapped[str] = mapped_column(String(50), index=True)
    grade: Mapped[int | None] = mapped_column(Integer)
    parent_name: Mapped[str | None] = mapped_column(String(300))
    parent_phone: Mapped[str | None] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PackageRow(Base):
    __tablename__ = "packages"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    school_year: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    grades: Mapped[list[int]] = mapped_column(JSON)
    price: Mapped[int] = mapped_column(Integer)
    on_sale: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
