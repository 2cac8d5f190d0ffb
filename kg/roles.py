"""How a paper relates to what it mentions: plain functions over a paper's typed mentions and their sentences.

Roles are read from the words around a mention in its sentence, clause by clause: "we propose X" (proposes),
"outperforms X" (comparesWith), "experiments on X" (evaluatesOn), "built on X" (uses). A mention with no clear cue
stays a plain `mentions`. Entity-to-entity `basedOn` comes from a proposed name and a cue in one sentence
("TRABSA ... leveraging RoBERTa"). Cues are data (tuples of regexes) so they can be read and changed in one place.
"""

from __future__ import annotations

import re
from typing import Collection, Dict, FrozenSet, List, Mapping, Optional, Sequence, Set, Tuple

from .parse.common import is_cjk as is_cjk_text
from .normalize import LATEX_FONT_COMMANDS, LATEX_FONT_SWITCHES
from .records import Link, Mention, RelationType, Role

__all__ = [
    "PROPOSE_RULES",
    "PARTS_CUE",
    "PARTS_LIST",
    "LEFT_CUES",
    "nearest_cue",
    "nearest_cue_words",
    "mention_roles",
    "role_cues",
    "paper_links",
    "paper_relations",
    "local_context",
    "is_sized_variant",
    "size_base",
]

#: Rules whose spans are names the paper itself introduces.
PROPOSE_RULES: FrozenSet[str] = frozenset({"introduced", "title"})

# A clause ends at these; cues are only read inside the mention's own clause.
_CLAUSE_BREAK = re.compile(r";|(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)\.\s|\bwhile\b|\bwhereas\b|\bbut\b|\bhowever\b|\bwhich\b|\bthat\b|，|；|。|：")
_WINDOW = 100  # characters of left context a cue may be away from the mention

# Role cues read LEFT of a mention, for the labels they apply to. The cue nearest to the mention wins, and only
# when what lies between them is a list of names ("outperforms GPT-4, Llama 2 and [Mistral]").
_SYSTEMS = frozenset({"MODEL", "METHOD"})
_NAMED = frozenset({"MODEL", "METHOD", "DATASET"})
_DATA = frozenset({"DATASET"})
# Stems of the verbs by which a paper brings in its own thing ("proposing", "curated", "devises").
_PROPOSE_STEMS = "propos|introduc|present|develop|releas|construct|build|design|curat|creat|devis"
# "used" as an adjective is no use by this paper: "widely used models such as GPT-3.5", "the most commonly used
# datasets"
_USED_BY_OTHERS = "widely commonly frequently extensively popularly generally routinely often".split()
_USED = "".join(rf"(?<!{w} )" for w in _USED_BY_OTHERS) + "used"
#: The authors' own naming in the present ("which we call EPGP") and the words that may stand before the kind they
#: name ("We call the resulting model WizardLM"): the cue below and `kg.extract.find_introduced_names` read both.
OUR_NAMING_VERBS: Tuple[str, ...] = ("call", "name", "term", "dub")
RESULT_WORDS: Tuple[str, ...] = ("resulting", "proposed", "new", "final", "obtained", "trained")

LEFT_CUES: Tuple[Tuple[Role, FrozenSet[str], "re.Pattern[str]"], ...] = tuple(
    (role, labels, re.compile(pattern, re.I))
    for role, labels, pattern in (
        (Role.PROPOSES, _NAMED,
         r"\b(?:we|this (?:paper|work|study|article)|here(?:in)?,? we|in this (?:paper|work),? we)\s+(?:\w+\s+){0,2}?"
         r"(?:propose|introduce|present|develop|release|construct|build|design|curate|create|contribute|"
         r"open-source|unveil|devise|collect|derive|formulate|establish|launch)[sd]?\b(?:\s+(?:a|an|the|our|two|three|new|novel|simple|first|"
         r"unified|large-scale|comprehensive|challenging|benchmark|dataset|model|framework|method|approach|"
         r"lightweight|efficient|effective|general|powerful|robust|scalable|flexible|versatile|principled|"
         r"hierarchical|modular|family of|series of|suite of|\w+-\w+)\b,?)*"
         # "by proposing a comprehensive Chinese benchmark [SuperCLUE]": any few words, then a head noun
         r"|(?<!have )(?<!has )(?<!had )(?<!been )(?<!were )(?<!was )(?<!recently )(?<!previously )"
         rf"\b(?:{_PROPOSE_STEMS})(?:e[sd]?|ing)\s+"
         r"(?:a|an|the|our)\s+(?:[\w-]+\s+){0,4}?(?:benchmark|dataset|corpus|model|framework|method|approach|module|"
         r"system|algorithm|metric|architecture|technique|strategy|pipeline|network|tool),?"
         # "our resulting GritLM 7B", "our proposed model X"
         r"|\bour\s+(?:resulting|proposed|final|new|designed|developed)(?:\s+(?:model|framework|method|approach|system|benchmark|dataset))?"
         r"|\bour\s+(?:method|approach|framework|algorithm|technique) of"
         # "our tool-equipped SFT model, Raven,"
         r"|\bour\s+(?:[\w-]+\s+){0,3}?(?:model|framework|method|approach|system|benchmark|dataset|agent),"
         r"|\b(?:called|named|termed|dubbed|coined|namely)(?: as)?(?: the| a| an)?\b"  # "options called the X (A)"
         # "which we call EPGP", "We call the resulting model WizardLM", "which we refer to as X"
         rf"|\bwe (?:(?:{'|'.join(OUR_NAMING_VERBS)})(?: (?:it|them|(?:the|our)(?: (?:{'|'.join(RESULT_WORDS)}))?"
         r" (?:model|method|framework|approach|system|dataset|benchmark|algorithm|architecture|network)))?"
         r"|refer to (?:it |them )?as)\b"
         # "By introducing a [Task-specific Fine-grained Semantics] (TFS) module, we enable ..."
         r"|(?<=\bby )(?:propos|introduc|develop|design|devis)ing\s+(?:a|an|the|our)\s+(?:new\s+|novel\s+)?"
         r"|(?:提出|推出|构建|打造|发布|引入|设计|开发)了?(?:一种|一个|一套|新的|全新的|名为|称为)?(?:[^，。；、]{0,10}?(?:名为|称为|即))?"
         r"|(?:名为|称为|命名为)"),
        (Role.COMPARES_WITH, _SYSTEMS,
         r"\b(?:out-?perform\w*|surpass\w*|beat(?:s|ing)?|exceed\w*|compared (?:to|with|against)|comparison (?:to|with|"
         r"against)|in comparison to|than(?!\s+\d)|versus|vs\.?|relative to|"
         r"(?<!defense )(?<!defenses )(?<!defend )(?<!robust )(?<!robustness )(?<!protection )(?<!guard )(?<!attack )"
         r"(?<!attacks )against|"
         r"baselines?(?: models?| methods?)?,?"
         r"(?: such as| like| including)?|rival\w*|competitive (?:with|to)|on par with|comparable to|superior to|"
         r"improvements? over|gains? over|advantage over|over(?!\s+\d)|match(?:es|ing)|in contrast (?:to|with)|unlike|"
         r"(?:closed|open)-source models? "
         r"(?:such as|like|including))\b"
         r"|超越了?|超过了?|优于|击败了?|胜过|媲美|比肩|相较于?|相比于?|对比"),
        (Role.USES, _DATA,
         r"\b(?:train\w*|fine-?tun\w*|pre-?train\w*|instruction[- ]tun\w*|distill\w*|learn\w*|sourced|"
         r"collected|derived|built|construct\w*|curat\w*|augment\w*)\b(?:\s+\w+){0,3}?\s+(?:on|from|with|using)\b"
         rf"|\b(?:using|uses?|{_USED}|utili[sz]\w+|leverag\w+|employ\w*|adopt\w*|based on|built (?:up)?on|extend\w*)\b"
         r"|基于|利用|使用|采用|借助"),
        (Role.EVALUATES_ON, _DATA,
         r"\b(?:on|across|over|in|against)\b(?:\s+(?:the|several|multiple|(?-i:[A-Z0-9][\w.\-]*)|\d+|popular|"
         r"widely[- ]used|standard|public|established|benchmarks?|datasets?|tasks?|including|such as|e\.g\.,?|"
         r"like|and|or)\b,?)*"
         r"|\b(?:benchmarks?|datasets?|tasks?)\s*(?:,\s*)?(?:such as|including|like|e\.g\.,?|namely)"
         r"|在"),
        (Role.USES, _SYSTEMS,
         rf"\b(?:using|uses?|{_USED}|utili[sz]\w+|leverag\w+|employ\w*|adopt\w*|based on|built (?:up)?on|builds? (?:up)?on|"
         r"building (?:up)?on|on top of|fine-?tun\w*|initiali[sz]ed (?:from|with)|via|through|appl(?:y|ies|ied|ying)|"
         r"incorporat\w+|integrat\w+|extend\w*|combin\w+|equipped with|powered by|prompt\w*|backbones?|"
         r"with|from|distill\w* from)\b"
         r"|基于|利用|使用|采用|借助|结合|通过|对"),
    )
)
# What may lie between a cue and the mention: other names, list words, determiners; never a verb phrase.
_LIST_GAP = re.compile(r"^[\sA-Za-z0-9_\-.+/()'’\"“,&和与及、]*$")
# Between a comparison cue and the name only names and the words that list or qualify rivals: "outperforms
# strong baselines such as GPT-4 and [X]", not "compared to our human-derived gold standard, [X]".
_COMPARE_GAP = re.compile(
    r"^(?:[\s,()&/'’+]|(?-i:[A-Z0-9][\w.\-+/]*)|[和及、，]|\b(?:and|or|the|a|an|other|existing|several|strong|"
    r"stronger|recent|prior|previous|latest|state-of-the-art|sota|baselines?|models?|methods?|approach(?:es)?|"
    r"systems?|such as|like|including|both|all|many|most|popular|leading|open-source|closed-source|"
    r"proprietary|commercial|powerful|larger|smaller|large|competitive|advanced|traditional|conventional|vanilla|"
    r"standard|original|even|much|significantly|well-known|widely[- ]used|mainstream|its|their|counterparts|"
    r"established|benchmark|[a-z]+-based|"
    r"giants|prominent|notable|representative|language|llms?)\b|e\.g\.|i\.e\.|\d[\d.]*%?\s+of\b)*$",
    re.I,
)
# Chinese "与X" is "with X" unless a comparison follows ("与GPT-4相比", "与X相当").
_ZH_WITH_COMPARED = re.compile(r"^[^，。；]{0,20}?(?:相比|相当|媲美|比较|对比|持平|相较)")
# "we propose {\bf ProAttack}, a ...": font markup left in the digest's text is no word between cue and name
_LATEX_MARKUP = re.compile(r"\\(?:" + "|".join(LATEX_FONT_COMMANDS + LATEX_FONT_SWITCHES) + r")\b\s*|[{}]")
_PROPOSE_VERB = re.compile(rf"\b(?:{_PROPOSE_STEMS})\w*|提出|设计|构建", re.I)
# "a simple and novel ... framework, dubbed RoboFlamingo", "一种新的..."; not 最新 (latest), 更新 (update), 创新, 重新
_NOVEL = re.compile(r"\b(?:novel|new)\b|(?<![最更创重革])新", re.I)
_NAMING = re.compile(r"(?:called|named|termed|dubbed|coined|namely|名为|称为|命名为)$", re.I)
# A naming word proposes only in a sentence about this paper's own work: not "LoRA's quantized version, named QLoRA"
_OWN = re.compile(r"\b(?:we|our|this (?:paper|work|study|article)|here)\b|我们|本文|本论文|本研究|本工作|该研究|该论文|该文|这篇论文", re.I)
_NOT_OURS = re.compile(r"\b(?:use[sd]?|using|utiliz\w*|adopt\w*|employ\w*|leverag\w+|existing|prior|previous)\b|使用|利用|采用",
                       re.I)
