"""Schools as this service knows them: from SchoolUpdated, via the read model."""

from __future__ import annotations

from hoclieu_shared.errors import NotFound
from sqlalchemy.ext.asyncio import AsyncSession

from ..adapters import read_model
from ..adapters.tables import School


async def require_known_school(session: AsyncSession, code: str) -> School:
    """The school, or 404 while no SchoolUpdated has named it here yet."""
    school = await read_model.find_school(session, code)
    if school is None:
        # A school created a moment ago reaches us through its event, so the
        # message says to wait rather than that the code is wrong.
        raise NotFound("school_not_found",
                       f"Không tìm thấy trường «{code[:50]}»; nếu trường "
                       "vừa được tạo, vui lòng thử lại sau ít phút.")
    return school
