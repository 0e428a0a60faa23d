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
from .text import REPORTED, SENTENCE_INSIDE, bigrams, norm, overlap

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
) -> list[Problem]:
    """Give headline-less TOC entries the runs that start after a (下转) mark between
    their neighbours; attach other stray runs to the article printed before them."""
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
    # Continued parts: the page named in 上接 lies in the article's page range.
    for run in runs:
        if run.kind != "continued":
            continue
        owners = [
            k
            for k, p in enumerate(placements)
            if p.found and p.entry.page <= run.from_page <= p.entry.end_page
        ]
        if len(owners) > 1:  # prefer the one whose text stops with a 下转 mark
            marked = [k for k in owners if _has_continued_to(k, runs, body)]
            owners = marked or owners
        if owners:
            run.owner = owners[0]
        else:
            problems.append(
                Problem(
                    file,
                    body[run.start].no,
                    f"（上接{run.from_page}页）：目录里没有哪篇文章包括第{run.from_page}页，"
                    "接续部分留在原处",
                )
            )
            run.kind = "orphan"
    # Anything left: it belongs with whatever precedes it.
    previous_owner = None
    for run in runs:
        if run.owner is None:
            owner = previous_owner
            if owner is None:
                owner = next((r.owner for r in runs if r.owner is not None), None)
            run.owner = owner
            if owner is not None and any(body[i].text for i in range(run.start, run.end)):
                problems.append(
                    Problem(
                        file,
                        body[run.start].no,
                        f"这段文字不像新文章的开头，归入{placements[owner].entry.label}",
                    )
                )
        if run.kind != "continued":
            previous_owner = run.owner
    return problems


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


def _has_continued_to(k: int, runs: list[Run], body: list[Block]) -> bool:
    return any(
        body[i].continued_to
        for run in runs
        if run.owner == k and run.kind == "article"
        for i in range(run.start, run.end)
    )
