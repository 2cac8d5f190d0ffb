"""Ingest: every layout, exact seed counts, merging, and every kind of bad input."""

import os
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.parse import check_file, detect_layout, expand_inputs, iter_papers, merge_stream, parse_file
from kg.parse.jsonl import parse_file as parse_jsonl
from kg.records import Paper, ParseIssue, merge_papers

from .conftest import EXAMPLES, FIXTURES, SEED_COUNTS


def papers_of(path):
    return [p for p in parse_file(Path(path)) if isinstance(p, Paper)]


@pytest.mark.parametrize("name,count", sorted(SEED_COUNTS.items()))
def test_seed_counts(name, count):
    papers = papers_of(EXAMPLES / name)
    assert len(papers) == count
    assert all(p.arxiv_id and p.title_en and p.abstract_en and p.title_zh for p in papers)


def test_seeds_give_107_distinct_papers_with_one_merge():
    issues = []
    entries = list(iter_papers(expand_inputs([str(EXAMPLES)]), issues.append))
    merged = merge_stream(entries)
    assert (len(entries), len(merged), issues) == (108, 107, [])
    twice = merged["2312.04828"]
    assert len(twice.sources) == 2


def test_cnchat_new_era_fields():
    p = papers_of(EXAMPLES / "000_3e17f147dcf6ff68.txt")[0]
    assert p.arxiv_id == "2403.06537" and p.version == 1 and p.announce_type == "new"
    assert p.title_en == "On the Consideration of AI Openness: Can Good Intent Be Abused?"
    assert p.title_zh.startswith("对AI开放性的考量")
    assert p.tldr_zh.startswith("开源技术虽然促进了科技进步")
    assert p.abstract_zh.startswith("开放性对科学的进展至关重要")
    assert p.abstract_en.startswith("Openness is critical for the advancement of science.")
    assert "Announce Type" not in p.abstract_en
    assert p.truncated and p.url == "https://arxiv.org/abs/2403.06537"


def test_cnchat_old_era_fields():
    papers = papers_of(FIXTURES / "cnchat_old_era.md")
    assert [p.arxiv_id for p in papers] == ["2303.12788", "2303.12772"]
    p = papers[0]
    assert p.title_en == "Open-source Frame Semantic Parsing"  # "(arXiv:… [cs.CL])" and the generator's "." gone
    assert p.categories == ("cs.CL",) and p.version == 1 and p.announce_type == "new"
    assert p.abstract_en.startswith("While the state-of-the-art for frame semantic parsing")
    assert p.tldr_zh.startswith("本文介绍了一个开源Python库")


def test_hugging_digest_fields():
    p = papers_of(EXAMPLES / "001_d5c0faa7ab539173.txt")[0]
    assert p.arxiv_id == "2402.19474"
    assert p.title_en == "The All-Seeing Project V2: Towards General Relation Comprehension of the Open World"
    assert p.date == "2024-02-29" and p.tags == ("Agent",)
    assert p.abstract_zh.startswith("现在呈献给大家的是") and p.abstract_en.startswith("We present the All-Seeing")
    assert not p.truncated


@pytest.mark.parametrize("name,arxiv_id,tags", [
    ("hugging_paper_early.md", "2402.16457", ("ARAG",)),
    ("hugging_paper_late.md", "2404.02548", ("Agent",)),
])
def test_hugging_paper_variants(name, arxiv_id, tags):
    (p,) = papers_of(FIXTURES / name)
    assert p.arxiv_id == arxiv_id and p.tags[: len(tags)] == tags
    assert p.title_en and p.abstract_en and p.abstract_zh and p.title_zh and p.date
    assert not p.title_en.startswith(">")


def test_atom_feed():
    papers = papers_of(FIXTURES / "arxiv_api.xml")
    assert [p.arxiv_id for p in papers] == ["2310.03744", "2304.08485"]
    p = papers[0]
    assert p.version == 2 and p.date == "2023-10-05" and p.title_en == "Improved Baselines with Visual Instruction Tuning"
    assert p.categories == ("cs.AI", "cs.CV") and p.abstract_en.endswith("across 11 benchmarks.")


