"""The shipped span model: verified on load, and it reads a plain Korean passage right."""
import pytest

pytestmark = pytest.mark.slow
torch = pytest.importorskip("torch")

from qa.reader.neural.scorer import MANIFEST, load_span_scorer, read_manifest  # noqa: E402

CONTEXT = ("이순신은 조선 중기의 무신이다. 그는 1545년 한성 건천동에서 태어났다. "
           "1592년 임진왜란이 일어나자 전라좌도 수군절도사로서 옥포에서 첫 승리를 거두었다.")


@pytest.fixture(scope="module")
def scorer():
    return load_span_scorer(engine="torch")


# Either form of a year is a right answer (KorQuAD's golds have both); the raw span is
# checked, before the reader trims particles.
@pytest.mark.parametrize("question, answers", [
    ("이순신은 몇 년에 태어났어?", {"1545년", "1545"}),
    ("이순신이 첫 승리를 거둔 곳은?", {"옥포"}),
    ("임진왜란이 일어난 해는?", {"1592년", "1592"}),
])
def test_reads_the_span(scorer, question, answers):
    best = scorer.predict(question, [CONTEXT])[0][0]
    assert CONTEXT[best.start:best.end].strip() in answers


def test_manifest_names_data_licenses_and_scores():
    m = read_manifest(MANIFEST)
    assert set(m["training"]["licenses"].values()) == {"CC BY-ND 2.0 KR", "Apache 2.0"}
    assert m["weights"]["bytes"] < 30e6 and len(m["weights"]["sha256"]) == 64
    assert m["scores"]["held_out_dev_a"]["held_f1"] > 70


def test_the_hybrid_opens_the_span_session_on_first_use():
    from qa.reader.factory import make_reader
    from qa.settings import Settings
    reader = make_reader(Settings(reader="hybrid"))      # weights and export checked now
    assert reader.scorer.session is None                  # a cascaded question never pays for it
    reader.warm()
    assert reader.scorer.session is not None
    assert make_reader(Settings(reader="neural")).scorer.session is not None   # needs it for every question
