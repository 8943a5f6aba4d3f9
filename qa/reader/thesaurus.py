"""Korean near-synonyms of news vocabulary, for questions worded unlike the document.

    synonyms("직원") -> ("고용", "인력", "임직원")

"직원 수는?" is answered by "고용규모 47명", "계산 능력은?" by "연산성능":
a question word the documents never use counts as present, and is searched
for, under a synonym they do use. General vocabulary only, like the English
glossary; this is no thesaurus of the language.
"""
from __future__ import annotations

SYNONYMS: dict[str, tuple[str, ...]] = {
    # people employed
    "직원": ("고용", "인력", "임직원"), "임직원": ("직원", "고용"), "근로자": ("고용", "직원"),
    "종업원": ("직원", "고용"), "인력": ("고용", "직원"), "일자리": ("고용",),
    # computing and size
    "계산": ("연산",), "연산": ("계산",), "능력": ("성능",), "성능": ("능력",),
    "바닥": ("연면적",), "바닥면적": ("연면적",), "건물": ("동", "건축"),
    # organisations
    "회사": ("기업",), "업체": ("기업",), "기업": ("회사",), "학교": ("대학", "대학교", "대학원"),
    # founding and money
    "설립": ("창업", "개소"), "창업": ("설립",), "개소": ("설립",), "세우": ("설립", "건설"), "짓": ("건축", "건설"),
    "비용": ("사업비", "예산"), "예산": ("사업비",), "투자금": ("투자",), "자금": ("투자",),
    # study, law, partnership
    "신입생": ("학생", "입학", "선발"), "법률": ("법",), "법안": ("법",), "파트너": ("협력", "공동"),
    "협력사": ("협력", "기업"), "겸직": ("겸무",), "겸무": ("겸직",),
    # firsts
    "처음": ("최초", "첫"), "최초": ("처음", "첫"),
    # the state and the country
    "나랏돈": ("정부", "국비", "예산"), "국비": ("정부", "예산"), "한국": ("국내", "우리나라", "대한민국"),
}


def synonyms(word: str) -> tuple[str, ...]:
    """Near-synonyms of a Korean word, most common first; () when none are listed.

    >>> synonyms("계산"), synonyms("건물들"), synonyms("광주")
    (('연산',), ('동', '건축'), ())
    """
    return SYNONYMS.get(word) or SYNONYMS.get(word.removesuffix("들"), ())
