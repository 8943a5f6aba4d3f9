"""The chat page's formatting helpers and turn logic, on hand-made Answers (no model, no index)."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from qa.conversation import Conversation
from qa.errors import InputError
from qa.types import Answer, Chunk, Citation, Hit
from qa.ui import (NOT_FOUND, chat_turn, confidence_label, esc, format_answer_html, format_sources,
                   highlight_sentence, hit_label, new_chat, resolved_note)

TITLE = "광주 AI데이터센터 <착수식>"
SENTENCE = "작년 사업자로 선정된 NHN이 향후 10년간 구축·운영에 2100억원을 투자한다."
S_START = 805                                     # the sentence's document offset
A_START = S_START + SENTENCE.index("2100억원")


def hit(rank=1, text="NHN이 2100억원을 투자한다.\n둘째 줄", dense=2, lexical=1, score=0.016237) -> Hit:
    return Hit(rank=rank, score=score, chunk=Chunk(rank, "doc", TITLE, text, 0, len(text)),
               dense_rank=dense, lexical_rank=lexical)


def answer(**over) -> Answer:
    base = dict(question="NHN 투자액은?", resolved_question="NHN 투자액은?", text="2100억원", confidence=0.8712,
                abstained=False, doc_id="doc", title=TITLE, start=A_START, end=A_START + len("2100억원"),
                sentence=Citation("doc", TITLE, SENTENCE, S_START, S_START + len(SENTENCE)),
                passages=(hit(1), hit(2, dense=None, lexical=3)))
    base.update(over)
    return Answer(**base)


def single_line(html: str) -> bool:
    # A newline (worse: a blank line) would end the chat's Markdown HTML block mid-reply.
    return "\n" not in html


# ---- small helpers ------------------------------------------------------------------------------------------------
def test_esc_escapes_markup_and_keeps_lines():
    assert esc('<script>alert("x")</script>') == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    assert esc("a\nb\r\nc") == "a<br>b<br>c"
    assert esc(None) == ""


@pytest.mark.parametrize("value, label", [(0.8712, "신뢰도 87%"), (0.0, "신뢰도 0%"), (1.0, "신뢰도 100%"),
                                          (1.7, "신뢰도 100%"), (-0.2, "신뢰도 0%"), (0.005, "신뢰도 0%")])
def test_confidence_label(value, label):
    assert confidence_label(value) == label


def test_highlight_uses_offsets_relative_to_the_sentence():
    out = highlight_sentence(answer())
    assert out == SENTENCE.replace("2100억원", "<mark>2100억원</mark>")


def test_highlight_marks_the_span_at_the_offsets_not_the_first_match():
    sentence = "10년간 운영하고 10년 뒤 갱신한다."
    second = sentence.index("10년", 3)
    a = answer(text="10년", sentence=Citation("doc", TITLE, sentence, 500, 500 + len(sentence)),
               start=500 + second, end=500 + second + 3)
    assert highlight_sentence(a) == "10년간 운영하고 <mark>10년</mark> 뒤 갱신한다."


def test_highlight_falls_back_to_search_when_offsets_do_not_fit():
    a = answer(start=5, end=11)                   # document offsets outside the sentence
    assert "<mark>2100억원</mark>" in highlight_sentence(a)


def test_highlight_without_a_match_is_plain_escaped_text():
    a = answer(text="없는 답", start=None, end=None,
               sentence=Citation("doc", TITLE, "a < b & c", 0, 9))
    assert highlight_sentence(a) == "a &lt; b &amp; c"
    assert highlight_sentence(answer(sentence=None)) == ""


def test_highlight_escapes_around_and_inside_the_mark():
    sentence = "<b>투자</b>액은 <i>2100억원</i>이다"
    i = sentence.index("<i>")
    a = answer(text="<i>2100억원</i>", sentence=Citation("doc", TITLE, sentence, 0, len(sentence)),
               start=i, end=i + len("<i>2100억원</i>"))
    assert highlight_sentence(a) == ("&lt;b&gt;투자&lt;/b&gt;액은 <mark>&lt;i&gt;2100억원&lt;/i&gt;</mark>이다")


def test_hit_label_names_scores_and_ranks():
    assert hit_label(hit(1)) == f"1. {TITLE} · 점수 0.0162 · 의미 검색 2위 · BM25 1위"
    assert hit_label(hit(2, dense=None, lexical=3)).endswith("의미 검색 — · BM25 3위")


def test_format_sources_is_an_escaped_details_block():
    out = format_sources([hit(1), hit(2)], "검색된 문단 2개 보기")
    assert out.startswith('<details class="qa-sources"><summary>검색된 문단 2개 보기</summary>')
    assert out.count('<div class="qa-source">') == 2
    assert "&lt;착수식&gt;" in out and "<착수식>" not in out
    assert "NHN이 2100억원을 투자한다.<br>둘째 줄" in out
    assert format_sources([], "x") == ""
    assert "<details class=\"qa-sources\" open>" in format_sources([hit()], "x", open_=True)


def test_format_sources_shows_at_most_three():
    assert format_sources([hit(i) for i in range(1, 6)], "x").count('class="qa-source"') == 3


def test_resolved_note_only_for_rewritten_followups():
    assert resolved_note(answer()) == ""
    note = resolved_note(answer(question="기간은?", resolved_question="NHN 투자액 기간은?"))
    assert note == '<div class="qa-meta">검색한 질문: NHN 투자액 기간은?</div>'


# ---- whole replies ------------------------------------------------------------------------------------------------
def test_answer_html_has_bold_answer_confidence_evidence_and_sources():
    out = format_answer_html(answer())
    assert out.startswith('<div class="qa-answer">')
    assert "<strong>2100억원</strong>" in out
    assert "신뢰도 87%" in out
    assert '<blockquote class="qa-evidence">' in out and "<mark>2100억원</mark>" in out
    assert "출처: 광주 AI데이터센터 &lt;착수식&gt;" in out
    assert "<details" in out and "검색된 문단 2개 보기" in out
    assert "검색한 질문" not in out
    assert NOT_FOUND not in out
    assert single_line(out)


def test_followup_answer_shows_the_resolved_question():
    out = format_answer_html(answer(question="기간은?", resolved_question="NHN 투자액 기간은?", text="10년"))
    assert "검색한 질문: NHN 투자액 기간은?" in out


def test_abstention_has_its_own_box_with_the_closest_passages():
    a = answer(text=None, abstained=True, confidence=0.12, start=None, end=None, sentence=None,
               question="화성 인구는?", resolved_question="화성 인구는?", passages=(hit(1), hit(2), hit(3), hit(4)))
    out = format_answer_html(a)
    assert out.startswith('<div class="qa-abstain">')
    assert f"<strong>{NOT_FOUND}</strong>" in out and "신뢰도 12%" in out
    assert "가장 가까운 문단 3개" in out and out.count('class="qa-source"') == 3
    assert "qa-answer" not in out and "<mark>" not in out
    assert single_line(out)


def test_abstention_without_passages():
    out = format_answer_html(answer(text=None, abstained=True, sentence=None, passages=()))
    assert NOT_FOUND in out and "<details" not in out


def test_user_and_document_text_is_escaped_everywhere():
    evil = '<img src=x onerror="alert(1)">'
    a = answer(question=evil, resolved_question="q " + evil, text=evil, title=evil,
               sentence=Citation("doc", evil, "앞 " + evil + " 뒤", 0, 40), start=2, end=2 + len(evil),
               passages=(Hit(1, 0.1, Chunk(1, "doc", evil, evil, 0, 5)),))
    out = format_answer_html(a)
    assert "<img" not in out and "&lt;img" in out
    # Only our own tags remain.
    assert set(re.findall(r"<(/?[a-z]+)", out)) <= {"div", "/div", "strong", "/strong", "span", "/span", "blockquote",
                                                   "/blockquote", "mark", "/mark", "details", "/details", "summary",
                                                   "/summary"}


# ---- the turn logic (Gradio-free) ---------------------------------------------------------------------------------
class FakePipeline:
    """Answers from a dict; records the conversation it was given."""

    def __init__(self, answers: dict, error: Exception | None = None):
        self.answers = answers
        self.error = error
        self.seen: list[Conversation] = []
        self.store = SimpleNamespace(documents={"doc": None}, chunks=[None, None])

    def ask(self, question, conversation):
        self.seen.append(conversation)
        if self.error:
            raise self.error
        a = self.answers[question]
        conversation.add(a)
        return a


def test_chat_turn_appends_two_messages_and_keeps_the_conversation():
    p = FakePipeline({"NHN 투자액은?": answer(), "기간은?": answer(question="기간은?", text="10년")})
    box, history, conv = chat_turn(p, "  NHN 투자액은? ", None, None)
    assert box == "" and isinstance(conv, Conversation) and len(conv.turns) == 1
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert "NHN 투자액은?" in history[0]["content"] and "<strong>2100억원</strong>" in history[1]["content"]
    _, history, conv2 = chat_turn(p, "기간은?", history, conv)
    assert conv2 is conv and len(conv.turns) == 2 and len(history) == 4
    assert p.seen == [conv, conv]


def test_two_sessions_never_share_a_conversation():
    p = FakePipeline({"NHN 투자액은?": answer()})
    _, _, a = chat_turn(p, "NHN 투자액은?", None, None)
    _, _, b = chat_turn(p, "NHN 투자액은?", None, None)
    assert a is not b and len(a.turns) == len(b.turns) == 1


def test_chat_turn_ignores_blank_input():
    p = FakePipeline({})
    assert chat_turn(p, "   ", [], None)[1] == [] and p.seen == []


def test_chat_turn_escapes_the_user_message():
    p = FakePipeline({"<b>x</b>": answer(question="<b>x</b>")})
    _, history, _ = chat_turn(p, "<b>x</b>", [], None)
    assert "<b>" not in history[0]["content"] and "&lt;b&gt;x&lt;/b&gt;" in history[0]["content"]


def test_chat_turn_shows_input_errors_and_hides_bugs():
    _, history, _ = chat_turn(FakePipeline({}, InputError("the question is too long")), "q", [], None)
    assert "qa-error" in history[1]["content"] and "the question is too long" in history[1]["content"]
    _, history, _ = chat_turn(FakePipeline({}, RuntimeError("/secret/path.py boom")), "q", [], None)
    assert "오류" in history[1]["content"] and "/secret" not in history[1]["content"]


def test_new_chat_resets_everything():
    chat, conv, box = new_chat()
    assert chat == [] and box == "" and isinstance(conv, Conversation) and conv.turns == []


def test_build_ui_makes_blocks_without_touching_the_pipeline():
    gr = pytest.importorskip("gradio")
    from qa.ui import build_ui
    p = FakePipeline({})
    demo = build_ui(p)
    assert isinstance(demo, gr.Blocks) and p.seen == []


def test_an_over_long_message_gets_an_error_and_only_a_preview():
    from qa.ui import PREVIEW_CHARS
    p = FakePipeline({})
    _, history, _ = chat_turn(p, "가" * 100_000, [], None)
    assert p.seen == [] and len(history) == 2
    assert "qa-error" in history[1]["content"] and "2,000자" in history[1]["content"]
    assert history[0]["content"].count("가") == PREVIEW_CHARS     # not the 100,000 characters echoed back


def test_a_message_with_a_lone_surrogate_is_refused_without_echo():
    p = FakePipeline({})
    _, history, _ = chat_turn(p, "NHN \ud800", [], None)
    assert p.seen == [] and "qa-error" in history[1]["content"] and "U+D800" in history[1]["content"]
    for message in history:
        message["content"].encode("utf-8")      # Gradio serializes it: a surrogate here broke the stream


def test_the_chat_keeps_its_last_messages_only():
    from qa.ui import MAX_CHAT_MESSAGES
    p = FakePipeline({"NHN 투자액은?": answer()})
    history, conv = [], None
    for _ in range(MAX_CHAT_MESSAGES):
        _, history, conv = chat_turn(p, "NHN 투자액은?", history, conv)
    assert len(history) == MAX_CHAT_MESSAGES


def test_the_chat_history_is_kept_on_the_server_not_posted_by_the_client():
    pytest.importorskip("gradio")
    from qa.ui import build_ui
    demo = build_ui(FakePipeline({}))
    chatbot_ids = {b._id for b in demo.blocks.values() if type(b).__name__ == "Chatbot"}
    assert chatbot_ids and all(not ({c._id for c in fn.inputs} & chatbot_ids) for fn in demo.fns.values())
