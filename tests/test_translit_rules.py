"""Every declared sound rule's examples (search/translit/sounds.py), through the verdict."""
from __future__ import annotations

import pytest

from search.names import verdict
from search.names.translit.sounds import CLASSES, CONFUSIONS, CONTRACTION_EXAMPLES

CLASS_EXAMPLES = [(c.name, a, b) for c in CLASSES for a, b in c.examples]
CONFUSION_EXAMPLES = [(f"{c.a}/{c.b}", a, b) for c in CONFUSIONS for a, b in c.examples]
CONFUSION_EXAMPLES += [("contraction", a, b) for a, b in CONTRACTION_EXAMPLES]


def accepted(a: str, b: str) -> bool:
    cost = verdict.latin_cost((a,), (b,))
    length = max(len(s) for s in verdict.latin_readings((a,)))
    return verdict.accepts_latin(cost, length)


@pytest.mark.parametrize("rule, a, b", CLASS_EXAMPLES + CONFUSION_EXAMPLES)
def test_each_rule_example_is_one_name(rule, a, b):
    assert accepted(a, b) and accepted(b, a), f"{rule}: {a} / {b}"


@pytest.mark.parametrize("rule, a, b", CLASS_EXAMPLES)
def test_a_class_example_costs_no_more_than_changes_inside_classes(rule, a, b):
    w = verdict.weights()
    cheap = {**w, "vowel": 9, "vowel_e": 9, "near": 9, "far": 9, "cons_indel": 9, "vowel_indel": 9}
    assert verdict.latin_cost((a,), (b,), cheap) < 1, f"{rule}: {a} / {b} needs more than a change inside a class"


def test_every_spelling_belongs_to_a_class_and_confusions_name_classes():
    names = {c.name for c in CLASSES}
    assert all(c.a in names and c.b in names for c in CONFUSIONS)
    assert all(c.spellings for c in CLASSES)
