"""Photos on the portal: a real one is kept with the appeal; one too big, one too many or a file
that is not a picture is refused beside the photos field, and nothing is saved."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from jingmin.appeals.models import Appeal, Attachment
from jingmin.portal.tests.conftest import PNG, portal_post


def photo(name: str = "lamp.png", data: bytes = PNG, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type)


def test_a_photo_is_kept_with_the_appeal(persona, citizen):
    response = portal_post(citizen, photos=[photo("lamp.png"), photo("pole.png")])
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    files = Attachment.objects.filter(appeal=appeal).order_by("id")
    assert [f.original_name for f in files] == ["lamp.png", "pole.png"]
    assert {f.content_type for f in files} == {"image/png"}
    assert all(f.uploaded_by is None for f in files)


def test_a_photo_too_big_is_refused(persona, citizen, settings):
    settings.PORTAL_PHOTO_MAX_BYTES = len(PNG) - 1
    response = portal_post(citizen, photos=[photo("big.png")])
    assert response.status_code == 400
    errors = response.context["form"].errors["photos"]
    assert "big.png" in errors[0]
    assert not Appeal.objects.exists() and not Attachment.objects.exists()


def test_too_many_photos_are_refused(persona, citizen, settings):
    response = portal_post(
        citizen, photos=[photo(f"p{i}.png") for i in range(settings.PORTAL_MAX_PHOTOS + 1)]
    )
    assert response.status_code == 400
    assert str(settings.PORTAL_MAX_PHOTOS) in response.context["form"].errors["photos"][0]
    assert not Appeal.objects.exists() and not Attachment.objects.exists()


def test_a_file_that_only_claims_to_be_a_photo_is_refused(persona, citizen):
    fake = photo("selfie.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")
    response = portal_post(citizen, photos=[photo("ok.png"), fake])
    assert response.status_code == 400
    assert "selfie.jpg" in response.context["form"].errors["photos"][0]
    assert not Appeal.objects.exists() and not Attachment.objects.exists()


def test_a_pdf_is_no_photo(persona, citizen):
    pdf = photo(
        "letter.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "application/pdf"
    )
    response = portal_post(citizen, photos=[pdf])
    assert response.status_code == 400 and "letter.pdf" in response.context["form"].errors["photos"][0]
    assert not Appeal.objects.exists()


def test_after_a_refusal_the_page_says_to_choose_the_photos_again(persona, citizen):
    response = portal_post(citizen, consent=None, photos=[photo()])
    assert response.status_code == 400
    assert 'id="photos-lost"' in response.content.decode()
