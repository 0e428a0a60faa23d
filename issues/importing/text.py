"""Small text helpers shared by the parsing steps: punctuation classes, fuzzy matching
by shared characters, person names."""

from __future__ import annotations

import re
import unicodedata

HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
HAN_RE = re.compile(f"[{HAN}]")

# A paragraph ending in one of these is complete; otherwise a page break cut it.
# ：closes 同志们： and 为此建议：, which introduce what follows but stand alone.
TERMINAL = frozenset("。！？!?…”」』）)：:")
# Sentence punctuation that never occurs inside a headline.
SENTENCE_INSIDE = frozenset("。；;")

# 泽州县政协主席李正根反映：… — how a 社情民意 item opens: its contributors, then 反映.
REPORTED = re.compile(r"^([^：:。；;]{4,200}?)反映\s*[：:]")

# Common single-character surnames, and the compound ones. Used to tell a person's
# name from the end of a title (…中心王艳芳) and from a 4-character idiom (集思广益).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝原阴习栗都揭茅晁练逯"
)
COMPOUND_SURNAMES = frozenset(
    ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "令狐", "慕容", "夏侯",
     "端木", "独孤", "长孙", "宇文", "司徒", "申屠")
)  # fmt: skip


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


_NOT_WORD = re.compile(r"[\W_]+")


def norm(s: str) -> str:
    """Letters, digits and Han characters only: what fuzzy matching compares."""
    return _NOT_WORD.sub("", nfkc(s).lower())


def bigrams(s: str, *, normalized: bool = False) -> frozenset[str]:
    n = s if normalized else norm(s)
    if len(n) < 2:
        return frozenset([n]) if n else frozenset()
    return frozenset(n[i : i + 2] for i in range(len(n) - 1))


def overlap(wanted: frozenset[str], found: frozenset[str]) -> tuple[float, float, float]:
    """(recall of ``wanted``, precision of ``found``, F1) by shared character pairs."""
    if not wanted or not found:
        return 0.0, 0.0, 0.0
    common = len(wanted & found)
    recall, precision = common / len(wanted), common / len(found)
    f1 = 2 * recall * precision / (recall + precision) if common else 0.0
    return recall, precision, f1


def ends_sentence(s: str) -> bool:
    s = s.rstrip()
    return bool(s) and s[-1] in TERMINAL


def join_fragments(left: str, right: str) -> str:
    """Join two pieces of one paragraph cut by a line or page break.

    Chinese needs no space; two Latin words do."""
    if not left:
        return right
    if not right:
        return left
    if left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalpha():
        return f"{left} {right}"
    return left + right


def is_surname_start(name: str) -> bool:
    return bool(name) and (name[0] in SURNAMES or name[:2] in COMPOUND_SURNAMES)


_SPACED_NAME = re.compile(f"^[{HAN}](?:[ \u3000]?[{HAN}]){{1,3}}$")


def normalize_name(s: str) -> str:
    """姚 逊 → 姚逊: print spaces out two-character names; the name has none."""
    return re.sub(r"[\s\u3000]+", "", s)


def looks_like_name(s: str) -> bool:
    """A person's name as printed: 2–4 Han characters, optionally spaced (姚 逊)."""
    s = s.strip()
    if not _SPACED_NAME.match(s):
        return False
    n = normalize_name(s)
    if len(n) == 4:  # four characters: a compound surname, or more likely an idiom
        return n[:2] in COMPOUND_SURNAMES
    return is_surname_start(n)


# Words a title printed in front of a name usually ends with (…主席李正根).
TITLE_ENDINGS = (
    "主席", "主任", "书记", "部长", "局长", "常委", "委员", "中心", "会", "长", "员", "师",
    "理", "记", "任", "席", "官", "代表", "经理", "董事", "教授", "研究员", "干部", "科长",
)  # fmt: skip


def split_title_name(s: str) -> tuple[str, str] | None:
    """泽州县政协主席李正根 → (泽州县政协主席, 李正根): a title run into a name.

    Tries a 3-, 2- then 4-character name; a candidate must start with a surname, and one
    whose remaining title ends like a title (主任, 中心 …) wins."""
    s = normalize_name(s)
    best: tuple[int, str, str] | None = None
    for size in (3, 2, 4):
        if len(s) < size:
            continue
        name, title = s[-size:], s[:-size]
        if not is_surname_start(name) or (size == 4 and name[:2] not in COMPOUND_SURNAMES):
            continue
        score = 2 if (not title or title.endswith(TITLE_ENDINGS)) else 0
        score += {3: 1, 2: 0, 4: 0}[size]
        if best is None or score > best[0]:
            best = (score, title, name)
    if best is None:
        return None
    return best[1], best[2]


def split_names(s: str) -> list[str]:
    """崔守安 武四海 / 许国胜 何 莉 → names; single characters in a row are one name."""
    tokens = [t for t in re.split(r"[\s\u3000、，,；;]+", s) if t]
    names: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if len(tok) == 1 and i + 1 < len(tokens) and len(tokens[i + 1]) == 1:
            tok += tokens[i + 1]
            i += 1
        names.append(tok)
        i += 1
    return names


def join_wrapped(lines: list[str], references: list[str]) -> str:
    """Re-join a title printed over several lines.

    Where a reference printing (the headline, the TOC) has a space between the two
    pieces the break was a phrase break and keeps a space; otherwise the break fell
    inside a phrase (人民政协 / 工作的实施意见) and the pieces join directly."""
    out = ""
    for piece in (p.strip() for p in lines):
        if not piece:
            continue
        if out and any(f"{out[-2:]} {piece[:2]}" in ref for ref in references):
            out = f"{out} {piece}"
        else:
            out = join_fragments(out, piece)
    return out


def unbreak(text: str, references: list[str]) -> str:
    """Drop spaces that were only line breaks in a printed headline.

    中共晋城市委 关于新时代… → 中共晋城市委关于新时代… when a reference (the TOC line,
    the article's own text) prints the characters on both sides of the space together."""
    parts = text.split(" ")
    out = parts[0]
    for part in parts[1:]:
        left, right = out.replace(" ", "")[-2:], part[:2]
        if left and right and any(left + right in ref for ref in references):
            out += part
        else:
            out += " " + part
    return out