# After a Chinese "提出" the name ends where a noun of its kind or punctuation starts, not inside a longer name.
_ZH_NAME_END = re.compile(r"^(?:$|[^\u4e00-\u9fff]|方法|模型|框架|数据集|基准|系统|算法|架构|技术|策略|机制|的|，|。|、|和|与)")
# A known name, its acronym and a noun of its kind, then "的": "Johnson-Lindenstrauss（JL）引理的分析" is of the name.
_ZH_OF_RIGHT = re.compile(r"^(?:\s*[（(][^）)]{1,20}[）)])?[\u4e00-\u9fff]{0,3}?的")
_GAP_STOP = re.compile(r"\b(?:that|which|who|is|are|was|were|be|been|to|by|for|and then|while|when|where|"
                       r"because|if|achiev\w*|show\w*|yield\w*|lead\w*|result\w*|perform\w*)\b", re.I)
# "X, a novel ..." introduces X; "Mistral 7B, a large-scale language model" only describes it, so words that fit
# any existing system (large-scale, general, efficient, open ...) are not cues.
_PROPOSE_RIGHT = re.compile(
    r"^\s*(?:\([^)]{1,40}\)\s*)?(?:,\s*)?(?:is |which is )?(?:a|an)\s+(?:\w+[\s-]+){0,3}?"
    r"(?:novel|new|first|simple|unified|carefully|publicly|high-quality|plug-and-play|training-free)\b",
    re.I,
)
# A title "GSM-Plus: A Comprehensive Benchmark for ..." proposes the name before the colon, even one the lexicon knows;
# the article may be left out ("MERT: Acoustic Music Understanding Model with ...").
_TITLE_PROPOSE_RIGHT = re.compile(
    r"^\s*[:：]\s*(?:(?:a|an)\s+)?(?:[\w-]+\s+){0,4}?(?:benchmark|dataset|corpus|suite|leaderboard|model|framework|"
    r"method|approach|system|agent|toolkit|family)\b", re.I)
# A title opened by a name no lexicon knows, then what it is for: "Topology-aware Embedding Memory for Learning on
# Expanding Graphs" is the paper's own; "Federated Learning for ..." (a known name) need not be.
_TITLE_OPENING_RIGHT = re.compile(r"^\s+(?:for|via|with|in|on|towards?)\s", re.I)
# "X-based Y": X is a modifier of what is named, so it is used, whatever verb comes before.
_MODIFIER = r"-(?:based|driven|powered|guided|enhanced|augmented|style|like|inspired)"
_MODIFIER_RIGHT = re.compile(rf"^{_MODIFIER}\b", re.I)
# A noun of the kind proposed right after a name (past its acronym): "a novel backdoor attack strategy", "a 1-bit
# quantization-aware training (QAT) framework", "引入了信息瓶颈（IB）方法", "FFT-ANN".
_KIND_RIGHT = re.compile(
    r"^(?:\s*[(（][^)）]{1,20}[)）])?(?:\s*(?:-?based\s+)?(?:method|framework|algorithm|strategy|approach|technique|"
    r"mechanism|module|pipeline|scheme|architecture|paradigm|loss|attack|model)s?\b|\s*(?:方法|机制|框架|算法|策略|模型|的)"
    r"|-\w)", re.I)
_NAMED_NEXT = re.compile(r"^\s*,?\s*(?:called|named|dubbed|termed|coined)\b", re.I)
_KIND_OF_RIVALS = re.compile(r"^\s*(?:models|agents|systems|architectures)\b", re.I)
_MODIFIER_LEFT = re.compile(rf"{_MODIFIER}\s+$", re.I)  # "a moco-based supervised contrastive learning"
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]+")
_ARTICLE_LEFT = re.compile(r"\b(?:a|an)\s+(?:(?:novel|new|simple|general|unified|efficient|effective|[a-z]+-[a-z-]+)\s+)*$",
                           re.I)  # "a novel MBRL method", "a novel directly-trained SNN framework"
# A capital after a small letter, or a digit: "LoftQ", "StarCoder2" are names; "imitation learning" and "DPO" are
# techniques.
_NAME_SHAPE = re.compile(r"[a-z][A-Z]|\d")
_USE_RIGHT = re.compile(rf"^(?:{_MODIFIER}|\s+as (?:the |a |its |our )?(?:backbone|base model|teacher|judge|encoder|"
                        r"retriever|evaluator|generator))\b|^\s*相比", re.I)
_EVAL_RIGHT_ZH = re.compile(r"^(?:数据集|基准|基准测试)?(?:上|中)")
_EVAL_CUE = re.compile(
    r"\b(?:experiment\w*|evaluat\w*|result\w*|benchmark\w*|test\w*|outperform\w*|achiev\w*|state[- ]of[- ]the[- ]art|"
    r"sota|accuracy|performance|score\w*|surpass\w*|demonstrat\w*|empirical\w*|improv\w*|validat\w*|assess\w*|"
    r"extensive|reach\w*|attain\w*|obtain\w*|comprehensive|f1|bleu|rouge)\b|实验|评估|评测|结果|表现|性能|测试",
    re.I,
)
_BASED_ON = re.compile(
    r"\b(?:based on|built (?:up)?on|builds? (?:up)?on|building (?:up)?on|on top of|fine-?tuned (?:from|on top of)|"
    r"initiali[sz]ed (?:from|with)|leverag\w+|derived from|extends|extending|distilled from|"
    r"adapted from)\b[^;:]{0,50}$|基于[^，。]{0,10}$",
    re.I,
)


