"""Step 4: find each TOC entry's body in the text, and cut the text into runs.

Headlines are found by the characters they share with the TOC wording, never by their
Markdown level: every candidate line (short, no sentence punctuation) is scored against
every entry, and entries are aligned to candidates in order (articles are printed in
TOC order; only continued parts jump around, and those are marked 上接).

A run is a stretch of blocks that belongs to one article: it starts at a headline, at a
(上接N页) continued part, or right after a (下转N页) mark, where the printed article
stopped and something else begins — the only way to find an article that has no
headline at all (a 社情民意 item that opens with its contributor).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .document import Problem
from .frontmatter import TocEntry
from .source import Block
from .text import HAN_RE, REPORTED, SENTENCE_INSIDE, bigrams, norm, overlap

MIN_MATCH = 0.45  # F1 of shared character pairs for a headline to count as found
SPLIT_RECALL = 0.9  # below this, look for the rest of a headline printed elsewhere
SPLIT_PRECISION = 0.75  # a headline piece must consist mostly of the missing words
ORPHAN_RECALL = 0.25  # a headline-less article must still share some words with its TOC title


def is_display(block: Block, limit: int = 100) -> bool:
    """Could be a headline, kicker or subtitle: short, no sentence inside."""
    text = block.text
    if len(text) > 2 * limit or any(ch in text for ch in SENTENCE_INSIDE):
        return False
    return (
        0 < len(block.norm) <= limit
        and not block.continued_to
        and block.continued_from is None
        and not text.startswith(("★", "☆", "(", "（"))
    )


def is_candidate(block: Block) -> bool:
    return is_display(block) and not block.text.startswith("——")


def title_variants(entry: TocEntry) -> list[frozenset[str]]:
    variants = [bigrams(entry.plain_title)]
    if entry.speaker:
        variants.append(bigrams(entry.speaker + entry.plain_title))
    return variants


def score(entry_variants: list[frozenset[str]], found: frozenset[str]) -> tuple[float, float]:
    """(F1, recall) of the best variant."""
    best = (0.0, 0.0)
    for wanted in entry_variants:
        recall, _precision, f1 = overlap(wanted, found)
        best = max(best, (f1, recall))
    return best


@dataclass
class Placement:
    """Where one TOC entry's article is in the body (indices into the body blocks)."""

    entry: TocEntry
    matched: int | None = None  # block that matched the TOC wording best
    score: float = 0.0
    start: int | None = None  # first block of the article
    kicker: int | None = None
    headline: list[int] = field(default_factory=list)  # headline pieces, in TOC order
    subtitle: list[int] = field(default_factory=list)  # blocks read as subtitle
    elsewhere: list[int] = field(default_factory=list)  # header blocks outside the first run

    @property
    def found(self) -> bool:
        return self.start is not None

    @property
    def header(self) -> set[int]:
        used = {*self.headline, *self.subtitle, *self.elsewhere}
        if self.kicker is not None:
            used.add(self.kicker)
        return used


def align(entries: list[TocEntry], body: list[Block]) -> list[Placement]:
    """Match entries to headline candidates, in order, maximizing the total score."""
    cands = [i for i, b in enumerate(body) if is_candidate(b)]
    cand_bigrams = [bigrams(body[i].norm, normalized=True) for i in cands]
    variants = [title_variants(e) for e in entries]
    n, m = len(entries), len(cands)
    s = [[score(variants[i], cand_bigrams[j])[0] for j in range(m)] for i in range(n)]
    # best[i][j]: best total for entries[:i] aligned within cands[:j]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, prev = best[i], best[i - 1]
        for j in range(1, m + 1):
            value = max(row[j - 1], prev[j])
            if s[i - 1][j - 1] >= MIN_MATCH:
                value = max(value, prev[j - 1] + s[i - 1][j - 1])
            row[j] = value
    placements = [Placement(e) for e in entries]
    i, j = n, m
    while i > 0 and j > 0:
        if best[i][j] == best[i][j - 1]:
            j -= 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            placements[i - 1].matched = cands[j - 1]
            placements[i - 1].score = s[i - 1][j - 1]
            i -= 1
            j -= 1
    for k, p in enumerate(placements):
        if p.matched is not None:
            _complete_headline(p, placements, k, body, cands)
    return placements


def _neighbour_matched(placements: list[Placement], k: int, step: int) -> int | None:
    k += step
    while 0 <= k < len(placements):
        if placements[k].matched is not None:
            return placements[k].matched
        k += step
    return None


def _complete_headline(
    p: Placement, placements: list[Placement], k: int, body: list[Block], cands: list[int]
) -> None:
    """Find the whole headline around the matched block.

    - A headline split over a page spread: look between the neighbouring articles for
      candidate lines made of the TOC words still missing.
    - A matched line under a longer line is the subtitle; the longer line the headline
      (the TOC quoted the subtitle). A shorter line above the headline is the kicker.
    """
    entry_variants = title_variants(p.entry)
    wanted = max(entry_variants, key=lambda v: overlap(v, bigrams(body[p.matched].text))[0])
    parts = [p.matched]
    have = set(bigrams(body[p.matched].text)) & wanted
    lo = _neighbour_matched(placements, k, -1)
    hi = _neighbour_matched(placements, k, +1)
    lo = -1 if lo is None else lo
    hi = len(body) if hi is None else hi
    taken = {q.matched for q in placements if q.matched is not None}
    while len(have) / max(len(wanted), 1) < SPLIT_RECALL:
        missing = wanted - have
        best = None
        for c in cands:
            if not lo < c < hi or c in taken or c in parts:
                continue
            bg = bigrams(body[c].text)
            gain = bg & missing
            good = len(gain) >= 2 and len(gain) / len(bg) >= SPLIT_PRECISION
            if good and (best is None or len(gain) > best[0]):
                best = (len(gain), c)
        if best is None:
            break
        parts.append(best[1])
        have |= bigrams(body[best[1]].text) & wanted
    # Order the pieces as the TOC prints them.
    title_norm = norm(p.entry.plain_title)

    def toc_position(c: int) -> int:
        n = body[c].norm
        for size in (4, 3, 2):
            for off in range(0, max(len(n) - size + 1, 1)):
                pos = title_norm.find(n[off : off + size])
                if pos >= 0:
                    return pos - off
        return 10**6

    p.headline = sorted(parts, key=toc_position)
    anchor = min(parts)
    # Pieces after the first one: each may carry a —— subtitle line right under it.
    for c in parts:
        if c != anchor:
            p.elsewhere.append(c)
            if c + 1 < len(body) and body[c + 1].text.startswith("——"):
                p.elsewhere.append(c + 1)
    p.elsewhere = [c for c in p.elsewhere if c not in p.headline]

    start = anchor
    above = anchor - 1
    if above > lo and _kicker_like(body[above]) and len(parts) == 1:
        if len(body[above].norm) > len(body[anchor].norm):
            # The TOC quoted the line under the headline: it is the subtitle.
            p.headline = [above]
            p.subtitle = [anchor]
            start = above
            above -= 1
            if (
                above > lo
                and _kicker_like(body[above])
                and len(body[above].norm) < len(body[start].norm)
            ):
                p.kicker = above
                start = above
        else:
            p.kicker = above
            start = above
    elif above > lo and _kicker_like(body[above]):
        p.kicker = above
        start = above
    p.start = start


def _kicker_like(block: Block) -> bool:
    text = block.text
    return (
        is_display(block, limit=60)
        and not text.startswith("——")
        and not text.endswith(("，", ",", "、"))
    )


UNCLAIMED_PRECISION = 0.9  # a line made of one entry's 目录 words …
UNCLAIMED_MIN_PAIRS = 6  # … and long enough to be a headline, not a phrase


def unclaimed_headlines(placements: list[Placement], body: list[Block], file: str) -> list[Problem]:
    """Headline-like lines made of an entry's 目录 words that no article took.

    Where a 目录 entry lost its page number, its title runs into the next entry's; the
    merged entry finds one of the two headlines, and the other article's text would
    join the article before it. Such a line is a fault."""
    taken = {i for p in placements for i in p.header}
    starts = sorted(p.start for p in placements if p.start is not None)

    def own_text(p: Placement, i: int) -> bool:  # the title's words inside its article
        if p.start is None or i < p.start:
            return False
        return i < next((s for s in starts if s > p.start), len(body))

    faults = []
    for i, block in enumerate(body):
        if i in taken or not is_candidate(block):
            continue
        found = bigrams(_han(block.norm), normalized=True)
        if len(found) < UNCLAIMED_MIN_PAIRS:
            continue
        for p in placements:
            if own_text(p, i):
                continue
            _recall, precision, _f1 = overlap(bigrams(_han(p.entry.plain_title)), found)
            if precision >= UNCLAIMED_PRECISION:
                faults.append(
                    Problem(
                        file,
                        block.no,
                        f"“{block.display[:30]}”像是标题，字句出自{p.entry.label}，"
                        "却没有文章以它开头：目录条目可能合并了（缺页码？）",
                    )
                )
                break
    return faults


