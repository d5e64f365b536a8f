"""The detector on the labelled corpus: precision first (>= 0.98), recall >= 0.90, in every language.

Behaviour only; speed is measured by bench/conversion.py (`python -m bench --only conversion`).
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from bot.time import localize, parse_instant, to_utc
from tests.support.conversion_corpus import evaluate, load, meridian_detector

ITEMS = load()
LOCALES = {"en", "de", "es", "fr", "pt_BR", "ja", "hi", "ar"}


def test_the_corpus_is_large_realistic_and_covers_every_language() -> None:
    assert len(ITEMS) >= 400
    per_locale = Counter(i["locale"] for i in ITEMS)
    assert set(per_locale) == LOCALES
    for locale in LOCALES:
        kinds = Counter(i["kind"] for i in ITEMS if i["locale"] == locale)
        assert kinds["positive"] >= 20 and kinds["negative"] >= 10, (locale, kinds)
    tags = Counter(i["tag"] for i in ITEMS)
    assert tags["quote"] >= 5 and tags["code"] >= 5
    assert len({i["id"] for i in ITEMS}) == len(ITEMS)


@pytest.mark.parametrize("item", ITEMS, ids=[i["id"] for i in ITEMS])
def test_every_label_is_consistent(item: dict) -> None:
    """Offsets point at the labelled words and each UTC instant is its local time in its zone."""
    parse_instant(item["at"])
    for e in item["expected"]:
        assert item["text"][e["start"]:e["end"]] == e["text"]
        if e["utc"] is None:
            assert e["note"], e
            continue
        if e["zone"].startswith("UTC") and len(e["zone"]) > 3:
            continue                          # a written offset, checked by the reading tests
        assert to_utc(localize(datetime.fromisoformat(e["local"]), e["zone"])) == parse_instant(e["utc"]), e


def test_precision_and_recall_on_the_corpus() -> None:
    total, per_locale = evaluate(meridian_detector, ITEMS)
    mistakes = [(m["id"], m["kind"], m["text"]) for m in total.mistakes]
    assert total.precision >= 0.98, mistakes
    assert total.recall >= 0.90, mistakes
    assert total.wrong_instant == 0, mistakes           # a time found is never read as another instant
    for locale, score in per_locale.items():
        assert score.precision >= 0.95, (locale, mistakes)
        assert score.recall >= 0.85, (locale, mistakes)


def test_hard_negatives_stay_quiet() -> None:
    negatives = [i for i in ITEMS if i["kind"] == "negative"]
    total, _ = evaluate(meridian_detector, negatives)
    assert total.detections <= len(negatives) * 0.01, [(m["id"], m["text"]) for m in total.mistakes]
