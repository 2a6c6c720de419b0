"""The default gateway writes each message as one JSON line to a file, and logs it with the number masked."""

import json
import logging

from jingmin.notify.sms import FileSmsBackend, get_sms_backend


def test_each_message_is_one_json_line_in_a_new_directory(settings, tmp_path, caplog):
    settings.SMS_BACKEND = "jingmin.notify.sms.FileSmsBackend"
    settings.SMS_FILE_DIR = tmp_path / "var" / "sms"
    backend = get_sms_backend()
    assert isinstance(backend, FileSmsBackend)

    with caplog.at_level(logging.INFO, logger="jingmin.notify.sms"):
        backend.send("13900001111", "您的诉求已受理。")
        backend.send("13800002222", "请对处理结果评价。")

    [path] = (tmp_path / "var" / "sms").iterdir()
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(line["phone"], line["text"]) for line in lines] == [
        ("13900001111", "您的诉求已受理。"),
        ("13800002222", "请对处理结果评价。"),
    ]
    assert all(line["time"] for line in lines)
    assert "您的诉求已受理。" in path.read_text(encoding="utf-8")  # readable, not \u-escaped
    assert "139****1111" in caplog.text
    assert "13900001111" not in caplog.text
