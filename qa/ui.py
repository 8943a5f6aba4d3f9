"""The Gradio chat page (Korean), plus the pure helpers that render an Answer.

    demo = build_ui(pipeline)                  # gr.Blocks; mount with mount_ui()
    format_answer_html(answer)                 -> '<div class="qa-answer">…<strong>2100억원</strong>…'

Gradio is imported inside the functions that need it, so the helpers (and
their tests) stay light. Every piece of document or user text goes through
`esc()`; the chat renders the HTML through DOMPurify as a second guard.
"""
from __future__ import annotations

import html
import logging

from .conversation import Conversation
from .errors import InputError, QAError
from .reader.base import NOT_FOUND
from .retrieval import MAX_QUERY_CHARS
from .sanitize import clean_text
from .types import Answer, Hit

log = logging.getLogger(__name__)

TITLE = "한국어 문서 질의응답"
DESCRIPTION = ("문서에 대해 한국어(또는 영어)로 질문하면, 근거 문장을 찾아 짧은 답과 출처를 보여 드립니다. "
               "\"기간은?\"처럼 앞 질문에 이어지는 질문도 이해합니다.")
EXAMPLES = ("NHN 투자액은?", "GIST AI대학원은 매년 몇 명을 뽑나요?", "How much will NHN invest?", "데이터센터 연산성능은?")
MAX_SOURCES = 3
# The chat keeps its last 20 turns on screen (the conversation itself remembers 20 turns too).
MAX_CHAT_MESSAGES = 40
PREVIEW_CHARS = 80      # how much of a refused message is shown back
SESSION_TTL_S = 3600    # a chat session idle this long is forgotten (bounds what idle sessions hold)
INTERNAL_ERROR = "죄송합니다. 답을 만드는 중에 오류가 났습니다. 잠시 뒤 다시 시도해 주세요."

# Classes only (no inline style): the colours live in one place and follow the theme's dark mode.
UI_CSS = """
.qa-meta {font-size: .85em; opacity: .75; margin-bottom: .3em}
.qa-main {font-size: 1.08em}
.qa-conf {display: inline-block; margin-left: .5em; padding: 0 .55em; border-radius: 999px; font-size: .8em;
          background: rgba(59, 130, 246, .14); color: inherit; vertical-align: middle}
.qa-evidence {margin: .5em 0 .2em; padding: .3em .8em; border-left: 3px solid rgba(59, 130, 246, .6)}
.qa-evidence mark {background: #fde68a; color: #1f2937; padding: 0 .15em; border-radius: 3px}
.qa-cite {display: block; font-size: .8em; opacity: .7; margin-top: .2em}
.qa-abstain {padding: .55em .8em; border-radius: 8px; border: 1px solid rgba(217, 119, 6, .55);
             background: rgba(245, 158, 11, .12)}
.qa-abstain .qa-main {color: #b45309}
.qa-error {padding: .55em .8em; border-radius: 8px; border: 1px solid rgba(220, 38, 38, .5);
           background: rgba(220, 38, 38, .08)}
.qa-sources {margin-top: .4em}
.qa-sources summary {cursor: pointer; font-size: .9em}
.qa-source {margin: .4em 0; padding: .4em .6em; border-radius: 6px; background: rgba(127, 127, 127, .08)}
.qa-source-meta {font-size: .8em; opacity: .75}
.qa-source-text {font-size: .9em; margin-top: .2em}
#qa-examples button {font-size: .9em}
"""


# ---- pure formatting helpers ------------------------------------------------------------------------------------
def esc(text: str | None) -> str:
    """HTML-escape and keep line breaks on one line (a blank line would end the chat's HTML block).

    >>> esc('<b>A&B</b>\\n"x"')
    '&lt;b&gt;A&amp;B&lt;/b&gt;<br>&quot;x&quot;'
    """
    return html.escape(text or "", quote=True).replace("\r\n", "\n").replace("\n", "<br>")


def confidence_label(confidence: float) -> str:
    """0.8712 -> '신뢰도 87%' (clamped to 0..100)."""
    pct = round(max(0.0, min(1.0, float(confidence))) * 100)
    return f"신뢰도 {pct}%"