def test_jsonl():
    papers = papers_of(FIXTURES / "papers.jsonl")
    assert [(p.arxiv_id, p.version) for p in papers] == [("2402.19474", 2), ("2402.11140", None)]
    assert papers[1].title_zh == "思维的提升" and papers[1].tags == ("Agent",) and papers[1].truncated


@pytest.mark.parametrize("line,code", [
    ('{"id": "2401.00001", "title": "A", "abstract": "ok \\ud800 bad"}', "[E015]"),  # no file can hold it
    ('{"id": 2401.10000, "title": "B"}', "[E014]"),  # a number: it would read 2401.1
    ('{"id": "2401.00003", "title": "C", "abstract": ["a", "b"]}', "[E014]"),
    ('{"id": "2401.00004", "title": "D", "date": "March 3, 2024"}', "[E016]"),
    ('{"id": "2401.00005", "title": "E", "date": "2024-13-45"}', "[E016]"),
])
def test_jsonl_fields_that_cannot_be_read_as_they_are_are_bad_entries(tmp_path, line, code):
    path = tmp_path / "papers.jsonl"
    path.write_text(line + "\n" + '{"id": "2401.00006", "title": "F", "date": "2024-03-01T12:00:00Z"}\n')
    items = list(parse_jsonl(path))
    assert [i.reason[:6] for i in items if isinstance(i, ParseIssue)] == [code]
    (paper,) = [i for i in items if isinstance(i, Paper)]
    assert paper.arxiv_id == "2401.00006" and paper.date == "2024-03-01"


def test_layout_detected_from_content_not_name(tmp_path):
    renamed = tmp_path / "feed.md"
    renamed.write_bytes((FIXTURES / "arxiv_api.xml").read_bytes())
    assert detect_layout(renamed.read_text()).name == "arxiv-atom"
    assert len(papers_of(renamed)) == 2


def test_merge_keeps_longer_abstract_and_all_fields():
    a = Paper("1", title_en="T", abstract_en="short", truncated=True, sources=("a:1",), categories=("cs.CL",))
    b = Paper("1", title_zh="标题", abstract_en="a longer abstract.", version=2, sources=("b:9",), categories=("cs.AI",))
    m = merge_papers(a, b)
    assert (m.abstract_en, m.truncated, m.title_en, m.title_zh, m.version) == ("a longer abstract.", False, "T", "标题", 2)
    assert m.sources == ("a:1", "b:9") and m.categories == ("cs.AI", "cs.CL")


@pytest.mark.parametrize("content,code", [
    (b"", "[E002]"),
    (b"  \n\n", "[E002]"),
    (b"# \xe6\x91\x98\x00binary", "[E003]"),
    (b"# caf\xe9 latin-1", "[E004]"),
    (b"just some notes\nnothing like a digest\n", "[E005]"),
])
def test_bad_files(tmp_path, content, code):
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    with pytest.raises(InputError, match=code.replace("[", r"\[").replace("]", r"\]")):
        list(parse_file(path))


def test_unreadable_file(tmp_path):
    link = tmp_path / "gone.md"
    os.symlink(tmp_path / "missing-target.md", link)
    issues = []
    assert list(iter_papers(expand_inputs([str(link)]), issues.append)) == []
    assert len(issues) == 1 and issues[0].line is None and "[E001]" in issues[0].reason


def test_bad_utf8_late_in_large_file(tmp_path):
    path = tmp_path / "big.jsonl"
    good = (FIXTURES / "papers.jsonl").read_bytes()
    path.write_bytes(good * 20000 + b"\xff\n")  # beyond the sniffed head
    with pytest.raises(InputError, match=r"\[E004\]"):
        check_file(path)


def test_broken_entries_reported_with_line(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text('{"id": "2401.00001", "title": "Fine"}\n{not json\n{"title": "no id"}\n', encoding="utf-8")
    items = list(parse_file(path))
    issues = [i for i in items if isinstance(i, ParseIssue)]
    assert [p.arxiv_id for p in items if isinstance(p, Paper)] == ["2401.00001"]
    assert [(i.line, i.reason[:6]) for i in issues] == [(2, "[E009]"), (3, "[E010]")]
    assert str(issues[0]).startswith(f"{path}:2: ")


def test_cnchat_entry_without_id_reported(tmp_path):
    text = (FIXTURES / "cnchat_old_era.md").read_text(encoding="utf-8")
    broken = text.replace("(arXiv:2303.12772v1 [cs.CL])", "").replace("[http://arxiv.org/abs/2303.12772](http://arxiv.org/abs/2303.12772)", "")
    broken = broken.replace("| [^2] | [Interpretable", "| [^x] | [Interpretable")
    path = tmp_path / "broken.md"
    path.write_text(broken, encoding="utf-8")
    items = list(parse_file(path))
    issues = [i for i in items if isinstance(i, ParseIssue)]
    assert len([p for p in items if isinstance(p, Paper)]) == 1
    assert len(issues) == 1 and "[E007]" in issues[0].reason and issues[0].line > 1


def test_expand_inputs_globs_and_missing(tmp_path):
    assert len(expand_inputs([str(EXAMPLES / "00*.txt")])) == 5
    with pytest.raises(InputError, match=r"\[E006\]"):
        expand_inputs([str(tmp_path / "nothing-*.md")])


# ---------------------------------------------------------------- damaged real-world input


def fields_of(papers):
    return [(p.arxiv_id, p.title_en, p.abstract_en, p.title_zh, p.tldr_zh, p.abstract_zh) for p in papers]


def items_of(path):
    items = list(parse_file(Path(path)))
    return [p for p in items if isinstance(p, Paper)], [i for i in items if isinstance(i, ParseIssue)]


@pytest.mark.parametrize("sep", ["\u2028", "\x85", "\x0c", "\x1e"])
def test_a_line_separator_inside_an_abstract_does_not_cut_it(tmp_path, sep):
    # str.splitlines breaks at these too: the rest of the `>` quote was lost, and later lines misnumbered
    text = (EXAMPLES / "001_d5c0faa7ab539173.txt").read_text(encoding="utf-8")
    path = tmp_path / "digest.md"
    path.write_text(text.replace("We present the All-Seeing", f"We present{sep}the All-Seeing", 1), encoding="utf-8")
    papers, issues = items_of(path)
    assert fields_of(papers) == fields_of(papers_of(EXAMPLES / "001_d5c0faa7ab539173.txt")) and issues == []
    assert [p.sources[0].rsplit(":", 1)[1] for p in papers[:3]] == ["1", "7", "13"]


def test_jsonl_with_a_bom_keeps_its_first_record(tmp_path):
    path = tmp_path / "papers.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "papers.jsonl").read_bytes())
    papers, issues = items_of(path)
    assert [p.arxiv_id for p in papers] == ["2402.19474", "2402.11140"] and issues == []


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n\t\n"])
def test_a_bom_and_white_space_is_an_empty_file(tmp_path, content):
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"\[E002\]"):
        list(parse_file(path))


def test_two_cnchat_digests_in_one_file_are_read_one_by_one(tmp_path):
    first = (EXAMPLES / "000_3e17f147dcf6ff68.txt").read_text(encoding="utf-8")
    second = (EXAMPLES / "002_826621d881c21d6a.txt").read_text(encoding="utf-8")
    path = tmp_path / "both.md"
    path.write_text(first + second, encoding="utf-8")
    papers, issues = items_of(path)
    # the last entry of the first digest no longer takes in the second digest's table
    assert fields_of(papers) == fields_of(papers_of(EXAMPLES / "000_3e17f147dcf6ff68.txt") + papers_of(EXAMPLES / "002_826621d881c21d6a.txt"))
    assert issues == []
    # an entry missing its link is filled from its own digest's row [^1], not the first digest's
    link = "    [https://arxiv.org/abs/2404.02115](https://arxiv.org/abs/2404.02115)\n"
    path.write_text(first + second.replace(link, ""), encoding="utf-8")
    papers, _ = items_of(path)
    assert [p.title_en for p in papers if p.arxiv_id == "2404.02115"] == ["GINopic: Topic Modeling with Graph Isomorphism Network"]
    assert len(papers) == 35 and len(merge_stream(papers)) == 34


def test_digests_of_both_layouts_concatenated_keep_every_paper(tmp_path):
    # `cat examples/digests/*.txt > all.md`: the HuggingArxiv digest's 28 papers were lost, unreported
    path = tmp_path / "all.md"
    path.write_bytes(b"".join(p.read_bytes() for p in sorted(EXAMPLES.iterdir())))
    papers, issues = items_of(path)
    alone = merge_stream(p for name in sorted(SEED_COUNTS) for p in papers_of(EXAMPLES / name))
    assert (len(papers), issues) == (108, [])
    assert sorted(fields_of(merge_stream(papers).values())) == sorted(fields_of(alone.values()))


def test_hugging_paper_files_concatenated_give_one_paper_each(tmp_path):
    names = ["hugging_paper_early.md", "hugging_paper_late.md"]
    path = tmp_path / "papers.md"
    path.write_text("\n".join((FIXTURES / n).read_text(encoding="utf-8") for n in names), encoding="utf-8")
    papers, issues = items_of(path)
    assert fields_of(papers) == fields_of(papers_of(FIXTURES / names[0]) + papers_of(FIXTURES / names[1]))
    assert issues == []


def test_hugging_block_without_its_link_heading_is_reported_not_merged_into_the_one_before(tmp_path):
    lines = (EXAMPLES / "001_d5c0faa7ab539173.txt").read_text(encoding="utf-8").split("\n")
    assert lines[6].startswith("#### [") and lines[7].startswith("#### Towards Tracing")
    path = tmp_path / "digest.md"
    path.write_text("\n".join(lines[:6] + lines[7:]), encoding="utf-8")
    papers, issues = items_of(path)
    assert fields_of(papers) == fields_of(papers_of(EXAMPLES / "001_d5c0faa7ab539173.txt"))[:1] + fields_of(papers)[1:]
    assert len(papers) == 27 and [(i.line, i.reason[:6]) for i in issues] == [(7, "[E007]")]


def test_a_tag_line_like_a_hashtag_is_no_heading(tmp_path):
    """A block, or a cn-chat entry, ends at a markdown heading ("# ", "#### "); a tag written "#LLM" is none."""
    lines = (EXAMPLES / "001_d5c0faa7ab539173.txt").read_text(encoding="utf-8").split("\n")
    assert lines[5] == "Agent"  # the first block's tag line
    path = tmp_path / "digest.md"
    path.write_text("\n".join(lines[:5] + ["#Agent"] + lines[6:]), encoding="utf-8")
    papers, issues = items_of(path)
    assert issues == [] and len(papers) == 28 and papers[0].tags == ("#Agent",)


def test_a_file_cut_in_a_character_keeps_the_papers_before_the_cut(tmp_path):
    raw = (EXAMPLES / "000_3e17f147dcf6ff68.txt").read_bytes()
    cut = raw[: raw.index("开放性对科学".encode()) + 1]  # one byte of the three of 开
    path = tmp_path / "cut.md"
    path.write_bytes(cut)
    papers, issues = items_of(path)
    assert [p.arxiv_id for p in papers] == [p.arxiv_id for p in papers_of(EXAMPLES / "000_3e17f147dcf6ff68.txt")]
    assert papers[0].tldr_zh.startswith("开源技术") and papers[0].abstract_en == ""
    assert [(i.line, i.reason[:6]) for i in issues] == [(6, "[E112]"), (cut.count(b"\n") + 1, "[E111]")]
    assert "[E112] 8 paper(s)" in issues[0].reason


