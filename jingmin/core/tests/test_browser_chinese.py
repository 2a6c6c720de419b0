"""In Debian's Chromium, every page each role may open (and the public ones, signed out), in the
Chinese interface: not one English sentence in what the page shows. A run of three or more Latin
words is a sentence left untranslated; names that stay Latin in Chinese (Open311, API, Excel,
e-mail addresses, codes and numbers) are taken out first."""

from __future__ import annotations

import re

import pytest

from jingmin.core.browser import chromium
from jingmin.core.tests.walk import walk_every_page, walk_world  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What stays Latin in the Chinese interface: names of standards, products and formats, and what
# is not language at all (addresses, links, identifiers).
ALLOWED = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|https?://\S+|/[\w/.-]+"  # links and paths
    r"|\b(?:Open311|GeoReport|v\d+|API|REST|JSON|CSV|Excel|XLSX|PDF|PNG|JPEG|GIF|WebP|SMS|TOTP|OTP|"
    r"HTTP|HTTPS|URL|ID|IDs|IP|KTV|OK|Token|Bearer|Argon2id|PBKDF2|HMAC|SHA|SHA256|F1|macro|"
    r"English|Jingmin|jieba|htmx|Chromium|Android|iOS|Faker)\b",
    re.IGNORECASE,
)
# Codes: tracking codes, unit codes, plates (capitals and digits, as written).
CODES = re.compile(r"\b[A-Z0-9][-A-Z0-9·]*[A-Z0-9]\b")
WORD = r"[A-Za-z][A-Za-z'’]*"
SENTENCE = re.compile(rf"{WORD}(?:[ \t,;:]+{WORD}){{2,}}")


# The API's reference (Swagger UI over the OpenAPI schema) is written for programmers, in English
# like the schema's field names (docs/api.md).
PROGRAMMERS_PAGES = frozenset({"api:docs"})

# What the page shows, without what it marks as English on purpose (`lang="en"`: a category's
# English name beside its Chinese one, the language switch).
_VISIBLE_TEXT = """() => {
  let text = document.body.innerText;
  for (const el of document.body.querySelectorAll('[lang="en"], [lang^="en-"]')) {
    if (el.innerText) text = text.split(el.innerText).join(" ");
  }
  return text + "\\n" + document.title;
}"""


def english_sentences(text: str) -> list[str]:
    return [m.group(0) for m in SENTENCE.finditer(CODES.sub(" ", ALLOWED.sub(" ", text)))]


def test_the_detector_finds_a_sentence_and_passes_names():
    assert english_sentences("请填写 The appeal is registered. 谢谢") == ["The appeal is registered"]
    assert english_sentences("通过 Open311 API 导出 Excel，联系 clerk@example.org，编号 AB12CD34EF56") == []


def test_no_page_of_any_role_shows_an_english_sentence(browser, live_server, walk_world):  # noqa: F811
    found: list[str] = []
    for visit in walk_every_page(
        browser, live_server.url, walk_world, why="the texts do not depend on the database"
    ):
        if visit.name in PROGRAMMERS_PAGES:
            continue
        text = visit.page.evaluate(_VISIBLE_TEXT)
        found += [f"{visit.where}: {s!r}" for s in dict.fromkeys(english_sentences(text))]
    assert not found, "\n".join(found)


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser
