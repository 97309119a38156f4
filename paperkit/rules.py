"""House rules: checks a template switches on, with their settings, in style.yaml.

The code here says what each rule means; whether it applies, to which sections and how
strictly is the template's choice. A rule a template does not list does not apply.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .diagnostics import Diagnostics, Loc, display_path
from .model import AUTHOR_KEYS, ItemList, Paper, Paragraph, Section
from .style import HouseStyle, RuleSpec
from .walk import iter_blocks, plain_text

RuleCheck = Callable[[Paper, HouseStyle, RuleSpec, Path, Diagnostics], None]


# Rules about paper.yaml's values, which wait until paper.yaml itself is free of errors.
NEEDS_META = {"key-decision-notice", "author-contact"}


def check_rules(paper: Paper, style: HouseStyle, paper_dir: Path, diags: Diagnostics) -> None:
    for rule in style.rules:
        if paper.meta.complete or rule.rule not in NEEDS_META:
            RULES[rule.rule](paper, style, rule, paper_dir, diags)


def _report(diags: Diagnostics, rule: RuleSpec, loc: Loc, code: str, message: str) -> None:
    text = f"{message} ({rule.message})" if rule.message else message
    if rule.severity == "warning":
        diags.warning(loc, code, text)
    else:
        diags.error(loc, code, text)


def _sections(paper: Paper, rule: RuleSpec) -> list[Section]:
    """The sections a rule names, less any whose file could not be read (reported already)."""
    return [s for s in paper.sections if s.id in rule.sections and s.readable]


def _spec_file(style: HouseStyle, section: Section, paper_dir: Path) -> Path:
    return paper_dir / next(s.file for s in style.sections if s.id == section.id)


def _words(section: Section) -> int:
    count = 0
    for node in iter_blocks(section.blocks):
        if isinstance(node, Paragraph):
            count += len(plain_text(node.inlines).split())
    return count


def section_present(paper: Paper, style: HouseStyle, rule: RuleSpec, paper_dir: Path, diags: Diagnostics) -> None:
    for section in _sections(paper, rule):
        path = _spec_file(style, section, paper_dir)
        if not path.is_file():
            _report(diags, rule, Loc(display_path(path), 1), "section-missing",
                    f"the '{section.title}' section's file {path.name} is missing (create it; "
                    "leave it empty if the section has no text)")


def section_has_text(paper: Paper, style: HouseStyle, rule: RuleSpec, paper_dir: Path, diags: Diagnostics) -> None:
    for section in _sections(paper, rule):
        path = _spec_file(style, section, paper_dir)
        if path.is_file() and not section.blocks:
            _report(diags, rule, section.loc, "section-empty", f"the '{section.title}' section has no text")


def implication_stated(paper: Paper, style: HouseStyle, rule: RuleSpec, paper_dir: Path, diags: Diagnostics) -> None:
    for section in _sections(paper, rule):
        path = _spec_file(style, section, paper_dir)
        if not path.is_file() and _required_by_another_rule(style, section):
            continue  # section-present already says the file is missing: one message per mistake
        if not section.blocks:
            where = section.loc if path.is_file() else Loc(display_path(path), 1)
            _report(diags, rule, where, "implication-unstated",
                    f"'{section.title}' must be stated in {path.name}; if there are none, write 'None'")


def _required_by_another_rule(style: HouseStyle, section: Section) -> bool:
    return any(r.rule == "section-present" and section.id in r.sections for r in style.rules)


def has_numbered_paragraphs(paper: Paper, style: HouseStyle, rule: RuleSpec, paper_dir: Path,
                            diags: Diagnostics) -> None:
    for section in _sections(paper, rule):
        if not any(isinstance(node, ItemList) and node.numbered and node.items for node in iter_blocks(section.blocks)):
            _report(diags, rule, section.loc, "numbered-missing",
                    f"'{section.title}' needs at least one numbered paragraph: start each with '- '")


def key_decision_notice(paper: Paper, style: HouseStyle, rule: RuleSpec, paper_dir: Path, diags: Diagnostics) -> None:
    """A key decision needs notice: on the forward plan, or a reason for urgency. The style's
    rule names the three heading facts, in that order: [decision, on-the-plan, reason]."""
    if len(rule.fields) != 3:
        diags.error(rule.loc, "style-field", "rule 'key-decision-notice' needs fields: [the key decision's "
                    "yes/no fact, the forward plan's yes/no fact, the urgency reason's fact]")
        return
    decision, on_plan, reason = rule.fields
    fields = paper.meta.fields
    notice_given = fields.get(on_plan) is True or bool(fields.get(reason))
    if fields.get(decision) is True and not notice_given:
        line = paper.meta.lines.get(decision, 1)
        _report(diags, rule, Loc(paper.meta.loc.path, line), "key-decision-notice",
                f"a key decision must be on the forward plan ({on_plan}: yes) or give an {reason}")


def author_contact(paper: Paper, style: HouseStyle, rule: RuleSpec, paper_dir: Path, diags: Diagnostics) -> None:
    unknown = [f for f in rule.fields if f not in AUTHOR_KEYS]
    if unknown:
        diags.error(rule.loc, "style-field", f"rule 'author-contact' names no author detail: '{unknown[0]}' "
                    f"(they are {', '.join(AUTHOR_KEYS)})")
        return
    author = paper.meta.author
    line = paper.meta.lines.get("author", 1)
    loc = Loc(paper.meta.loc.path, line)
    if author is None:
        _report(diags, rule, loc, "author-missing", "the author's contact details are required (author: name, ...)")
        return
    missing = [f for f in rule.fields if not getattr(author, f, "").strip()]
    if missing:
        _report(diags, rule, loc, "author-incomplete", f"the author's {', '.join(missing)} must be given")


def max_words(paper: Paper, style: HouseStyle, rule: RuleSpec, paper_dir: Path, diags: Diagnostics) -> None:
    for section in _sections(paper, rule):
        count = _words(section)
        if count > rule.words:
            _report(diags, rule, section.loc, "too-long",
                    f"'{section.title}' has {count} words; the house style allows {rule.words}")


RULES: dict[str, RuleCheck] = {
    "section-present": section_present,
    "section-has-text": section_has_text,
    "implication-stated": implication_stated,
    "has-numbered-paragraphs": has_numbered_paragraphs,
    "key-decision-notice": key_decision_notice,
    "author-contact": author_contact,
    "max-words": max_words,
}