def _offset_in_sentence(mention: Mention) -> int:
    """Where the mention starts in its sentence; -1 if it is not there."""
    sent, rel = mention.sentence, mention.start - mention.sent_start
    if not (0 <= rel <= len(sent)) or sent[rel:rel + len(mention.text)] != mention.text:
        rel = sent.find(mention.text)  # the sentence was stripped, or the mention is from a different text
    return rel


def local_context(mention: Mention) -> Tuple[str, str]:
    """The text of the mention's clause left and right of it (left cut to `_WINDOW` characters)."""
    sent = mention.sentence
    rel = _offset_in_sentence(mention)
    if rel < 0:
        return "", ""
    left, right = sent[:rel], sent[rel + len(mention.text):]
    breaks = list(_CLAUSE_BREAK.finditer(left))
    if breaks:
        left = left[breaks[-1].end():]
    cut = _CLAUSE_BREAK.search(right)
    if cut:
        right = right[: cut.start()]
    return left[-_WINDOW:], right


#: Chinese sentence ends, which the senter does not split at (kg.pipeline cuts a mention's sentence there)
ZH_SENTENCE_END = re.compile(r"[。！？]")


def own_sentence(mention: Mention) -> str:
    """The sentence the mention is in, cut at Chinese full stops too (a Chinese "sentence" may hold several)."""
    sent, rel = mention.sentence, max(_offset_in_sentence(mention), 0)
    left, right = ZH_SENTENCE_END.split(sent[:rel])[-1], ZH_SENTENCE_END.split(sent[rel:])[0]
    return left + right


def _named_by_others(left: str) -> bool:
    """Whether a naming word after `left` names something this paper takes from others ("we use a model named
    Y"), not what it proposes ("leveraging prompt learning, and propose a novel method called X")."""
    others = [m.end() for m in _NOT_OURS.finditer(left)]
    ours = [m.end() for m in _PROPOSE_VERB.finditer(left)]
    return bool(others) and (not ours or others[-1] > ours[-1])


def _only_names_between(gap: str, limit: int = 70) -> bool:
    """Whether the text between a cue and a mention is a list of names, not a clause: at most `limit` characters,
    names and list words only, no verb or connective ("outperforms GPT-4, Llama 2 and [Mistral]")."""
    return len(gap) <= limit and bool(_LIST_GAP.match(gap)) and not _GAP_STOP.search(gap)


def nearest_cue(left: str, label: str) -> Optional[Role]:
    """The role of the cue nearest to the mention on its left, if only a list of names lies between them."""
    found = nearest_cue_words(left, label)
    return found[0] if found else None


def nearest_cue_words(left: str, label: str) -> Optional[Tuple[Role, str]]:
    """`nearest_cue` with the cue's words: (role, words), the words lowercased, whitespace collapsed."""
    best: Optional[Tuple[int, int, Role, str]] = None
    for role, labels, pattern in LEFT_CUES:
        if label not in labels:
            continue
        for m in pattern.finditer(left):
            gap = left[m.end():]
            if role == Role.PROPOSES:
                gap = _LATEX_MARKUP.sub("", gap)
            if not _only_names_between(gap):
                continue
            if role == Role.COMPARES_WITH and not _COMPARE_GAP.match(gap):
                continue
            if role == Role.PROPOSES and (gap.strip(" \"'“-—–:") or (_NAMING.search(m.group()) and
                                                                   _named_by_others(left[:m.start()]))):
                continue  # "we introduce X, a ... [Y] dataset": Y is not what is introduced; "we use a model named Y"
            rank = (m.end(), m.end() - m.start())
            if best is None or rank > best[:2]:
                best = (*rank, role, m.group())
    return (best[2], _cue_words(best[3])) if best else None


def _cue_words(text: str) -> str:
    return " ".join(text.split()).strip(" ,").lower()


# A system entered in a shared task is evaluated on its data: "mCPT at SemEval-2023 Task 3", "participated in the X".
_ENTERED_IN = re.compile(r"\b(?:at|participat\w*\s+in|submitted\s+to|submissions?\s+to|entry\s+(?:to|for))\s+(?:the\s+)?$",
                         re.I)
# A comparison opening the clause, closed by a comma: "Compared to PES, ", "When compared to A and B, ".
_OPENING_COMPARISON = re.compile(r"^\s*(?:when |as |)(?:compared (?:to|with)|in comparison (?:to|with)|unlike|"
                                 r"in contrast (?:to|with)|relative to)\b.*,\s*$", re.I)
_LIST_GOES_ON = re.compile(r"^\s*(?:,|and\b|or\b|&)", re.I)
_THREAT_WORDS = r"attacks?|poisoning|jailbreaks?|jailbreaking|perturbations?"
_THREAT = re.compile(rf"(?:{_THREAT_WORDS}|injection)$", re.I)  # "adversarial attacks", "prompt injection"
_THREAT_RIGHT = re.compile(rf"^\s*(?:{_THREAT_WORDS})\b", re.I)  # "Adversarial Patch Attacks"
# A count of parts, said before the list of them: what a system or dataset is made of ("Our framework consists of
# two modules: PairRanker and GenFuser", "HyperFed, which contains three main modules, i.e., HPTI, HPL and CA"), or
# what it brings by number ("GrapeQA with two simple improvements on the WG: (i) ..."). kg.extract finds the named
# parts after it; mention_roles makes them the paper's own where the sentence is.
PARTS_CUE = (
    r"\b(?:consists?\s+of|consisting\s+of|compris\w*(?:\s+of)?|contains?|containing|is\s+composed\s+of|composed\s+of|"
    r"is\s+made\s+up\s+of|made\s+up\s+of|with|includ\w+|encompass\w*|incorporat\w+|propos\w+|introduc\w+|design\w*|"
    r"develop\w*)\s+(?:the\s+)?(?:two|three|four|five|several|multiple|\d)\s+(?:[\w-]+\s+){0,2}?"
    r"(?P<kind>modules|components|parts|networks|stages|sub-?modules|blocks|branches|units|mechanisms|strategies|"
    r"sub-?datasets|subsets|improvements|designs|innovations|methods|techniques|algorithms|variants|losses|probes)\b"
    r"(?:\s+(?:on|of|for|to|in)\s+[^:;.(),]{1,40})?")
