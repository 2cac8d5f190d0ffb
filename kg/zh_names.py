"""Chinese names paired with English ones in a digest's Chinese text: "检索增强生成（RAG）", "RAG（检索增强生成）",
"检索增强生成 (Retrieval-Augmented Generation, RAG)". Pure functions over strings.

The Chinese side of "中文名（ABC）" has no marked start: the run of Chinese characters before the bracket usually
carries the rest of the sentence too ("我们使用了检索增强生成"). The name is cut after a function word or verb
("了", "使用", "一种"...), and a cut is kept only when its length fits the English name it translates: about two
characters per English word of the long form (from the brackets, the paper's own acronym definitions, or the
letters of the acronym). A pair that fits no cut is dropped: a missing Chinese label costs less than a wrong one.
"""

from __future__ import annotations

import re
from typing import Iterable, List, Mapping, Optional, Sequence, Tuple

from .normalize import match_key

__all__ = ["find_zh_names", "expected_zh_length"]

_CJK = r"\u3400-\u9fff"
# "中文名（Latin）" and "中文名 (Long Form, SHORT)"
_ZH_THEN_LATIN_RE = re.compile(rf"((?:[{_CJK}]+-)*[{_CJK}]+)\s*[（(]\s*([A-Za-z][A-Za-z0-9\-+.&/' ]{{0,80}}?(?:,\s*[A-Za-z][A-Za-z0-9\-+.&/]{{0,20}})?)\s*[)）]")
# "Latin（中文名）"
_LATIN_THEN_ZH_RE = re.compile(rf"(?<![A-Za-z0-9\-])([A-Za-z][A-Za-z0-9\-+.]{{0,30}}(?: [A-Z][A-Za-z0-9\-+.]{{0,20}}){{0,3}})\s*[（(]\s*([{_CJK}]{{2,16}})\s*[)）]")

# Words after which a name may start. HARD ones (particles, pronouns, verbs of using and proposing, quantifiers)
# never stand inside a name; SOFT ones may ("主成分分析", "基于能量的模型", "检索和生成"). Single characters only where
# they never open a technical term ("对" opens 对比学习, "上" opens 上下文学习, "前" opens 前馈网络).
_HARD_WORDS = frozenset(
    """了 是 将 把 被 这 该 此 也 都 而 但 为 从而 通过 使用 利用 采用 运用 借助 提出 引入 介绍 称为 名为 叫做 被称为 命名为
    包括 例如 比如 尽管 虽然 随着 我们 本文 该文 论文 一种 一个 一套 一类 一系列 新的 新颖的 具体而言 具体来说 特别是 尤其是 以及
    作为 称作 其中 所谓 如何 已经 可以 能够 最近 目前 当前 现有 使得 旨在 用于 关于 对于 由于 因此 然而 此外 同时 并且 或者 这些
    那些 这种 评估 提高 具有 针对 来自 发现 称之为 即 从 来 在 许多 大量 多个 两个 三个 几个 各个 每个 解释 探测 用 各种 受到
    它 它们 其 其他 如 初始化 降低 减少 增加 提供 收集 两种 三种 几种 解决 最先进 打败 更新 使 形成 主流 这样 那样 同样 一样 不同 各类 多种 一些 某些 所有 任何 整个 进行 以 并 又 还""".split()
)
# "对", "中", "于" and "比" also open or hold terms (对比学习, 字节对编码, 中间层, 基于, 百分比), so they only cut, and not
# inside those.
_SOFT_WORDS = frozenset("的 和 与 及 或 对 中 于 比 分析 研究 设计 开发 构建 实现 改进 提升 结合 应用 传统 经典 处理".split())
_BOUNDARY_WORDS: Tuple[str, ...] = tuple(sorted(_HARD_WORDS | _SOFT_WORDS, key=len, reverse=True))
# A cut point that is really part of a word: "在线" (online), "用户" (user), "行为" (behaviour), "认为" (verb).
_NOT_A_CUT = (re.compile(r"在(?=线)"), re.compile(r"用(?=户)"), re.compile(r"(?<=[行认成作因])为"),
              re.compile(r"对(?=[比抗话偶称齐象数应角照冲立])"), re.compile(r"(?<=[绝相面应反配])对"), re.compile(r"中(?=[心文间国值位层])"),
              re.compile(r"以(?=太)"), re.compile(r"并(?=行)"), re.compile(r"(?<=[基对由关属])于"),
              re.compile(r"(?<=[对百分占类])比|比(?=[特例较赛])"))


def _words_re(words) -> "re.Pattern[str]":
    alternatives = "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
    for word, lookaround in (("在", "在(?!线)"), ("用", "用(?!户)"), ("为", "(?<![行认成作因])为"),
                             ("对", "(?<![绝相面应反配])对(?![比抗话偶称齐象数应角照冲立])"), ("中", "中(?![心文间国值位层])"),
                             ("以", "以(?!太)"), ("并", "并(?!行)"), ("于", "(?<![基对由关属])于"),
                             ("比", "(?<![对百分占类])比(?![特例较赛])")):
        alternatives = re.sub(rf"(?<![^|]){word}(?![^|])", lookaround, alternatives)
    return re.compile(alternatives)


