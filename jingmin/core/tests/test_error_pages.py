"""In production (DEBUG off) the 403, 404 and 500 pages are Chinese pages of the product, and the
500 page renders without a request."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from django.utils import translation
from django.views.defaults import server_error


def refused(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("a defect")


urlpatterns = [path("refused/", refused), path("broken/", broken)]


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_missing_page_answers_in_chinese():
    response = Client().get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and "返回首页" in html
    assert "Not Found" not in html


@pytest.mark.django_db
@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_refused_step_answers_in_chinese():
    response = Client().get("/refused/")
    assert response.status_code == 403
    assert "无权操作" in response.content.decode()


@pytest.mark.django_db
@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
def test_a_server_error_answers_in_chinese():
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "系统出错" in response.content.decode()


def test_the_500_page_renders_without_a_request_context():
    # Django renders it with an empty context: no request, no user, no context processors.
    with translation.override("zh-hans"):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "系统出错" in response.content.decode()