def highlight_sentence(answer: Answer) -> str:
    """The supporting sentence, escaped, with the answer span in <mark>.

    `answer.start/end` are document offsets, as is `sentence.start`, so the
    answer sits at [start - sentence.start, end - sentence.start) in the
    sentence. If the offsets do not fit, the answer text is searched instead.

    sentence "NHN은 2100억원을 투자한다." at 100, answer [105, 111)
      -> 'NHN은 <mark>2100억원</mark>을 투자한다.'
    """
    s = answer.sentence
    if s is None:
        return ""
    text = s.text
    a = b = -1
    if answer.start is not None and answer.end is not None:
        a, b = answer.start - s.start, answer.end - s.start
    if not (0 <= a < b <= len(text)) and answer.text:
        a = text.find(answer.text)
        b = a + len(answer.text)
    if not (0 <= a < b <= len(text)):
        return esc(text)
    return f"{esc(text[:a])}<mark>{esc(text[a:b])}</mark>{esc(text[b:])}"


def hit_label(hit: Hit) -> str:
    """'1. 제목 · 점수 0.0164 · 의미 검색 2위 · BM25 1위' (a retriever that missed it: '—')."""
    def rank(r: int | None) -> str:
        return f"{r}위" if r else "—"
    return (f"{hit.rank}. {hit.chunk.title} · 점수 {hit.score:.4f} · 의미 검색 {rank(hit.dense_rank)} · "
            f"BM25 {rank(hit.lexical_rank)}")


def format_sources(hits, summary: str, open_: bool = False) -> str:
    """An expandable <details> with each passage's title, scores and text; '' when there are none."""
    hits = list(hits)[:MAX_SOURCES]
    if not hits:
        return ""
    items = "".join(f'<div class="qa-source"><div class="qa-source-meta">{esc(hit_label(h))}</div>'
                    f'<div class="qa-source-text">{esc(h.chunk.text)}</div></div>' for h in hits)
    return (f'<details class="qa-sources"{" open" if open_ else ""}><summary>{esc(summary)}</summary>'
            f"{items}</details>")


def resolved_note(answer: Answer) -> str:
    """'검색한 질문: …' when a follow-up was rewritten, else ''."""
    if not answer.resolved_question or answer.resolved_question.strip() == answer.question.strip():
        return ""
    return f'<div class="qa-meta">검색한 질문: {esc(answer.resolved_question)}</div>'


def format_answer_html(answer: Answer) -> str:
    """One chat reply as a single line of HTML.

    Answered:  <div class="qa-answer">[검색한 질문] <strong>답</strong> 신뢰도 · 근거 문장(<mark>) · 출처 <details>
    Abstained: <div class="qa-abstain">문서에서 찾을 수 없습니다 · 신뢰도 · 가장 가까운 문단 <details>
    """
    conf = f'<span class="qa-conf">{confidence_label(answer.confidence)}</span>'
    if answer.abstained or not answer.text:
        # Collapsed: three whole passages would push the chat far down.
        closest = format_sources(answer.passages, f"가장 가까운 문단 {min(len(answer.passages), MAX_SOURCES)}개 보기")
        return (f'<div class="qa-abstain">{resolved_note(answer)}'
                f'<div class="qa-main"><strong>{esc(NOT_FOUND)}</strong>{conf}</div>{closest}</div>')
    evidence = ""
    if answer.sentence is not None:
        title = answer.title or answer.sentence.title
        evidence = (f'<blockquote class="qa-evidence">{highlight_sentence(answer)}'
                    f'<span class="qa-cite">출처: {esc(title)}</span></blockquote>')
    sources = format_sources(answer.passages, f"검색된 문단 {min(len(answer.passages), MAX_SOURCES)}개 보기")
    return (f'<div class="qa-answer">{resolved_note(answer)}'
            f'<div class="qa-main"><strong>{esc(answer.text)}</strong>{conf}</div>{evidence}{sources}</div>')


def format_error_html(message: str) -> str:
    """A reply for a question that could not be asked (bad input, server error)."""
    return f'<div class="qa-error">{esc(message)}</div>'


def user_message_html(text: str) -> str:
    """The user's turn, escaped (the chat renders Markdown/HTML)."""
    return f'<span class="qa-user">{esc(text)}</span>'