def _han(text: str) -> str:
    """Only the Chinese characters: headlines are compared by their words, not by Latin
    letters or markup that many lines share."""
    return "".join(HAN_RE.findall(text))


@dataclass
class Run:
    start: int
    end: int  # exclusive
    kind: str  # "article", "continued" (上接) or "orphan"
    owner: int | None = None  # index into placements
    from_page: int | None = None


def cut_runs(body: list[Block], placements: list[Placement]) -> list[Run]:
    if not body:
        return []
    starts = {p.start: k for k, p in enumerate(placements) if p.start is not None}
    bounds = set(starts) | {0}
    for i, block in enumerate(body):
        if block.continued_from is not None:
            bounds.add(i)
        if block.continued_to and i + 1 < len(body):
            bounds.add(i + 1)
    edges = sorted(b for b in bounds if b < len(body))
    runs = []
    for a, b in zip(edges, [*edges[1:], len(body)], strict=True):
        if a in starts:
            runs.append(Run(a, b, "article", owner=starts[a]))
        elif body[a].continued_from is not None:
            runs.append(Run(a, b, "continued", from_page=body[a].continued_from))
        else:
            runs.append(Run(a, b, "orphan"))
    return runs


def place_orphans(
    runs: list[Run], placements: list[Placement], body: list[Block], file: str
) -> tuple[list[Problem], list[Problem], list[Move]]:
    """Give headline-less TOC entries the runs that start after a (下转) mark between
    their neighbours; join each continued part to the article whose (下转) names its
    page; attach other stray runs to the article printed before them.

    Returns warnings, faults (text that may sit in the wrong article) and the continued
    parts moved."""
    problems: list[Problem] = []
    for k, p in enumerate(placements):
        if p.found:
            continue
        lo = max((q.start for q in placements[:k] if q.found), default=-1)
        hi = min((q.start for q in placements[k + 1 :] if q.found), default=len(body))
        wanted = bigrams(p.entry.plain_title)
        for run in runs:
            if run.kind != "orphan" or run.owner is not None or not lo < run.start < hi:
                continue
            text = "".join(body[i].text for i in range(run.start, run.end))
            recall, _, _ = overlap(wanted, bigrams(text))
            if recall >= ORPHAN_RECALL:
                run.owner = k
                run.kind = "article"
                p.start = run.start
                problems.append(
                    Problem(
                        file,
                        body[run.start].no,
                        f"{p.entry.label} 没有标题，按（下转）之后的正文确定其开头",
                    )
                )
                break
        else:
            _open_at_contributor(k, p, runs, body, lo, hi, file, problems)
    moves, unpaired = pair_continuations(runs, placements, body, file)
    faults = unpaired
    # Anything left: it belongs with whatever precedes it.
    previous_owner = None
    for run in runs:
        if run.owner is None:
            owner = previous_owner
            if owner is None:
                owner = next((r.owner for r in runs if r.owner is not None), None)
            run.owner = owner
            if owner is not None and any(body[i].text for i in range(run.start, run.end)):
                faults.append(
                    Problem(
                        file,
                        body[run.start].no,
                        f"这段文字不像新文章的开头，归入{placements[owner].entry.label}",
                    )
                )
        if run.kind != "continued":
            previous_owner = run.owner
    return problems, faults, moves


@dataclass
class Move:
    """A continued part (上接M页) joined to the article whose (下转N页) names its page."""

    start: int  # body block of the (上接) line
    end: int
    owner: int  # index into placements: the article it joins
    host: int | None  # the article it is printed inside
    from_page: int  # M of (上接M页)
    to_page: int  # N of the (下转N页) it pairs with
    mark: int  # body block holding that (下转N页)


MAX_PAIR_DISTANCE = 4  # pages: a 目录 number misprinted by two, on both sides at worst


def _distance(page: int, entry: TocEntry) -> int:
    if page < entry.page:
        return entry.page - page
    return max(page - entry.end_page, 0)