#: The cue and what opens the list after it: a colon, "i.e." or "namely".
PARTS_LIST = PARTS_CUE + r"\s*(?::|,?\s*(?:i\.e\.|namely)\s*,?)\s*"
_PARTS_LEFT = re.compile(PARTS_CUE + r"(?P<gap>[^;]*)$", re.I)
# A later item of an enumerated list of parts: "... consists of two modules: (i) X does ..., and (ii) [Y]"
_ENUMERATED_PARTS = re.compile(PARTS_LIST + r"\(?(?:1|i)\)", re.I)
_LATER_MARK = re.compile(r"\(?\b(?:[2-9]|ii|iii|iv|v)\)\s*$")
_AGAINST_LEFT = re.compile(r"\bagainst\s+(?:[\w-]+\s+){0,3}$", re.I)
# A comparison others made, reported as background: "Recent work has shown that linear models can outperform ...",
# "State Space Models were initially celebrated for surpassing Transformer", "一些最近的工作认为GBDT优于NN".
_OTHERS_FINDING = re.compile(
    r"\b(?:recent|previous|prior|earlier|existing|some|many|several|other)\s+(?:[\w-]+\s+){0,2}?(?:works?|studies|"
    r"research|papers|literature|results|findings|evidence)\s+(?:has|have)\s+(?:\w+\s+)?(?:shown|found|demonstrated|"
    r"reported|suggested|argued|claimed|revealed)"
    r"|\b(?:it|this)\s+has\s+been\s+(?:\w+\s+)?(?:shown|found|demonstrated|reported|argued|claimed)"
    r"|\b(?:were|was|have\s+been|has\s+been)\s+(?:\w+ly\s+)?(?:celebrated|reported|shown|claimed|found|known)\s+(?:for|to)\b"
    r"|(?:一些|部分|已有|现有|先前的?|以往的?|最近的?|许多)(?:的)?(?:工作|研究)[^。]{0,30}?(?:认为|表明|发现|显示|证明)",
    re.I)


def mention_roles(mention: Mention) -> Set[Role]:
    """The roles one mention's clause gives its entity (empty: a plain mention)."""
    return set(role_cues(mention))


def role_cues(mention: Mention) -> Dict[Role, str]:
    """The roles one mention's clause gives its entity, each with the cue that gave it (the evidence's
    `kgo:roleCue`): "rule:<rule>" (a rule that finds the paper's own names), "cue:<words>" (a cue on the left:
    "cue:outperforms"), "apposition:<words>" ("X, a novel ..."), "title:colon" ("X: A Benchmark for ..."),
    "title:opening" (a name no lexicon knows opening the title: "X for Y"),
    "right:<words>" ("X-based", "X as the backbone"), "entered-in:<words>" ("mCPT at SemEval"), "own-part" (a
    listed part of the paper's own system), "kind-of-proposal:<words>" (a known technique that is the kind of the
    proposal, "we propose a novel imitation learning method"). Empty: a plain mention."""
    roles: Dict[Role, str] = {}
    rule = mention.source.split(":")[0]
    if rule in PROPOSE_RULES:
        roles[Role.PROPOSES] = "rule:" + rule
    left, right = local_context(mention)
    label = mention.label
    if label not in _NAMED or not (left or right):
        return roles
    # a technique the lexicon knows by a plain name is no paper's own: "Instruction tuning, a new learning paradigm"
    known_name = mention.source.startswith("lexicon:")
    known_technique = known_name and not _NAME_SHAPE.search(mention.text)
    appositive = _PROPOSE_RIGHT.search(right)
    if appositive and not known_technique:
        roles.setdefault(Role.PROPOSES, "apposition:" + _cue_words(appositive.group()))
    if mention.field == "title_en" and not left.strip() and _TITLE_PROPOSE_RIGHT.match(right):
        roles.setdefault(Role.PROPOSES, "title:colon")
    if (mention.field == "title_en" and not left.strip() and not mention.source.startswith("lexicon:")
            and _TITLE_OPENING_RIGHT.match(right)):
        roles.setdefault(Role.PROPOSES, "title:opening")
    role, words = nearest_cue_words(left, label) or (None, "")
    cue = "cue:" + words
    if role == Role.PROPOSES and _NAMING.search(left.rstrip(" \"'“")) and (
            not _OWN.search(own_sentence(mention)) or (known_name and not _PROPOSE_VERB.search(left)
                                                        and not _NOVEL.search(left))):
        role = None  # "本文研究了一种名为GPT-4的LLM": the paper studies a known model by its name, it makes none
    if role == Role.PROPOSES and _MODIFIER_RIGHT.match(right):
        role = None  # "we propose a novel Transformer-based GNN": the proposal is the GNN (USES below)
    if role == Role.PROPOSES and _names_a_kind(mention, left, right, known_technique):
        role, cue = Role.USES, "kind-of-proposal:" + words  # built with the technique, not the technique
    if role == Role.PROPOSES and is_cjk_text(left[-1:]) and not _ZH_NAME_END.match(right):
        role = None  # "提出了CLIP引导解码": CLIP is part of the name proposed, not the name
    if (role == Role.PROPOSES and mention.source.startswith("lexicon:") and is_cjk_text(left[-1:])
            and _ZH_OF_RIGHT.match(right) and not _NAMING.search(left.rstrip())):
        # "提出了Mistral 7B的预训练的重要进展", "提出了Johnson-Lindenstrauss（JL）引理的简单统一分析": what is
        # proposed is of a known name, not the name
        role = None
    if role in (None, Role.EVALUATES_ON) and label == "DATASET" and (entered := _ENTERED_IN.search(left)):
        role, cue = Role.EVALUATES_ON, "entered-in:" + _cue_words(entered.group())
    elif role == Role.EVALUATES_ON and not _EVAL_CUE.search(mention.sentence):
        role = None
    if role == Role.EVALUATES_ON and left.endswith("在") and not _EVAL_RIGHT_ZH.search(right):
        role = None
    if role in (None, Role.USES) and label in _SYSTEMS and left.endswith("与") and (
            compared := _ZH_WITH_COMPARED.match(right)):
        role, cue = Role.COMPARES_WITH, "cue:与…" + compared.group()[-2:]
    if (role == Role.COMPARES_WITH and (_THREAT.search(mention.text) or _THREAT_RIGHT.match(right))
            and _AGAINST_LEFT.search(left)):
        return roles  # "robustness of models against adversarial attacks": a threat defended against, no rival
    if role == Role.COMPARES_WITH and (_MODIFIER_RIGHT.match(right) or _KIND_OF_RIVALS.match(right)):
        # "against Transformer-based encoders", "the state-of-the-art TPP models", "existing GPT agents": the
        # rivals are systems of that kind, this is a plain mention
        return roles
    if role == Role.COMPARES_WITH and _OPENING_COMPARISON.match(left) and not _LIST_GOES_ON.match(right):
        return roles  # "Compared to PES, ES-Single is simpler": the name after the comma is the sentence's subject
    if role == Role.COMPARES_WITH and _others_finding(own_sentence(mention)):
        return roles  # a finding of others' work, told as background: not this paper's rival
    if role is None and label in _SYSTEMS and (used := _USE_RIGHT.search(right)):
        role = Role.COMPARES_WITH if right.lstrip().startswith("相比") else Role.USES
        cue = "right:" + _cue_words(used.group())
    if role in (None, Role.USES) and label in _SYSTEMS and _own_part(mention, left):
        role, cue = Role.PROPOSES, "own-part"
    if role is not None:
        roles.setdefault(role, cue)
    return roles


def _others_finding(sentence: str) -> bool:
    """Whether the sentence reports what others' work found, with no word of this paper's own ("we", "our")."""
    return bool(_OTHERS_FINDING.search(sentence)) and not _OWN.search(sentence)


def _own_part(mention: Mention, left: str) -> bool:
    """Whether the mention is listed as a part of the paper's own system ("Our framework consists of two main
    components: the Attentional Module (AttM) and ..."): a "made of N parts" cue on its left, only names and list
    words between. A known name is a part used, not proposed ("consists of two modules: BERT and ...")."""
    if mention.source.startswith("lexicon:") or not _OWN.search(own_sentence(mention)):
        return False
    if _LATER_MARK.search(left):
        sent = mention.sentence[:max(_offset_in_sentence(mention), 0)]
        return _ENUMERATED_PARTS.search(sent) is not None
    m = _PARTS_LEFT.search(left)
    if m is None:
        return False
    gap = re.sub(r"^\s*(?::|,)?\s*(?:i\.e\.,?|namely|including)?", "", m.group("gap"))
    gap = re.sub(r"\(?\b(?:\d|i{1,3}|iv)\)", " ", gap)  # "1) a Contact Depth Network", "(ii) the ..."
    return _only_names_between(gap, limit=120)


def _names_a_kind(mention: Mention, left: str, right: str, known_technique: bool) -> bool:
    """Whether a mention a proposing cue reaches names the kind of the proposal, not the proposal: a known technique
    before a kind noun or after a modifier ("we propose a novel imitation learning method"), a technique the paper
    goes on to name ("a novel data pruning algorithm, Prune4Rel"), an acronym between "a novel" and a kind noun
    ("we develop a novel MBRL method")."""
    if known_technique and mention.label == "METHOD" and (_KIND_RIGHT.match(right) or _MODIFIER_LEFT.search(left)):
        return True
    if mention.source == "kind" or _NAMED_NEXT.match(right):
        return True  # "we develop a novel shortest-path graph kernel called the MWSPF kernel": the kind, then the name
    return bool(_ACRONYM.fullmatch(mention.text) and _KIND_RIGHT.match(right) and _ARTICLE_LEFT.search(left))


#: Words between a results noun and its verb, within one sentence: "Our experiments on 25 LLMs and 4 prompting
#: techniques show".
_GAP = r"(?:[^\w.!?]+\w+(?:\.\w+)*%?){0,8}?[^\w.!?]+"
#: A sentence that reports how models did, as done, not as a purpose ("designed to facilitate the evaluation of"):
#: results shown, models evaluated or observed, evaluations conducted, a score reached (a number, not "3D" or
#: "2.22T tokens"), models struggling.
_REPORTS_EVALUATION = re.compile(
    # the first letters of the alternatives, looked ahead: the engine then skips the other positions quickly (a
    # third of the time over the corpus' abstracts)
    r"(?=[refaswol实评测结我])(?:"
    r"\b(?:results?|experiments?|evaluations?|findings|analys[ie]s|study|studies)" + _GAP
    + r"(?:show|shows|showed|shown|reveal\w*|demonstrat\w*|indicat\w*|suggest\w*|highlight\w*|confirm\w*)\b"
    r"|\bwe\s+(?:\w+\s+){0,2}?(?:evaluat(?:e|ed)|assess(?:ed)?|benchmark(?:ed)?|test(?:ed)?|find|found|observe[ds]?"
    r"|discover\w*)\b"
    r"|\bwe\s+(?:\w+\s+){0,2}?(?:perform\w*|conduct\w*|carr\w+\s+out|run|ran)\s+(?:\w+\s+){0,4}?"
    r"(?:evaluations?|experiments?|analys[ie]s|benchmarking)\b"
    r"|\b(?:achiev\w*|obtain\w*|scor\w*|reach\w*)\s+(?:\w+\s+){0,4}?\d+(?:\.\d+)?(?!\w|\.\d)"
    r"|\bstruggl\w*|\bfall\w* short|\blag\w* behind|\bfar from\b"
    r"|(?:实验|评估|评测|测试)?结果(?:表明|显示|证明)|我们(?:\w{0,6}?)(?:评估|测试|评测)了|我们发现)",
    re.I,
)
#: A proposed dataset meant for evaluating models: its sentence calls it a benchmark or testbed or says it
#: evaluates, or its name is benchmark-shaped ("PuzzleBench", "OpsEval").
_EVALUATION_KIND = re.compile(r"\b(?:benchmark\w*|test[- ]?bed|evaluat\w*|assess\w*|leaderboard|probing)\b|基准|评测|评估",
                              re.I)
