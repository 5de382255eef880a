"""Server-Sent Events framing."""

import pytest

from notification_service.api import sse


def test_event_has_id_type_and_one_json_data_line():
    text = sse.event("notification", {"body": "dòng 1\ndòng 2"}, event_id=7)

    assert text == ('id: 7\nevent: notification\n'
                    'data: {"body":"dòng 1\\ndòng 2"}\n\n')


def test_first_event_can_set_the_reconnection_delay():
    text = sse.event("ready", {}, event_id=0, retry_ms=3000)

    assert text.startswith("retry: 3000\nid: 0\n")


def test_keep_alive_is_a_comment():
    assert sse.keep_alive().startswith(":")


@pytest.mark.parametrize("raw, expected", [(None, None), ("", None), (" 12 ", 12)])
def test_last_event_id_is_read(raw, expected):
    assert sse.parse_event_id(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "-1", "1.5"])
def test_bad_last_event_id_is_refused(raw):
    with pytest.raises(ValueError):
        sse.parse_event_id(raw)
