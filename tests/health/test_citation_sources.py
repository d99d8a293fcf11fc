"""Where the rules' citations point: the share of rules whose url is an official publication
(by the source register's official publishers) is shown and held at 95% or more, no rule rests
on copies or news alone, and every link is on a host the register knows."""

from __future__ import annotations

from counting_rules import Rulebook
from counting_rules._rulebook.ir import Rule

OFFICIAL_SHARE = 0.95


def _links(rule: Rule) -> list[str]:
    return [u for u in (rule.citation.url, rule.citation.read_at) if u]


def test_most_rules_link_to_an_official_publication(book: Rulebook) -> None:
    unofficial = sorted(
        r.id for r in book.rules.values() if not book.sources.is_official(r.citation.url)
    )
    share = 1 - len(unofficial) / len(book.rules)
    said = (
        f"{share:.1%} of {len(book.rules)} rules link to an official publication "
        f"({len(unofficial)} do not: {unofficial})"
    )
    print(said)  # shown with pytest -s
    assert share >= OFFICIAL_SHARE, said


def test_no_rule_rests_on_copies_or_news_alone(book: Rulebook) -> None:
    alone = sorted(
        r.id
        for r in book.rules.values()
        if all(book.sources.kind_of(u) in ("aggregator", "news") for u in _links(r))
    )
    assert not alone, f"rules whose only links are copies or news: {alone}"


def test_every_link_is_on_a_host_the_register_knows(book: Rulebook) -> None:
    unknown = sorted(
        {u for r in book.rules.values() for u in _links(r) if not book.sources.kind_of(u)}
    )
    assert not unknown, f"links on hosts the source register does not know: {unknown}"