_BENCHMARK_NAME = re.compile(r"(?:bench(?:mark)?|eval)s?$", re.I)


def reports_evaluation(text: str) -> bool:
    """Whether `text` (an abstract) reports how models did: "Our results show ...", "We evaluate 12 LLMs ...",
    "reached an accuracy of 97%", "实验结果表明". A sentence saying what a benchmark is for does not count."""
    return bool(_REPORTS_EVALUATION.search(text))


def _for_evaluation(mention: Mention) -> bool:
    return bool(_EVALUATION_KIND.search(mention.sentence) or _BENCHMARK_NAME.search(mention.text))


_SIZE_SUFFIX = r"[-\s]?(?:\d+x)?\d+(?:\.\d+)?[BMK](?:[-\s](?:chat|instruct|base|it))?"


def size_base(name: str) -> str:
    """`name` without its size: "GritLM 7B" -> "GritLM"; a name with no size is its own base."""
    return re.sub(_SIZE_SUFFIX + "$", "", name, flags=re.I) or name


def is_sized_variant(name: str, bases: Set[str]) -> bool:
    """Whether `name` is one of `bases` plus a size ("StarCoder2-15B", "GritLM 8x7B", "ChemDFM-13B-chat")."""
    return any(name != b and re.fullmatch(re.escape(b) + _SIZE_SUFFIX, name, re.I) for b in bases)


# What may stand between two names proposed together: "X (TFDL) and the Y", "X (QA-Eval) and the corresponding
# dataset Y"; no verb, so "we propose X and fine-tune BERT" is not one.
_COORDINATION_GAP = re.compile(
    r"^\s*(?:\([^()]{1,30}\)\s*)?,?\s*(?:and|as well as)\s+(?:(?:the|a|an|its|their|our|corresponding|accompanying|"
    r"associated|new|novel|first|large-scale|dataset|benchmark|corpus|model|method|framework|module|metric)\s+){0,3}$",
    re.I)


def coordinated_proposals(mentions: Sequence[Mention], roles: Sequence[Set[Role]]) -> Set[int]:
    """Indices of mentions coordinated with a proposed name before them in the same sentence: "we introduce two
    options called the trainable flipping difference layer (TFDL) and the trainable dynamic difference layer
    (TDDL)" proposes both; "a new task, QA-Eval, and the corresponding dataset EVOUNA" too."""
    out: Set[int] = set()
    order = sorted(range(len(mentions)), key=lambda i: (mentions[i].field, mentions[i].sent_start, mentions[i].start))
    last: Optional[Mention] = None
    for i in order:
        y = mentions[i]
        if last is not None and (last.field, last.sent_start) == (y.field, y.sent_start):
            gap = y.sentence[last.end - last.sent_start: y.start - y.sent_start]
            if re.fullmatch(r"\s*\(\s*", gap):
                continue  # the acronym in brackets right after the proposed name
            if y.label in _NAMED and not y.source.startswith("lexicon:") and _COORDINATION_GAP.match(gap):
                out.add(i)
                last = y
                continue
        last = y if Role.PROPOSES in roles[i] else None
    return out


_PARTS_BETWEEN = re.compile(PARTS_CUE, re.I)


def parts_of_proposed(mentions: Sequence[Mention], keys: Sequence[str], roles: Dict[str, Set[Role]]) -> List[int]:
    """Indices of the parts (rule "part") of what the paper proposes, named before the "made of" cue in the same
    sentence: "DREsS comprises three sub-datasets: DREsS_New, DREsS_Std., and DREsS_CASE", DREsS being released
    by the paper."""
    out = []
    for i, m in enumerate(mentions):
        if m.source.split(":")[0] != "part" or Role.PROPOSES in roles[keys[i]]:
            continue
        for w, key in zip(mentions, keys):
            if ((w.field, w.sent_start) == (m.field, m.sent_start) and w.end <= m.start and Role.PROPOSES in roles[key]
                    and _PARTS_BETWEEN.search(m.sentence[w.end - w.sent_start:m.start - m.sent_start])):
                out.append(i)
                break
    return out