def pair_continuations(
    runs: list[Run], placements: list[Placement], body: list[Block], file: str
) -> tuple[list[Move], list[Problem]]:
    """Pair every (下转N页) mark with a continued part (上接M页).

    The continued part belongs to the article whose 下转 names the page it is printed
    on — that is, a page of the article it sits inside — and it names a page of that
    article. The 目录 pages give both only roughly (a misprint moves a range by a page
    or two), so the pairing is the one with the smallest total distance from the pages
    named to the page ranges; whatever stays unpaired is a fault."""
    marks = [
        (k, page, i)
        for run in runs
        if run.kind == "article" and run.owner is not None
        for k in [run.owner]
        for i in range(run.start, run.end)
        for page in body[i].continued_to
    ]
    parts: list[tuple[Run, int | None]] = []
    host = None
    for run in runs:
        if run.kind == "continued":
            parts.append((run, host))
        elif run.kind == "article":
            host = run.owner

    def cost(mark: tuple[int, int, int], part: tuple[Run, int | None]) -> int:
        k, page, _ = mark
        run, where = part
        if where is None or where == k:
            return MAX_PAIR_DISTANCE + 1
        return _distance(page, placements[where].entry) + _distance(
            run.from_page, placements[k].entry
        )

    costs = [[cost(m, c) for c in parts] for m in marks]
    pairs = _cheapest_pairing(costs)
    moves: list[Move] = []
    faults: list[Problem] = []
    paired_parts = set()
    for m, c in pairs:
        k, page, i = marks[m]
        run, where = parts[c]
        run.owner = k
        paired_parts.add(c)
        moves.append(Move(run.start, run.end, k, where, run.from_page, page, i))
    for m, (k, page, i) in enumerate(marks):
        if m not in {m for m, _ in pairs}:
            faults.append(
                Problem(
                    file,
                    body[i].no,
                    f"（下转{page}页）找不到接续部分：第{page}页前后没有（上接…页）"
                    f"指回{placements[k].entry.label}",
                )
            )
    for c, (run, where) in enumerate(parts):
        if c in paired_parts:
            continue
        missing = [
            k
            for k, p in enumerate(placements)
            if not p.found and _distance(run.from_page, p.entry) == 0
        ]
        if missing:
            # The part of an article the text lacks (a missing-article error already
            # names it): it goes with that article, out of the one it is printed in.
            run.owner = missing[0]
        else:
            faults.append(
                Problem(
                    file,
                    body[run.start].no,
                    f"（上接{run.from_page}页）找不到对应的（下转…页）：不知道这段接续部分"
                    "属于哪篇文章",
                )
            )
            run.owner = where  # stays where it is printed; the fault refuses the file
    return moves, faults


def _cheapest_pairing(costs: list[list[int]]) -> list[tuple[int, int]]:
    """Pairs (row, column) with cost ≤ MAX_PAIR_DISTANCE: as many as possible, then the
    smallest total. An issue has a handful of continuations, so an exhaustive search
    (rows × columns small) is fine; beyond eight marks, a greedy choice."""
    rows = len(costs)
    cols = len(costs[0]) if costs else 0
    if rows > 8 or cols > 8:
        pairs, used = [], set()
        for c_, r, c in sorted((costs[r][c], r, c) for r in range(rows) for c in range(cols)):
            if c_ <= MAX_PAIR_DISTANCE and r not in {p[0] for p in pairs} and c not in used:
                pairs.append((r, c))
                used.add(c)
        return pairs
    best: tuple[int, int, list[tuple[int, int]]] = (0, 0, [])

    def search(r: int, used: frozenset[int], pairs: list[tuple[int, int]], total: int) -> None:
        nonlocal best
        if r == rows:
            if (len(pairs), -total) > (best[0], best[1]):
                best = (len(pairs), -total, list(pairs))
            return
        search(r + 1, used, pairs, total)
        for c in range(cols):
            if c not in used and costs[r][c] <= MAX_PAIR_DISTANCE:
                pairs.append((r, c))
                search(r + 1, used | {c}, pairs, total + costs[r][c])
                pairs.pop()

    search(0, frozenset(), [], 0)
    return best[2]


def _open_at_contributor(
    k: int,
    p: Placement,
    runs: list[Run],
    body: list[Block],
    lo: int,
    hi: int,
    file: str,
    problems: list[Problem],
) -> None:
    """A headline-less item with no (下转) mark before it: it starts at a paragraph that
    opens with its contributors (…王艳芳反映：), unless that paragraph is the first one
    of the article before it."""
    for i in range(max(lo, 0) + 1, hi):
        if not REPORTED.match(body[i].text):
            continue
        if not any("。" in body[j].text for j in range(max(lo, 0), i)):
            continue  # the opening of the previous item itself
        run = next((r for r in runs if r.start <= i < r.end), None)
        if run is None or run.kind == "continued" or run.start == i:
            continue
        runs.insert(runs.index(run) + 1, Run(i, run.end, "article", owner=k))
        run.end = i
        p.start = i
        problems.append(
            Problem(file, body[i].no, f"{p.entry.label} 没有标题，按“……反映：”确定其开头")
        )
        return
