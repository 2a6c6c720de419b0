"""The classifier itself: rare labels left out, folds bounded by the rarest label, the words of
Chinese text, and no phone or ID number in what a stored model remembers."""

from __future__ import annotations

from jingmin.routing import features, learning
from jingmin.routing.tests.conftest import generated_training_set


def test_labels_with_too_few_examples_are_left_out():
    data = learning.Dataset.of(["甲"] * 6 + ["乙"] * 5 + [" "], ["a"] * 6 + ["b"] * 5 + ["a"])
    assert data.labels == ["a"] * 6 and data.left_out == {"b": 5}
    assert not data.trainable


def test_there_are_never_more_folds_than_examples_of_the_rarest_label():
    data = learning.Dataset.of(["x"] * 20 + ["y"] * 7, ["a"] * 20 + ["b"] * 7)
    assert learning.fold_count(data, 10) == 7
    assert learning.fold_count(data, 5) == 5


def test_words_are_segmented_with_their_parts():
    words = features.words("派出所民警帮忙调解邻里纠纷")
    assert "派出所" in words and "民警" in words and "纠纷" in words


def test_what_follows_the_text_is_where_it_is():
    value = features.with_meta("噪音扰民", address="东门小区3栋", has_district=True, intake="TA10")
    assert features.text_part(value) == "噪音扰民"
    tokens = features.meta_tokens(value)
    assert "@东门" in tokens and "district:yes" in tokens and "intake:TA10" in tokens
    assert "district:no" in features.meta_tokens(features.with_meta("x"))


def test_no_phone_or_id_number_is_remembered_by_a_model():
    data = generated_training_set(count=30)
    texts = [t + " 电话13812345678 身份证110101199003071234" for t in data.category.texts]
    router = learning.train(learning.Dataset.of(texts, data.category.labels))
    parts = router.text.transformer_list
    vocabulary = set(parts[0][1].vocabulary_) | set(parts[1][1].vocabulary_)
    assert not [v for v in vocabulary if "1234" in v or "3812" in v]
    assert "噪音" in vocabulary or "噪" in vocabulary