def paper_links(arxiv_id: str, mentions: Sequence[Mention], keys: Sequence[str],
                own_roles: Optional[Sequence[Mapping[Role, str]]] = None, *,
                evaluation_reported: Optional[bool] = None) -> List[Link]:
    """One `Link` per (entity, role) of one paper; `keys[i]` is the resolved entity key of `mentions[i]`.

    Roles are the union over an entity's mentions (and the named parts of a whole the paper proposes are proposed
    too), then made consistent at the paper level: what the paper proposes it does not also "compare with" or
    "use", and a dataset it proposes is also evaluated on when the paper reports how models did
    (`evaluation_reported`: `reports_evaluation` of its abstract; judged from the mentions' sentences when not
    given) and the dataset is meant for evaluation or the paper proposes no model or method of its own. Each link's
    evidence is the best mention whose own clause gives that role (for a plain mention, the best mention of the
    entity); its cue is that mention's (`role_cues`) or, for a role only the paper level gives, "paper:<why>".
    `own_roles[i]`: `role_cues(mentions[i])` if already known."""
    cues = own_roles if own_roles is not None else [role_cues(m) for m in mentions]
    per_mention = [set(c) for c in cues]
    coordinated = coordinated_proposals(mentions, per_mention)
    per_mention = [r | {Role.PROPOSES} if i in coordinated else r for i, r in enumerate(per_mention)]
    roles: Dict[str, Set[Role]] = {}
    for key, r in zip(keys, per_mention):
        roles.setdefault(key, set()).update(r)
    why: Dict[Tuple[str, Role], str] = {(keys[i], Role.PROPOSES): "paper:coordinated" for i in coordinated}
    for i in parts_of_proposed(mentions, keys, roles):
        roles[keys[i]].add(Role.PROPOSES)
        why.setdefault((keys[i], Role.PROPOSES), "paper:part-of-proposed")
    proposed = {m.text for m, key in zip(mentions, keys) if Role.PROPOSES in roles[key]}
    proposed |= {size_base(name) for name in proposed}
    for m, key in zip(mentions, keys):
        if m.label == "MODEL" and is_sized_variant(m.text, proposed):
            roles[key].add(Role.PROPOSES)  # "we release GritLM ... GritLM 7B and GritLM 8x7B": siblings too
            why.setdefault((key, Role.PROPOSES), "paper:size-of-proposed")
    if evaluation_reported is None:
        evaluation_reported = any(reports_evaluation(m.sentence) for m in mentions)
    # results a paper reports are on its own benchmark, unless it also proposes a model or method they may be of
    own_system = any(m.label in ("MODEL", "METHOD") and Role.PROPOSES in roles[key] for m, key in zip(mentions, keys))
    for m, key in zip(mentions, keys):
        r = roles[key]
        if Role.PROPOSES in r:
            r.discard(Role.COMPARES_WITH)
            r.discard(Role.USES)
            if m.label == "DATASET" and evaluation_reported and (not own_system or _for_evaluation(m)):
                r.add(Role.EVALUATES_ON)
                why.setdefault((key, Role.EVALUATES_ON), "paper:proposed-benchmark-evaluates")
    best: Dict[Tuple[str, Role], Tuple[Tuple[int, float], Mention, str]] = {}
    for m, key, own, cue in zip(mentions, keys, per_mention, cues):
        for role in roles[key] or {Role.MENTIONS}:
            rank = (1 if role in own else 0, m.score)
            if (key, role) not in best or rank > best[key, role][0]:
                best[key, role] = (rank, m, cue.get(role) or why.get((key, role), ""))
    return [Link(arxiv_id, key, role, m, m.score, cue) for (key, role), (_, m, cue) in sorted(best.items())]


def paper_relations(mentions: Sequence[Mention], keys: Sequence[str], links: Sequence[Link],
                    own_roles: Optional[Sequence[Collection[Role]]] = None
                    ) -> List[Tuple[RelationType, str, str, Mention]]:
    """Entity -> entity relations one paper states, as (type, subject key, object key, evidence mention).

    basedOn: "X ... built on / fine-tuned from / leveraging Y", X proposed by the paper, Y a MODEL or METHOD after
    the cue in the same clause. evaluatedOn: a MODEL or METHOD named before a dataset the sentence evaluates on
    ("ASMv2 achieves 52.04 on CRPE"); with none named, the paper's single proposed model or method."""
    key_of = dict(zip(mentions, keys))
    if own_roles is None:
        own_roles = [mention_roles(m) for m in mentions]
    roles_of = dict(zip(mentions, own_roles))
    proposed = {l.entity_key for l in links if l.role == Role.PROPOSES}
    evaluated = {l.entity_key for l in links if l.role == Role.EVALUATES_ON}
    # a model "used" in the sentence is often the base being fine-tuned, not what is evaluated
    systems = {l.entity_key for l in links if l.role in (Role.PROPOSES, Role.COMPARES_WITH)}
    labels = {k: m.label for m, k in key_of.items()}
    own_systems = sorted(k for k in proposed if labels.get(k) in ("MODEL", "METHOD"))
    by_sentence: Dict[Tuple[str, int], List[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault((m.field, m.sent_start), []).append(m)
    out = set()
    for sent in by_sentence.values():
        sent = sorted(sent, key=lambda m: m.start)
        for i, m in enumerate(sent):
            key = key_of[m]
            if m.label in ("MODEL", "METHOD") and key not in proposed and _BASED_ON.search(local_context(m)[0]):
                subj = next((s for s in reversed(sent[:i]) if key_of[s] in proposed and s.label in ("MODEL", "METHOD")),
                            None)
                if subj is None and len(own_systems) == 1 and not any(s.label in ("MODEL", "METHOD") for s in sent[:i]):
                    subj_key = own_systems[0]
                else:
                    subj_key = key_of[subj] if subj is not None else None
                if subj_key and subj_key != key:
                    out.add((RelationType.BASED_ON, subj_key, key, m))
            if m.label == "DATASET" and key in evaluated and Role.EVALUATES_ON in roles_of[m]:
                named = [key_of[s] for s in sent[:i] if s.label in ("MODEL", "METHOD") and key_of[s] in systems]
                if not named and len(own_systems) == 1:
                    named = own_systems
                for subj_key in named:
                    out.add((RelationType.EVALUATED_ON, subj_key, key, m))
    return sorted(out, key=lambda t: (t[0].value, t[1], t[2], t[3].field, t[3].start))