# ---- the chat logic, without Gradio ------------------------------------------------------------------------------
def chat_turn(pipeline, message: str, history: list | None, conversation: Conversation | None):
    """One turn: (message, chat messages, conversation) -> ("", messages + 2, conversation).

    A session starts with `conversation=None` (gr.State cannot deep-copy the
    lock inside a Conversation), so the first turn creates its own. The
    message is checked here as the API checks it (lone surrogates, over
    2,000 characters): such a message gets an error reply and only a short
    preview of it is shown back. The chat keeps its last MAX_CHAT_MESSAGES.
    """
    conversation = conversation if conversation is not None else Conversation()
    history = list(history or [])
    try:
        text = clean_text(message if message is not None else "").strip()
    except InputError as e:
        reply = format_error_html(f"질문을 처리할 수 없습니다: {e}")
        return "", _append(history, "(표시할 수 없는 문자가 든 질문)", reply), conversation
    if not text:
        return "", history, conversation
    if len(text) > MAX_QUERY_CHARS:
        reply = format_error_html(f"질문이 너무 깁니다: {len(text):,}자입니다. {MAX_QUERY_CHARS:,}자 이내로 물어 주세요.")
        return "", _append(history, text[:PREVIEW_CHARS] + "…", reply), conversation
    try:
        reply = format_answer_html(pipeline.ask(text, conversation))
    except QAError as e:
        reply = format_error_html(f"질문을 처리할 수 없습니다: {e}")
    except Exception:
        log.exception("chat turn failed for %r", text[:200])
        reply = format_error_html(INTERNAL_ERROR)
    return "", _append(history, text, reply), conversation


def _append(history: list, user_text: str, reply_html: str) -> list:
    """The chat messages plus one turn, the oldest dropped past MAX_CHAT_MESSAGES."""
    history = history + [{"role": "user", "content": user_message_html(user_text)},
                         {"role": "assistant", "content": reply_html}]
    return history[-MAX_CHAT_MESSAGES:]


def new_chat():
    """'새 대화': empty chat, fresh conversation, empty textbox."""
    return [], Conversation(), ""


# ---- Gradio -----------------------------------------------------------------------------------------------------
def ui_theme():
    """A soft theme with local Korean fonts only (no Google Fonts fetch: the server may be offline)."""
    import gradio as gr
    return gr.themes.Soft(primary_hue="blue", neutral_hue="slate",
                          font=["Pretendard", "Noto Sans KR", "NanumGothic", "Nanum Gothic", "Apple SD Gothic Neo",
                                "Malgun Gothic", "ui-sans-serif", "system-ui", "sans-serif"],
                          font_mono=["D2Coding", "NanumGothicCoding", "ui-monospace", "monospace"])


def build_ui(pipeline) -> "gr.Blocks":  # noqa: F821 (gradio is imported lazily)
    """The chat page: chatbot, textbox, example buttons, '새 대화'. Per-session gr.State conversation."""
    import gradio as gr

    store = getattr(pipeline, "store", None)
    counts = f" (문서 {len(store.documents)}개 · 문단 {len(store.chunks)}개)" if store is not None else ""
    with gr.Blocks(title=TITLE, fill_height=True) as demo:
        gr.Markdown(f"# {TITLE}\n{DESCRIPTION}{counts} · [REST API 문서](/docs)")
        # One per browser session, kept on the server: (chat messages, Conversation). The chatbot is an
        # output only, so a client cannot post a history (its size and its shape are ours).
        session = gr.State(None, time_to_live=SESSION_TTL_S)
        # No fixed height: the chat grows with the answers (up to max_height, then scrolls).
        chatbot = gr.Chatbot(show_label=False, height=None, min_height=420, max_height=1400,
                             latex_delimiters=[], elem_id="qa-chat",
                             placeholder="아래에 질문을 입력하거나 예시 질문을 눌러 보세요.", buttons=["copy"])
        with gr.Row(equal_height=True):
            box = gr.Textbox(placeholder="질문을 입력하세요 (예: NHN 투자액은?)", show_label=False, scale=8,
                             max_length=MAX_QUERY_CHARS, autofocus=True, submit_btn="보내기", elem_id="qa-question")
            reset = gr.Button("새 대화", variant="secondary", scale=1, min_width=90, elem_id="qa-reset")
        gr.Markdown("**예시 질문** (누르면 바로 물어봅니다)")
        with gr.Row(elem_id="qa-examples"):
            buttons = [gr.Button(q, size="sm", variant="secondary") for q in EXAMPLES]

        def respond(message, state):
            messages, conv = state or ([], None)
            box_value, messages, conv = chat_turn(pipeline, message, messages, conv)
            return box_value, messages, (messages, conv)

        def restart():
            messages, conv, box_value = new_chat()
            return messages, (messages, conv), box_value

        outputs = [box, chatbot, session]
        box.submit(respond, [box, session], outputs, api_visibility="private", concurrency_limit=4)
        for button, question in zip(buttons, EXAMPLES):
            button.click(lambda state, q=question: respond(q, state), [session], outputs,
                         api_visibility="private", concurrency_limit=4)
        reset.click(restart, None, [chatbot, session, box], api_visibility="private")
    return demo


