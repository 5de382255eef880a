"""Usernames and initial passwords of review accounts."""

from activation_service.domain.passwords import LENGTH, new_password
from activation_service.domain.usernames import assign_usernames, base_username


def test_username_is_readable_lower_case_ascii():
    assert base_username("THCS-NGUYENDU", "0160000001") == \
        "thcs-nguyendu.0160000001"
    assert base_username("Trường Đông", "HS 01/2") == "truong-dong.hs-01-2"


def test_taken_usernames_get_a_number():
    wanted = {1: "s.a", 2: "s.a", 3: "s.b"}

    assigned = assign_usernames(wanted, taken={"s.b"})

    assert assigned == {1: "s.a", 2: "s.a-2", 3: "s.b-2"}


def test_passwords_are_random_mixed_and_unambiguous():
    passwords = {new_password() for _ in range(200)}

    assert len(passwords) == 200
    for password in passwords:
        assert len(password) == LENGTH
        assert any(c.isdigit() for c in password)
        assert any(c.isalpha() for c in password)
        assert not set(password) & set("01lio")