_HARD_RE = _words_re(_HARD_WORDS)
_OPENER_RE = _words_re((_HARD_WORDS | _SOFT_WORDS) - {"基于"})
_STRONG_STOP_RE = re.compile(r"[^\u3400-\u9fff]")
# Chinese for the generic phrases of ontology/lexicon/generic.txt: never the name of one entity ("GPT（大语言模型）").
_GENERIC_ZH = frozenset(
    """大语言模型 大型语言模型 语言模型 大模型 模型 方法 框架 算法 神经网络 深度神经网络 深度学习 机器学习 人工智能 强化学习
    深度强化学习 自然语言处理 计算机视觉 数据集 基准 基准测试 多模态大模型 多模态大语言模型 多模态模型 视觉语言模型 预训练语言模型
    基础模型 智能体 代理 生成式人工智能 语言代理 大型多模态模型""".split()
)
_CONTENT_WORD_RE = re.compile(r"[A-Za-z0-9]+")
_JOINERS = frozenset("a an the of for and with from to in on by via".split())


def expected_zh_length(english: str) -> Tuple[int, int]:
    """(shortest, longest) plausible length in characters of the Chinese for an English name: about two
    characters per content word of a long form, or per letter of an acronym."""
    words = [w for w in _CONTENT_WORD_RE.findall(english) if w.lower() not in _JOINERS]
    if len(words) >= 2:
        n = len(words)
        return max(2, 2 * n - 3), 2 * n + 2
    letters = sum(1 for c in english if c.isupper()) or len(english)
    return min(letters, 4), 2 * letters + 1


def _cut_points(run: str) -> List[int]:
    points = {0}
    for word in _BOUNDARY_WORDS:
        i = run.find(word)
        while i >= 0:
            if not any(p.match(run, i) for p in _NOT_A_CUT):
                points.add(i + len(word))
            i = run.find(word, i + 1)
    return sorted(points)


def _is_name(cut: str) -> bool:
    """No function word opens it or stands inside it; "基于" opens a name only as "基于X的Y"."""
    if len(cut) < 2 or _OPENER_RE.match(cut):
        return False
    if cut.startswith("基于") and "的" not in cut:
        return False
    return not _HARD_RE.search(cut)


def _cuts(run: str, glued: bool = False) -> List[str]:
    """Name candidates in a run of Chinese characters: the suffixes starting at a cut point that read as a name,
    longest first. `glued`: the run follows a Latin word directly ("Wasserstein判别分析"), so the whole run is only
    part of a name."""
    return [run[p:] for p in _cut_points(run) if not (glued and p == 0) and _is_name(run[p:])]


def _length_range(english: Sequence[str]) -> Tuple[int, int]:
    """The plausible length of the Chinese for any of `english` (long forms decide when there are any)."""
    ranges = [expected_zh_length(e) for e in english if _is_long_form(e)] or [expected_zh_length(e) for e in english]
    return min(r[0] for r in ranges), max(r[1] for r in ranges)


def _is_long_form(name: str) -> bool:
    return len([w for w in _CONTENT_WORD_RE.findall(name) if w.lower() not in _JOINERS]) >= 2


def _pick(run: str, english: Sequence[str], glued: bool = False) -> Optional[str]:
    """The cut whose length is nearest two characters per English word (or acronym letter), the longer on a tie
    ("基于人类反馈的强化学习" for RLHF, not "强化学习"); none when the best cut follows a "的" that a longer cut
    keeps."""
    lo, hi = _length_range(english)
    middle = _typical_length(english)
    cuts = _cuts(run, glued)
    fits = [c for c in cuts if lo <= len(c) <= hi]
    if not fits:
        return None
    best = min(fits, key=lambda c: (abs(len(c) - middle), -len(c)))
    if run[: len(run) - len(best)].endswith("的") and any(len(best) < len(c) <= hi + 4 for c in cuts):
        return None  # "部分可观察的马尔可夫决策过程": is what precedes 的 part of the name? Cannot tell.
    return best


def _typical_length(english: Sequence[str]) -> int:
    long = [e for e in english if _is_long_form(e)]
    if long:
        return 2 * max(len([w for w in _CONTENT_WORD_RE.findall(e) if w.lower() not in _JOINERS]) for e in long)
    return 2 * max(sum(1 for c in e if c.isupper()) or len(e) for e in english)


def find_zh_names(texts: Iterable[str], long_forms: Optional[Mapping[str, str]] = None) -> Tuple[Tuple[str, str], ...]:
    """(Chinese name, English name) pairs written side by side in `texts` (a paper's Chinese title, TL;DR and
    abstract). `long_forms` maps `match_key(acronym)` to the long form the paper defines for it, which tells how
    long the Chinese name should be. Sorted, without repeats."""
    long_forms = long_forms or {}
    pairs = set()

    def english_of(latin: str) -> List[str]:
        return [latin] + ([long_forms[match_key(latin)]] if match_key(latin) in long_forms else [])

    for text in texts:
        if not text:
            continue
        for m in _ZH_THEN_LATIN_RE.finditer(text):
            run, inside = m.group(1), m.group(2).strip()
            names = [p.strip() for p in inside.split(",") if len(p.strip()) >= 2]
            if not names or len(names) > 2 or any(_STRONG_STOP_RE.search(n) is None for n in names):
                continue
            english = [e for n in names for e in english_of(n)]
            glued = bool(re.search(r"[A-Za-z0-9]\s*$", text[: m.start(1)]))
            zh = _pick(run, english, glued)
            if zh and zh not in _GENERIC_ZH:
                pairs.update((zh, n) for n in names)
        for m in _LATIN_THEN_ZH_RE.finditer(text):
            latin, zh = m.group(1).strip(" -."), m.group(2)
            if len(latin) < 2:
                continue
            if not _is_name(zh) or zh.startswith(("如", "即", "例")):
                continue  # "LLM（如GPT-4）", "LM（即提示或指令执行器）": an aside, not a name
            lo, hi = _length_range(english_of(latin))
            if lo <= len(zh) <= hi and zh not in _GENERIC_ZH:
                pairs.add((zh, latin))
    return tuple(sorted(pairs))
