"""Trailing particles, copulas and endings come off a span; the word itself stays."""
import pytest

from qa.reader.neural.boundary import trim_particles


@pytest.mark.parametrize("text, span, expected", [
    ("NHN은 2100억원을 투자한다.", "2100억원을", "2100억원"),
    ("완공은 2023년이다.", "2023년이다", "2023년"),
    ("이순신 장군은 바다를 지켰다.", "이순신 장군은", "이순신 장군"),
    ("광주과학기술원(GIST)과 함께", "광주과학기술원(GIST)과", "광주과학기술원(GIST)"),
    ("NHN은 2100억원을 투자한다.", "2100억원", "2100억원"),        # nothing to trim
    ("그것은 은이다.", "은", "은"),                                   # never trims to nothing
])
def test_trim(text, span, expected):
    start = text.index(span)
    s, e = trim_particles(text, start, start + len(span))
    assert text[s:e] == expected
