"""What a question asks about: weighted terms, names, mentions (qa/reader/question_terms.py)."""
from qa.conversation import Resolved
from qa.reader.aliases import document_aliases
from qa.reader.question import analyze
from qa.reader.question_terms import CARRIED_WEIGHT, mentions, question_entities, weighted_terms


def test_document_aliases_and_name_mentions():
    aliases = document_aliases("서울시립대학교(UOS) 도서관은 3일 문을 열었다.")
    assert aliases["uos"] == {"서울시립대학교"}
    assert mentions("uos", "서울시립대학교도서관은", aliases)
    assert mentions("김하늘", "김시장은축사를했다")            # surname + title
    assert not mentions("김하늘", "박시장은축사를했다")


def test_a_name_the_document_defines_is_a_name_of_the_question():
    text = "한빛과학기술원(HBIST)은 4일 현판식을 열었다."
    q = "한빛과학기술원 현판식은 언제 했어?"
    assert "한빛과학기술원" in question_entities(analyze(q), q, {"d": text})


def test_names_weigh_double_and_borrowed_words_less():
    q = "NHN 투자액 기간은?"
    terms = weighted_terms(analyze(q), Resolved(q, "기간은?", previous="NHN 투자액은?", carried=("NHN", "투자액")))
    assert terms["nhn"] == 2.0 * CARRIED_WEIGHT
    assert terms["기간"] == 1.0
