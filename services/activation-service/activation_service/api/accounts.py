"""Review accounts: credential slips, the accounts list, reset, lock."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Body, Query, Response

from ..adapters.slips import credential_slips
from ..usecases import accounts, queries
from .classes import class_filter
from .deps import Ctx, SchoolStaff
from .files import xlsx_response
from .schemas import AccountsIn, AccountStatusIn, PasswordResetOut, StudentOut

router = APIRouter(prefix="/api/v1/schools/{school}", tags=["accounts"])


@router.post("/accounts", response_class=Response, responses={
    200: {"content": {"application/vnd.openxmlformats-officedocument"
                      ".spreadsheetml.sheet": {}},
          "description": "The credential slips of the new accounts"}})
async def create_accounts(school: str, _: SchoolStaff, ctx: Ctx,
                          body: AccountsIn | None = Body(None)) -> Response:
    """Accounts for every student (or one class) without one, as slips."""
    class_name = class_filter(body.class_name if body else None)
    found, issued = await accounts.issue_accounts(ctx, school, class_name)
    # Writing a thousand slips takes seconds; keep the event loop free.
    content = await asyncio.to_thread(credential_slips, found, issued,
                                      ctx.settings.account_login_url)
    suffix = f" - {class_name}" if class_name else ""
    return xlsx_response(
        content, f"Phiếu tài khoản Ôn tập - {school}{suffix}.xlsx",
        "phieu-tai-khoan.xlsx", {"X-Accounts-Issued": str(len(issued))})


@router.get("/accounts.xlsx", response_class=Response)
async def account_list(school: str, _: SchoolStaff, ctx: Ctx,
                       class_name: str | None = Query(None, alias="class")
                       ) -> Response:
    """Usernames and account status of every student; never passwords."""
    class_name = class_filter(class_name)
    _found, content = await queries.account_sheet(ctx, school, class_name)
    suffix = f" - {class_name}" if class_name else ""
    return xlsx_response(content, f"Danh sách tài khoản - {school}{suffix}.xlsx",
                         "danh-sach-tai-khoan.xlsx")


@router.post("/students/{student}/password-reset")
async def reset_password(school: str, student: str, _: SchoolStaff, ctx: Ctx,
                         response: Response) -> PasswordResetOut:
    """A new password for one account, shown only in this answer."""
    issued = await accounts.reset_password(ctx, school, student)
    response.headers["Cache-Control"] = "no-store"
    return PasswordResetOut(student_code=student, username=issued.username,
                            password=issued.password)


@router.patch("/students/{student}/account")
async def change_account(school: str, student: str, body: AccountStatusIn,
                         _: SchoolStaff, ctx: Ctx) -> StudentOut:
    """Lock or unlock a student's review account."""
    changed = await accounts.change_status(ctx, school, student, body.status)
    view = await queries.student_view(ctx, school, changed.code)
    return StudentOut.view(view)