def mount_ui(app, pipeline, path: str = "/"):
    """Mount the chat page on a FastAPI `app` with its CSS and theme (Gradio 6 takes them at mount/launch).

    The chat takes no files: uploads are refused (403), `max_file_size` is 0
    as a second guard, and /gradio_api/file= serves nothing (404). Gradio's own
    API routes (/gradio_api/run|api|call/...) are a JSON 404: the events are
    private. A queue request naming no event of this page, or the wrong
    number of inputs, is a JSON 422 before Gradio sees it (Gradio answered a
    plain-text 500). `app.state.body_checks` comes from create_api.
    """
    import gradio as gr
    demo = build_ui(pipeline)
    prefix = path.rstrip("/") + "/gradio_api"
    checks = getattr(app.state, "body_checks", None)
    if checks is None:   # without them the page would take any body, file and fn_index again
        raise TypeError("mount_ui needs an app made by qa.api.create_api (it installs the request checks)")
    checks[f"POST {prefix}/queue/join"] = queue_join_check(demo)
    checks[f"GET {prefix}/queue/data"] = queue_data_check(demo)
    for route in ("upload", "process_recording"):
        checks[f"POST {prefix}/{route}"] = refuse_files
    checks[f"GET {prefix}/upload_progress"] = refuse_files   # Gradio answered it in plain text
    for method in ("GET", "HEAD"):   # nothing is uploaded, so no file is served back either
        checks[f"{method} {prefix}/file=*"] = checks[f"{method} {prefix}/file/*"] = no_files
    for route in ("run", "api", "call"):   # every event is api_visibility="private": the REST API is /api
        checks[f"POST {prefix}/{route}/*"] = checks[f"GET {prefix}/{route}/*"] = no_gradio_api
    return gr.mount_gradio_app(app, demo, path=path, css=UI_CSS, theme=ui_theme(), max_file_size=0,
                               run_history=False, footer_links=[], show_error=False, enable_monitoring=False)


def refuse_files(body: bytes, content_type: str | None, query: str = "") -> None:
    """Body check for Gradio's file routes: always refused."""
    from .api_guards import BodyProblem
    raise BodyProblem(403, "uploads are disabled: this chat takes no files")


def no_files(body: bytes, content_type: str | None, query: str = "") -> None:
    """Check for Gradio's file routes: the chat serves no files (and says so without echoing the path)."""
    from .api_guards import BodyProblem
    raise BodyProblem(404, "no files are served here")


def no_gradio_api(body: bytes, content_type: str | None, query: str = "") -> None:
    """Check for Gradio's own API routes: the chat's events are private; the REST API is /api."""
    from .api_guards import BodyProblem
    raise BodyProblem(404, "this page has no Gradio API: use POST /api/ask (docs at /docs)")


def queue_join_check(demo):
    """Body check for /gradio_api/queue/join: a JSON object naming one of `demo`'s events with its inputs.

    {"fn_index": 0, "data": ["NHN 투자액은?", null], "session_hash": "x"} -> passes
    {"fn_index": 99, ...}                                                 -> BodyProblem(422, "unknown fn_index 99 ...")
    """
    from .api_guards import BodyProblem, parse_json_body

    def check(body: bytes, content_type: str | None, query: str = "") -> None:
        value = parse_json_body(body, content_type)
        if not isinstance(value, dict):
            raise BodyProblem(422, "the request body must be a JSON object")
        fn_index = value.get("fn_index")
        if type(fn_index) is not int or fn_index not in demo.fns:
            raise BodyProblem(422, f"unknown fn_index {str(fn_index)[:20]}: this page has events "
                                   f"0..{len(demo.fns) - 1}")
        inputs = len(demo.fns[fn_index].inputs)
        data = value.get("data")
        if not isinstance(data, list) or len(data) != inputs:
            raise BodyProblem(422, f"data must be a list of {inputs} values for fn_index {fn_index}")
        if not isinstance(value.get("session_hash"), str):
            raise BodyProblem(422, "session_hash must be a string")

    return check


def queue_data_check(demo):
    """Check for GET /gradio_api/queue/data: a session with pending events, else a JSON 404.

    Gradio finds out only after its event stream has started, and then
    breaks the stream with a logged traceback.
    """
    from urllib.parse import parse_qs

    from .api_guards import BodyProblem

    def check(body: bytes, content_type: str | None, query: str = "") -> None:
        session = (parse_qs(query).get("session_hash") or [""])[0]
        queue = getattr(demo, "_queue", None)
        if queue is not None and session not in queue.pending_messages_per_session:
            raise BodyProblem(404, "no events are pending for this session: join the queue first")

    return check
