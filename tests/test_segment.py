"""The segmenter in use gives jieba's own tokens, keywords and weights on the seed pages."""

from __future__ import annotations

import pytest
from jieba.analyse import TFIDF, TextRank
from jieba.posseg import pair

from newsetl.enrich import keywords
from newsetl.language import tokens
from newsetl.parsing import parse_file
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seed_items() -> list[list[str]]:
    """Paragraph texts of every item of every seed page."""
    items = []
    for page_file in sorted(SEEDS.iterdir()):
        items += [[p.text for p in item.paragraphs] for item in parse_file(page_file).items]
    return [paragraphs for paragraphs in items if paragraphs]


class _Tagged:
    """Hands jieba's TextRank the tags an article was given, in place of jieba.posseg."""

    def __init__(self, tagged: list[tuple[str, str]]):
        self.tagged = tagged

    def cut(self, _sentence: str) -> list[pair]:
        return [pair(word, flag) for word, flag in self.tagged]


def test_tokens_equal_jieba_lcut_on_every_seed_paragraph(seed_items):
    reference = tokens.jieba_tokenizer()
    paragraphs = [p for item in seed_items for p in item]
    assert len(paragraphs) > 150
    counted = 0
    for text in paragraphs:
        expected = reference.lcut(text)
        assert tokens.cut(text) == expected, text[:40]
        assert [w for w, _ in tokens.tag(text)] == expected, text[:40]
        counted += len(expected)
    assert counted > 10_000


def test_user_dictionary_words_stay_whole():
    word = tokens.user_words()[0].word
    text = f"记者来到{word}采访"
    assert word in tokens.cut(text)
    assert tokens.cut(text) == tokens.jieba_tokenizer().lcut(text)


def test_tfidf_equals_jieba_extract_tags(seed_items):
    extractor = TFIDF()
    extractor.tokenizer = tokens.jieba_tokenizer()
    for paragraphs in seed_items:
        text = "".join(paragraphs)
        expected = extractor.extract_tags(text, topK=keywords.TOP_K, withWeight=True)
        assert keywords.tfidf(tokens.cut(text)) == expected, text[:40]


def test_textrank_equals_jieba_textrank_on_the_same_tags(seed_items):
    compared = exact = 0
    for paragraphs in seed_items:
        tagged = [t for p in paragraphs for t in tokens.tag(p)]
        ranker = TextRank()
        ranker.tokenizer = _Tagged(tagged)
        expected = ranker.textrank("", topK=None, withWeight=True)
        got = keywords.textrank(tagged)
        assert len(got) == min(keywords.TOP_K, len(expected))
        jieba_weight = dict(expected)
        for word, weight in got:
            assert weight == pytest.approx(jieba_weight[word], rel=1e-9, abs=1e-12)
        # Same order as jieba's; words may trade places only where jieba's weights tie.
        cut = got[-1][1] if got else 0.0
        strictly_above = [w for w, v in expected if v > cut + 1e-9]
        assert [w for w, _ in got][: len(strictly_above)] == strictly_above
        exact += [w for w, _ in got] == [w for w, _ in expected[: keywords.TOP_K]]
        compared += bool(expected)
    assert compared > 30
    assert exact >= compared - 2


def test_stop_words_are_jiebas():
    assert keywords.STOP_WORDS == TFIDF.STOP_WORDS


def test_keywords_of_an_empty_text_are_empty():
    assert keywords.tfidf([]) == []
    assert keywords.textrank([]) == []
    assert keywords.textrank([("的", "uj"), ("了", "ul")]) == []


def test_entities_keep_names_with_a_surname():
    found = tokens.entities([("张伟", "nr"), ("伟大", "nr"), ("北京", "ns"), ("x", "ns")])
    assert found == {("张伟", "person"): 1, ("北京", "place"): 1}


def test_keywords_of_a_batch_equal_each_article_ranked_alone(seed_items):
    tagged = [[t for p in paragraphs for t in tokens.tag(p)] for paragraphs in seed_items]
    tagged.insert(3, [])
    tagged.insert(7, [("的", "uj")])
    alone = [keywords.textrank(t) for t in tagged]
    assert keywords.textrank_many(tagged) == alone
    assert sum(map(bool, alone)) > 30
    words = [[w for w, _ in t] for t in tagged]
    assert keywords.tfidf_many(words) == [keywords.tfidf(t) for t in words]
