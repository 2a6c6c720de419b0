"""The gateway is chosen by settings.SMS_BACKEND, and a wrong setting fails loudly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from jingmin.notify.sms import ConsoleSmsBackend, LocmemSmsBackend, get_sms_backend


def test_tests_use_the_locmem_gateway():
    assert isinstance(get_sms_backend(), LocmemSmsBackend)


def test_the_console_gateway_prints(settings, capsys):
    settings.SMS_BACKEND = "jingmin.notify.sms.ConsoleSmsBackend"
    backend = get_sms_backend()
    assert isinstance(backend, ConsoleSmsBackend)

    backend.send("13900001111", "您的诉求已受理。")

    assert "13900001111" in capsys.readouterr().out


@pytest.mark.parametrize("path", ["jingmin.notify.sms.NoSuchBackend", "django.core.mail.send_mail"])
def test_a_wrong_setting_is_refused(settings, path):
    settings.SMS_BACKEND = path

    with pytest.raises(ImproperlyConfigured):
        get_sms_backend()
