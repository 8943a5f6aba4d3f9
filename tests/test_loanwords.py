"""Latin names written as they sound in Hangul (qa.loanwords; Kiwi for the nouns)."""
import pytest

from qa.loanwords import LatinNames, hangul_skeleton, latin_skeletons

DOCS = ["SoS Lab은 GIST 학생들이 모여 창업한 스타트업이다.", "GIST AI대학원은 구글 등 7개 기업과 협력한다.",
        "NHN은 88.5 PFLOPS 규모의 데이터센터를 짓는다."]


@pytest.mark.parametrize("hangul, latin", [
    ("쏘스랩", "SoS Lab"), ("지스트", "GIST"), ("아몰레드", "AMOLED"), ("보헤미안", "Bohemian"), ("빅벤", "Big Ben")])
def test_a_name_and_its_hangul_spelling_share_a_skeleton(hangul, latin):
    assert hangul_skeleton(hangul) in latin_skeletons(latin)


@pytest.mark.parametrize("hangul, latin", [
    ("사망일", "Asia Minor"), ("싯타르타", "Street"), ("카톨릭", "Cadillac"), ("헤리슨", "Lessing")])
def test_words_with_the_same_consonants_but_other_vowels_or_an_h_do_not(hangul, latin):
    # collisions a consonant-only skeleton made over KorQuAD dev and TyDi train
    assert hangul_skeleton(hangul) not in latin_skeletons(latin)


def test_hangul_spellings_of_the_documents_names_are_respelled():
    names = LatinNames.of(DOCS)
    assert names.respell("쏘스랩은 누가 창업했어?") == "SoS Lab은 누가 창업했어?"
    assert names.respell("지스트 AI대학원 협력 기업은?") == "GIST AI대학원 협력 기업은?"   # not "GIST AI" twice


def test_words_that_are_no_noun_or_that_the_documents_write_stay():
    names = LatinNames.of(DOCS + ["지스트라는 말도 쓴다."])
    assert names.respell("지스트는 어디야?") == "지스트는 어디야?"          # the documents write 지스트 itself
    assert LatinNames.of(DOCS).respell("누구인가요?") == "누구인가요?"      # a pronoun and an ending
    assert LatinNames.of(DOCS).respell("SoS Lab 쏘스랩") == "SoS Lab 쏘스랩"  # the name is already there


def test_a_skeleton_two_names_share_names_neither():
    assert LatinNames.of(["SoS Lab", "Sos Lap"]).respell("쏘스랩은?") == "쏘스랩은?"
    assert LatinNames.of(["GIST", "GIST AI"]).respell("지스트는?") == "GIST는?"   # one only adds a word


def test_no_documents_no_change():
    assert LatinNames.of([]).respell("쏘스랩은?") == "쏘스랩은?"


def test_addresses_and_case_variants_do_not_cancel_a_name():
    names = LatinNames.of(["SoS Lab(www.soslab.co.kr, info@soslab.com)은 스타트업이다.", "GIST와 Gist는 같다."])
    assert names.respell("쏘스랩은?") == "SoS Lab은?" and names.respell("지스트는?") == "GIST는?"


def test_a_long_run_of_capitalized_words_is_read_in_bounded_time():
    import time
    text = " ".join(["Gregory Cecil Gigi George Cecily Gingham Giles Cicero"] * 20)
    t = time.perf_counter()
    LatinNames.of([text])
    assert time.perf_counter() - t < 1.0      # c and g before e/i double the readings at most 3 times


def test_the_pipeline_reads_the_names_once_per_documents(monkeypatch):
    import threading

    from qa import loanwords
    from qa.pipeline import Pipeline
    from qa.types import Document
    calls = []
    real = loanwords.LatinNames.of
    monkeypatch.setattr(loanwords.LatinNames, "of", classmethod(lambda cls, t: calls.append(1) or real(t)))

    class Store:
        documents = {"d": Document("d", "t", DOCS[0])}

    class Retriever:
        store = Store()
    pipe = Pipeline(Retriever(), None, None)
    threads = [threading.Thread(target=pipe.respelled, args=("쏘스랩은?",)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert pipe.respelled("쏘스랩은?") == "SoS Lab은?" and len(calls) == 1
    Store.documents = {"e": Document("e", "t", DOCS[1])}      # another index: read again
    assert pipe.respelled("지스트는?") == "GIST는?" and len(calls) == 2


def test_a_hangul_word_glossed_by_the_name_in_brackets_is_that_name():
    names = LatinNames.of(DOCS)
    assert names.respell("소스랩(SoS Lab)은 뭐 만드는 회사예요?") == "SoS Lab은 뭐 만드는 회사예요?"
    assert names.respell("쏘스랩 (SoS Lab) 직원은?") == "SoS Lab 직원은?"
    assert names.respell("광주과학기술원(GIST)은?") == "광주과학기술원(GIST)은?"   # a translation, not a reading
