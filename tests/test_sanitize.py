"""The edge sanitizer: clean, encodable NFC text or one InputError; the question cost bound."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.errors import InputError
from qa.korean import morphemes
from qa.sanitize import MAX_ANALYZED_CHARS, bound_question, clean_text

# Any code point, lone surrogates (category Cs) and controls (Cc) included, and often. (st.text
# itself never yields surrogates, so the strings are joined from characters.)
ANY_CHAR = st.characters(codec=None, categories=None) | st.sampled_from(["\ud800", "\udcff", "\x00", "\n", "투"])
ANY_TEXT = st.lists(ANY_CHAR, max_size=200).map("".join)


@pytest.mark.parametrize("value", ["\ud800", "\udc80", "NHN \ud83d 투자액", "투자\udfff"])
def test_lone_surrogates_are_refused_with_their_position(value):
    with pytest.raises(InputError, match=r"surrogate U\+D[89A-F][0-9A-F]{2} at position \d+"):
        clean_text(value)


def test_argv_bytes_that_are_not_utf8_are_named():
    # What Python makes of `qa ask $'\xff\xfe NHN'`: surrogate-escaped bytes.
    argv = b"\xff\xfe NHN".decode("utf-8", "surrogateescape")
    with pytest.raises(InputError, match="invalid byte 0xff .*position 0"):
        clean_text(argv)


def test_bytes_are_decoded_as_strict_utf8():
    assert clean_text("NHN 투자액은?".encode()) == "NHN 투자액은?"
    with pytest.raises(InputError, match="not valid UTF-8 .*0xff at position 4"):
        clean_text(b"NHN \xff")


def test_controls_become_spaces_and_lines_stay_only_when_asked():
    assert clean_text("NHN\x00투자\x1b액\x7f은?\x85") == "NHN 투자 액 은? "
    assert clean_text("a\tb\nc") == "a b c"
    assert clean_text("a\tb\nc", multiline=True) == "a\tb\nc"


def test_text_is_nfc():
    decomposed = unicodedata.normalize("NFD", "투자액")
    assert decomposed != "투자액" and clean_text(decomposed) == "투자액"


def test_non_text_is_refused():
    with pytest.raises(InputError, match="must be text"):
        clean_text(123)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_any_str_gives_clean_encodable_text_or_input_error(value):
    try:
        out = clean_text(value)
    except InputError as e:
        assert "position" in str(e)
        return
    out.encode("utf-8")   # never raises
    assert unicodedata.is_normalized("NFC", out)
    assert not any(unicodedata.category(c) == "Cc" for c in out)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_give_clean_encodable_text_or_input_error(value):
    try:
        out = clean_text(value)
    except InputError:
        return
    out.encode("utf-8")
    assert unicodedata.is_normalized("NFC", out)


@settings(max_examples=60, deadline=None)
@given(ANY_TEXT)
def test_whatever_passes_the_sanitizer_kiwi_can_analyze(value):
    # The bug this guards: Kiwi raised UnicodeDecodeError on "\ud800" (a 500 on /api/ask).
    try:
        out = clean_text(value)
    except InputError:
        return
    for m in morphemes(out):
        assert 0 <= m.start <= m.end <= len(out)


def test_bound_question_keeps_short_questions_and_cuts_long_ones_at_a_space():
    assert bound_question("NHN 투자액은?") == "NHN 투자액은?"
    long = "NHN 투자액은 얼마인가요 " * 200
    cut = bound_question(long)
    assert len(cut) <= MAX_ANALYZED_CHARS and long.startswith(cut) and not cut.endswith(" ")
    assert len(cut) > MAX_ANALYZED_CHARS // 2
    assert bound_question("가" * 2000) == "가" * MAX_ANALYZED_CHARS   # no space: a hard cut


@given(st.text(max_size=3000))
def test_bound_question_is_a_prefix_within_the_limit(text):
    out = bound_question(text)
    assert text.startswith(out) and len(out) <= MAX_ANALYZED_CHARS
