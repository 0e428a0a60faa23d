"""PlainSelect renders what Django's Select renders, character for character."""

import itertools

import pytest
from django import forms

from articles.widgets import PlainSelect

LABELS = ["2020年", "全部年份", "<b>&\"'", "", "委员 张三", "a" * 50]
VALUES = ["", "2020", 'x"<y>', "会议专题", 7]


@pytest.mark.parametrize(
    ("count", "selected", "attrs"),
    [
        (n, s, a)
        for n, s, a in itertools.product(
            (0, 1, 3, 6),
            (None, "", "2020", 'x"<y>', ["2020", ""]),
            (None, {"id": "id_year", "class": 'f"x'}, {"required": True, "disabled": False}),
        )
    ],
)
def test_the_markup_is_djangos_own(count, selected, attrs):
    choices = [(VALUES[i % len(VALUES)], LABELS[i % len(LABELS)]) for i in range(count)]
    django_markup = forms.Select(choices=choices).render("year", selected, attrs)
    ours = PlainSelect(choices=choices).render("year", selected, attrs)
    assert ours == django_markup
    assert str(type(ours).__name__) == "SafeString"


def test_a_multiple_select_keeps_every_selected_option():
    choices = [("1", "一"), ("2", "二"), ("3", "三")]

    class Multiple(PlainSelect):
        allow_multiple_selected = True

    ours = Multiple(choices=choices, attrs={"multiple": True}).render("n", ["1", "3"])
    assert ours == forms.SelectMultiple(choices=choices).render("n", ["1", "3"])
    assert ours.count("selected") == 2


def test_option_groups_fall_back_to_djangos_templates():
    choices = [("甲", [("1", "一"), ("2", "二")]), ("3", "三")]
    assert PlainSelect(choices=choices).render("n", "2") == forms.Select(choices=choices).render(
        "n", "2"
    )
