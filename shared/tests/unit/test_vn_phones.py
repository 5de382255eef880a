import pytest

from hoclieu_shared.vn.errors import VnValueError
from hoclieu_shared.vn.phones import OLD_PREFIXES, PhoneNumber, normalize_phone


@pytest.mark.parametrize(
    "raw",
    [
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "(091) 2345678",
        "+84 912 345 678",
        "84912345678",
        "+84 (0) 912 345 678",
        "0084 912 345 678",
        "912345678",
        912345678,
        912345678.0,
        "'0912345678",
        "０９１２３４５６７８",
        " 0912345678\u200b ",
    ],
)
def test_normalize_phone_reads_common_writings(raw):
    assert normalize_phone(raw) == PhoneNumber("0912345678")


@pytest.mark.parametrize(("old", "new"), sorted(OLD_PREFIXES.items()))
def test_normalize_phone_converts_every_old_prefix_with_a_note(old, new):
    phone = normalize_phone(old + "1234567")

    assert phone.number == new + "1234567"
    assert old in phone.note and new in phone.note


@pytest.mark.parametrize(
    "raw", ["1686123456", 1686123456.0, "+84 168 612 3456", "0168.612.3456"]
)
def test_normalize_phone_converts_old_numbers_in_other_writings(raw):
    assert normalize_phone(raw).number == "0386123456"


@pytest.mark.parametrize("prefix", ["03", "05", "07", "08", "09"])
def test_normalize_phone_accepts_every_mobile_prefix(prefix):
    assert normalize_phone(prefix + "12345678").number == prefix + "12345678"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (None, "phone_empty"),
        ("", "phone_empty"),
        ("   ", "phone_empty"),
        ("0912abc678", "phone_has_letters"),
        ("SĐT: 0912345678", "phone_has_letters"),
        ("091234567", "phone_wrong_length"),
        ("09123456789", "phone_wrong_length"),
        ("0212345678", "phone_not_mobile"),
        ("02438251234", "phone_not_mobile"),
        ("01871234567", "phone_not_mobile"),
        ("+1 415 555 1234", "phone_not_mobile"),
        ("0912345678 / 0987654321", "phone_several"),
        ("0912345678 hoặc 0987654321", "phone_several"),
        (9.5, "phone_unreadable"),
        (True, "phone_unreadable"),
        (-912345678, "phone_unreadable"),
    ],
)
def test_normalize_phone_refuses_with_a_stable_code(raw, code):
    with pytest.raises(VnValueError) as caught:
        normalize_phone(raw)

    assert caught.value.code == code
    assert caught.value.message


def test_wrong_length_message_says_how_many_digits():
    with pytest.raises(VnValueError) as caught:
        normalize_phone("091234567")

    assert "9 chữ số" in caught.value.message
