"""Loading .txt / .md / .html / .jsonl files and folders into clean `Document`s."""
from __future__ import annotations

import json
import unicodedata

import pytest

from qa.documents import BUNDLED_ID, bundled_documents, load_file, load_paths
from qa.errors import InputError


def write(path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_txt_title_is_first_line_and_whitespace_is_tidied(tmp_path):
    f = write(tmp_path / "news.txt", "도서관 개관 소식\r\n\r\n\n  한빛도서관이   문을 연다.  \n")
    [doc] = load_paths([f])
    assert doc.id == "news"
    assert doc.title == "도서관 개관 소식"
    assert doc.text == "도서관 개관 소식\n한빛도서관이 문을 연다."
    assert doc.source == str(f)


def test_markdown_heading_becomes_title(tmp_path):
    f = write(tmp_path / "note.md", "# 불꽃축제 안내\n\n축제는 10월 7일에 열린다.\n")
    [doc] = load_paths([f])
    assert doc.title == "불꽃축제 안내"
    assert "축제는 10월 7일에 열린다." in doc.text


def test_html_keeps_visible_text_only(tmp_path):
    html = """<!doctype html><html><head><title>실적 발표</title>
    <style>body { color: red; }</style><script>var secret = "숨은 글";</script></head>
    <body><h1>다온전자 3분기 실적</h1><p>매출 4조2천억원을 기록했다.</p>
    <script>alert("스크립트")</script><noscript>자바스크립트를 켜세요</noscript>
    <ul><li>영업이익 3800억원</li><li>반도체 부문 호조</li></ul></body></html>"""
    [doc] = load_paths([write(tmp_path / "page.html", html)])
    assert doc.title == "실적 발표"
    assert doc.text == "다온전자 3분기 실적\n매출 4조2천억원을 기록했다.\n영업이익 3800억원\n반도체 부문 호조"
    for hidden in ("color", "secret", "숨은", "스크립트", "자바스크립트"):
        assert hidden not in doc.text


def test_jsonl_records_become_documents_with_metadata(tmp_path):
    lines = [
        {"id": "lib", "title": "도서관", "text": "한빛시립도서관이 문을 연다.", "date": "2024-03-15"},
        {"title": "축제", "text": "불꽃축제가 열린다."},
    ]
    f = write(tmp_path / "docs.jsonl", "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n")
    docs = load_paths([f])
    assert [d.id for d in docs] == ["lib", "docs:2"]
    assert docs[0].metadata == {"date": "2024-03-15"}
    assert docs[1].title == "축제"
    assert docs[0].source == f"{f}:1"


def test_bad_jsonl_line_names_file_and_line(tmp_path):
    f = write(tmp_path / "bad.jsonl", '{"id": "a", "text": "좋은 줄"}\n{"id": "b", "text": 깨진 줄}\n')
    with pytest.raises(InputError, match=rf"{f.name}:2"):
        load_paths([f])


def test_jsonl_record_without_text_is_refused(tmp_path):
    f = write(tmp_path / "notext.jsonl", '{"id": "a", "body": "text 키가 없다"}\n')
    with pytest.raises(InputError, match=r"notext\.jsonl:1"):
        load_paths([f])


def test_folder_is_walked_recursively_in_sorted_order(tmp_path):
    write(tmp_path / "corpus" / "b.txt", "둘째 문서다.")
    write(tmp_path / "corpus" / "a.md", "첫째 문서다.")
    write(tmp_path / "corpus" / "sub" / "c.html", "<p>셋째 문서다.</p>")
    write(tmp_path / "corpus" / "ignored.pdf", "not text")
    docs = load_paths([tmp_path / "corpus"])
    assert [d.id for d in docs] == ["a", "b", "sub/c"]


def test_empty_folder_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    write(tmp_path / "empty" / "x.pdf", "pdf")
    with pytest.raises(InputError, match="holds no"):
        load_paths([tmp_path / "empty"])


def test_unsupported_type_is_refused(tmp_path):
    f = write(tmp_path / "report.pdf", "%PDF-1.4")
    with pytest.raises(InputError, match=r"unsupported file type \.pdf"):
        load_paths([f])
    with pytest.raises(InputError, match="unsupported"):
        load_file(f)


def test_missing_path_is_refused(tmp_path):
    with pytest.raises(InputError, match="path not found"):
        load_paths([tmp_path / "nope.txt"])


def test_no_paths_is_refused():
    with pytest.raises(InputError, match="no input paths"):
        load_paths([])


def test_non_utf8_file_is_refused_with_a_fix(tmp_path):
    f = tmp_path / "cp949.txt"
    f.write_bytes("한국어 문서".encode("cp949"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_paths([f])


def test_empty_document_is_refused(tmp_path):
    f = write(tmp_path / "blank.txt", "  \n\n \t\n")
    with pytest.raises(InputError, match="no text"):
        load_paths([f])


def test_duplicate_ids_are_refused(tmp_path):
    f = write(tmp_path / "dup.jsonl", '{"id": "x", "text": "가"}\n{"id": "x", "text": "나"}\n')
    with pytest.raises(InputError, match="duplicate document id"):
        load_paths([f])


def test_text_is_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "한국어 문서 정규화")
    assert nfd != unicodedata.normalize("NFC", nfd)
    for name, content in (("a.txt", nfd), ("b.md", nfd), ("c.html", f"<p>{nfd}</p>"),
                          ("d.jsonl", json.dumps({"id": "d", "title": nfd, "text": nfd}))):
        [doc] = load_paths([write(tmp_path / name, content)])
        assert doc.text == "한국어 문서 정규화"
        assert unicodedata.is_normalized("NFC", doc.title)


def test_bundled_announcement():
    [doc] = bundled_documents()
    assert doc.id == BUNDLED_ID
    assert doc.metadata["date"] == "2021-02-04"
    assert doc.title.startswith('"누구나 AI기술 쓸수있게"')
    assert "2100억원" in doc.text
    assert unicodedata.is_normalized("NFC", doc.text)


def test_script_inside_html_title_does_not_leak(tmp_path):
    html = ("<html><head><title>실적 발표<script>document.title='해킹'</script><style>t{x:1}</style> 요약"
            "</title></head><body><p>매출 4조2천억원을 기록했다.</p></body></html>")
    [doc] = load_paths([write(tmp_path / "page.html", html)])
    assert doc.title == "실적 발표 요약"
    assert "해킹" not in doc.title + doc.text and "document" not in doc.title + doc.text
    assert "x:1" not in doc.title + doc.text
    assert doc.text == "매출 4조2천억원을 기록했다."


def test_file_over_the_size_limit_is_refused_with_its_size_and_the_flag(tmp_path):
    f = write(tmp_path / "big.txt", "가나다라 마바사 " * 20_000)        # ~0.4 MB
    with pytest.raises(InputError) as e:
        load_paths([f], max_file_mb=0.1)
    msg = str(e.value)
    assert "big.txt" in msg and "0.4 MB" in msg and "0.1 MB limit" in msg and "--max-file-mb" in msg
    assert load_paths([f], max_file_mb=1)[0].text.startswith("가나다라")


def test_default_size_limit_is_20_mb(tmp_path):
    f = tmp_path / "huge.txt"
    with open(f, "wb") as out:                 # sparse: 21 MB on paper, no disk used, never read
        out.truncate(21 * 2**20)
    with pytest.raises(InputError, match=r"huge\.txt is 21\.0 MB, over the 20 MB limit"):
        load_paths([f])
