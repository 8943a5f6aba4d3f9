"""A document's own date (a news article's dateline) and the questions that ask for it.

    dateline("광주 AI데이터센터 착공\n2021-02-04 21:48\n정부는 4일 ...")   -> (14, 30)   "2021-02-04 21:48"
    asks_document_date(analyze("이 기사는 언제 게재됐어?"))             -> True
    asks_document_date(analyze("기사에 나온 착수식은 언제야?"))          -> False (착수식 is the topic)

A scraped article carries its date on a line of its own near the top, outside
every sentence, so no question word ever lands near it and the reader's
evidence cannot reach it. "이 기사 언제 올라왔어?" asks about the document,
not about anything it reports: the answer is that line or nothing.
"""
from __future__ import annotations

import re

from .question import QuestionInfo

# The document itself: "이 기사", "본 보도", "this article".
DOCUMENT_WORDS = frozenset({"기사", "글", "문서", "보도", "뉴스", "본문", "원문", "보도자료", "포스트", "게시물",
                            "article", "story", "report", "document", "piece", "post", "news"})
# How a document comes out ("언제 게재됐어?", "When was it published?").
PUBLISHING_WORDS = frozenset({"게재", "작성", "발행", "송고", "출고", "등록", "입력", "업로드", "배포", "공개", "발표",
                              "게시", "published", "written", "posted", "released", "dated", "issued"})
# Its date by name ("작성일은?", "What date ...?").
DATE_NOUNS = frozenset({"날짜", "일자", "일시", "며칠", "시간", "시각", "작성일", "게재일", "발행일", "입력일", "등록일",
                        "배포일", "작성일자", "게재일자", "발행일자", "보도일", "date", "time"})
# Words of the question's form that Kiwi takes for nouns ("올라온 거야?", "this article").
_FORM = frozenset({"거", "것", "this", "the"})

_LABEL = r"(?:(?:기사)?입력|수정|최종수정|게재|등록|발행|작성|송고|승인|업데이트|Published|Updated|Posted|Date)"
_DATE = r"\d{4}\s?[-./]\s?\d{1,2}\s?[-./]\s?\d{1,2}\.?|\d{4}년\s?\d{1,2}월\s?\d{1,2}일"
_TIME = r"(?:\s+(?:오전|오후|AM|PM)?\s?\d{1,2}:\d{2}(?::\d{2})?|\s+(?:오전|오후)\s?\d{1,2}시(?:\s?\d{1,2}분)?)"
# A line that is a date (and time), with at most a label and a weekday around it.
_LINE = re.compile(rf"\s*(?:{_LABEL}\s*[:：]?\s*)?(?P<date>(?:{_DATE})(?:\s*\([월화수목금토일]\))?{_TIME}?)"
                   rf"\s*(?:{_LABEL})?\s*", re.IGNORECASE)
HEAD_LINES = 8          # a dateline sits among the first lines (title, subtitles, byline)


def dateline(text: str) -> tuple[int, int] | None:
    """[start, end) of the date (and time) on a line of its own among the first HEAD_LINES lines; None if none.

    >>> t = "제목\\n입력 2024.03.05 09:30\\n본문은 2023년 1월 2일에 시작했다."
    >>> s, e = dateline(t); t[s:e]
    '2024.03.05 09:30'
    >>> dateline("본문은 2023년 1월 2일에 시작했다.") is None
    True
    """
    at = 0
    for line in text.split("\n")[:HEAD_LINES]:
        m = _LINE.fullmatch(line)
        if m:
            return at + m.start("date"), at + m.end("date")
        at += len(line) + 1
    return None


def asks_document_date(info: QuestionInfo) -> bool:
    """Does the question ask when the document itself came out, and nothing else?

    It names the document (기사, 글, article ...), asks for a date (언제, 날짜, 작성일 ...) and
    has no other topic than how a document comes out (게재, 작성, published ...).
    """
    nouns = {n.lower() for n in info.nouns}
    if not nouns & DOCUMENT_WORDS:
        return False
    if info.answer_type != "date" and not nouns & DATE_NOUNS:
        return False
    return not (nouns - DOCUMENT_WORDS - PUBLISHING_WORDS - DATE_NOUNS - _FORM)