def test_a_jsonl_file_cut_in_a_character_keeps_the_records_before(tmp_path):
    raw = (FIXTURES / "papers.jsonl").read_bytes()
    path = tmp_path / "cut.jsonl"
    path.write_bytes(raw[: raw.index("思维".encode()) + 2])
    papers, issues = items_of(path)
    assert [p.arxiv_id for p in papers] == ["2402.19474"]
    assert [(i.line, i.reason[:6]) for i in issues] == [(3, "[E009]"), (3, "[E111]")]  # line 2 is blank


def test_a_cnchat_digest_cut_before_its_details_gives_its_table(tmp_path):
    text = (EXAMPLES / "000_3e17f147dcf6ff68.txt").read_text(encoding="utf-8")
    path = tmp_path / "cut.md"
    path.write_text(text[: text.index("| [^4]")], encoding="utf-8")
    papers, issues = items_of(path)
    assert [p.title_en for p in papers] == [p.title_en for p in papers_of(EXAMPLES / "000_3e17f147dcf6ff68.txt")[:3]]
    assert [(i.line, i.reason[:6]) for i in issues] == [(5, "[E112]")]


@pytest.mark.parametrize("old,new", [
    ("# 详细", "## 详细"),
    ("# 详细", "   #  详细  "),
    ("# 摘要", "### 摘要"),
    ("\n[^", "\n [^"),
    ("]:", "] :"),
])
def test_cnchat_markdown_variants(tmp_path, old, new):
    text = (EXAMPLES / "000_3e17f147dcf6ff68.txt").read_text(encoding="utf-8")
    path = tmp_path / "digest.md"
    path.write_text(text.replace(old, new), encoding="utf-8")
    papers, issues = items_of(path)
    assert fields_of(papers) == fields_of(papers_of(EXAMPLES / "000_3e17f147dcf6ff68.txt")) and issues == []


def test_hugging_quotes_indented_keep_their_abstracts(tmp_path):
    text = (EXAMPLES / "001_d5c0faa7ab539173.txt").read_text(encoding="utf-8")
    path = tmp_path / "digest.md"
    path.write_text(text.replace("\n> ", "\n  > "), encoding="utf-8")
    papers, issues = items_of(path)
    assert fields_of(papers) == fields_of(papers_of(EXAMPLES / "001_d5c0faa7ab539173.txt")) and issues == []


def test_cnchat_entry_without_english_title_and_link_does_not_take_its_tldr_as_title(tmp_path):
    text = (EXAMPLES / "000_3e17f147dcf6ff68.txt").read_text(encoding="utf-8")
    broken = text.replace("    On the Consideration of AI Openness: Can Good Intent Be Abused?\n", "", 1)
    broken = broken.replace("    [https://arxiv.org/abs/2403.06537](https://arxiv.org/abs/2403.06537)\n", "", 1)
    path = tmp_path / "digest.md"
    path.write_text(broken, encoding="utf-8")
    p = items_of(path)[0][0]
    assert p.title_en == "On the Consideration of AI Openness: Can Good Intent Be Abused?"  # from its table row
    assert p.tldr_zh.startswith("开源技术") and p.abstract_zh.startswith("开放性对科学")


def test_hugging_paper_with_an_empty_title_line_is_read(tmp_path):
    text = (FIXTURES / "hugging_paper_late.md").read_text(encoding="utf-8")
    path = tmp_path / "paper.md"
    path.write_text("# \n" + text.split("\n", 1)[1], encoding="utf-8")
    (p,) = papers_of(path)  # was an AttributeError
    assert p.arxiv_id == "2404.02548" and p.title_zh == "" and p.abstract_en


def test_jsonl_version_that_is_a_digit_but_no_number(tmp_path):
    path = tmp_path / "papers.jsonl"
    path.write_text('{"id": "2401.00001v3", "title": "A", "version": "\u00b2"}\n', encoding="utf-8")
    (p,) = papers_of(path)  # int("²") raised ValueError
    assert p.version == 3
