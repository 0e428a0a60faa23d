from richtext.text import html_to_text


def test_inline_formatting_leaves_the_text_as_printed():
    assert html_to_text("<p>推动<strong>碳达峰碳中和</strong>是</p>") == "推动碳达峰碳中和是"
    assert html_to_text("<p>H<sub>2</sub>O，<a href='/x'>链接</a>。</p>") == "H2O，链接。"


def test_blocks_are_separated_by_one_space():
    assert html_to_text("<p>一段</p><p>二段<br>三行</p><ul><li>甲</li><li>乙</li></ul>") == (
        "一段 二段 三行 甲 乙"
    )
    assert html_to_text("<p>A&amp;B&nbsp;</p>") == "A&B"
