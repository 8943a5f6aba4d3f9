"""Focus features: a kind of the focus, designated as it, standing beside it."""


def test_a_coordination_is_a_kind_of_the_focus_only_when_both_sides_are():
    from qa.reader.candidates import Candidate
    from qa.reader.focus import focus_suffix
    from qa.reader.slot import question_slot
    slot = question_slot("시가 지원하는 반도체 분야는?")
    assert focus_suffix(Candidate(0, 5, "AI반도체", "phrase"), slot) == 1.0
    assert focus_suffix(Candidate(0, 11, "개발도구와 AI반도체", "coord"), slot) == 0.0
    assert focus_suffix(Candidate(0, 11, "전력반도체와 AI반도체", "coord"), slot) == 1.0


def test_designation_and_standing_beside_the_focus():
    from qa.reader.candidates import Candidate
    from qa.reader.focus import beside_focus, designated
    from qa.reader.slot import question_slot
    slot = question_slot("도서관 민간사업자는 어디야?")
    text = "시와 민간사업자가 협약을 맺었다. 작년 사업자로 선정된 한빛재단이 운영을 맡는다."

    def cand(word):
        return Candidate(text.find(word), text.find(word) + len(word), word, "name")
    assert designated(text, cand("한빛재단"), slot) == 1.0
    assert designated(text, cand("협약"), slot) == 0.0
    assert beside_focus(text, cand("시"), slot) == 1.0
    assert beside_focus(text, cand("한빛재단"), slot) == 0.0
