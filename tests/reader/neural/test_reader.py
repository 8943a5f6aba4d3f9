"""NeuralReader over a deterministic fake scorer: offsets, citation, abstention, passage choice."""
from qa.conversation import Resolved
from qa.reader.neural import NeuralReader, SpanPrediction, SpanScorer
from qa.types import Chunk, Document, Hit, Span

DOC = Document("d", "제목", "광주에 데이터센터를 짓는다. NHN은 2100억원을 투자한다. 완공은 2023년이다.")


def _hit(rank, start, end):
    text = DOC.text[start:end]
    sents, pos = [], 0
    for part in text.split(". "):
        sents.append(Span(pos, pos + len(part) + (1 if pos + len(part) < len(text) else 0)))
        pos += len(part) + 2
    return Hit(rank, 1.0, Chunk(rank, "d", "제목", text, start, end, tuple(sents)))


class FakeScorer(SpanScorer):
    """Scores the first occurrence of `target` in each context; null fixed."""

    def __init__(self, target, score=5.0, null=1.0):
        self.target, self.score, self.null, self.calls = target, score, null, []

    def predict(self, question, contexts, top=5):
        self.calls.append((question, contexts))
        out = []
        for c in contexts:
            i = c.find(self.target)
            out.append([SpanPrediction(i - 1, i + len(self.target), self.score, self.null)] if i > 0 else [])
        return out


def _read(reader, hits, q="NHN 투자액은?"):
    return reader.read(q, Resolved(q, q), hits, {"d": DOC})


def test_answer_offsets_point_into_the_document_and_cite_the_sentence():
    hits = [_hit(1, 0, len(DOC.text))]
    a = _read(NeuralReader(FakeScorer("2100억원")), hits)
    assert not a.abstained and a.text == "2100억원"            # the leading space is trimmed
    assert DOC.text[a.start:a.end] == a.text
    assert a.sentence.text == "NHN은 2100억원을 투자한다."
    assert DOC.text[a.sentence.start:a.sentence.end] == a.sentence.text
    assert a.confidence > 0.9


def test_abstains_when_the_null_score_wins():
    hits = [_hit(1, 0, len(DOC.text))]
    a = _read(NeuralReader(FakeScorer("2100억원", score=1.0, null=4.0)), hits)
    assert a.abstained and a.text is None and a.passages == tuple(hits)
    assert a.confidence < 0.35


def test_reads_only_the_top_passages_and_the_resolved_question():
    hits = [_hit(r, 0, len(DOC.text)) for r in range(1, 6)]
    scorer = FakeScorer("2023년")
    a = NeuralReader(scorer, max_passages=2).read("완공은?", Resolved("광주 데이터센터 완공은?", "완공은?"), hits, {"d": DOC})
    (question, contexts), = scorer.calls
    assert question == "광주 데이터센터 완공은?" and len(contexts) == 2
    assert a.text == "2023년" and a.resolved_question == "광주 데이터센터 완공은?"


def test_no_hits_or_no_spans_abstain():
    assert NeuralReader(FakeScorer("x")).read("q", Resolved("q", "q"), [], {}).abstained
    assert _read(NeuralReader(FakeScorer("없는말")), [_hit(1, 0, 20)]).abstained


def test_trailing_particles_are_trimmed_unless_asked_not_to():
    hits = [_hit(1, 0, len(DOC.text))]
    scorer = FakeScorer("2100억원을")
    assert _read(NeuralReader(scorer), hits).text == "2100억원"
    raw = _read(NeuralReader(scorer, trim=False), hits)
    assert raw.text == "2100억원을" and DOC.text[raw.start:raw.end] == raw.text


def test_trim_edges_cuts_at_an_open_quote_and_drops_mid_word_starts():
    from qa.reader.neural.reader import trim_edges
    text = '문 대통령은 센터가 "AI의 핵심거점"이라며 웃었다'
    s, e = trim_edges(text, SpanPrediction(0, text.index('"이라며'), 1.0, 0.0))
    assert text[s:e] == "AI의 핵심거점"
    assert trim_edges("티맥스소프트는", SpanPrediction(3, 6, 1.0, 0.0)) is None   # "소프트": half a word
    assert trim_edges("NHN은 2100억원을", SpanPrediction(4, 11, 1.0, 0.0)) == (5, 11)
