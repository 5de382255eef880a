"""Every page of each role renders in Vietnamese against the fakes."""

from __future__ import annotations

import pytest
from portal_fakes.system import seed_sample, sign_in

SCHOOL = "THCS-NGUYENDU"
OFFICER_PAGES = ["", "/template", "/roster", "/accounts", "/students",
                 "/imports/new", "/batches"]
OPERATOR_PAGES = ["/operator", "/operator/packages", "/operator/packages/edit",
                  "/operator/packages/edit?code=KNS", "/operator/schools",
                  "/operator/schools/new"]


@pytest.mark.parametrize("path", OFFICER_PAGES)
def test_officer_pages_render(system, client, path):
    seed_sample(system.world)
    sign_in(client, "school_admin", SCHOOL)

    answer = client.get(f"/school/{SCHOOL}{path}")

    assert answer.status_code == 200
    assert '<html lang="vi">' in answer.text
    assert "Trường THCS Nguyễn Du" in answer.text


@pytest.mark.parametrize("path", OPERATOR_PAGES)
def test_operator_pages_render(system, client, path):
    seed_sample(system.world)
    sign_in(client, "misa_operator")

    answer = client.get(path)

    assert answer.status_code == 200
    assert "Nhân viên MISA" in answer.text


def test_unknown_page_is_a_vietnamese_404(client):
    answer = client.get("/khong-co-trang-nay")

    assert answer.status_code == 404
    assert "Không tìm thấy trang bạn yêu cầu." in answer.text


def test_static_assets_are_served_locally(client):
    page = client.get("/login").text

    assert client.get("/static/app.css").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    assert "http://" not in page and "https://" not in page
