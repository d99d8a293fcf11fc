"""The compiled-rulebook cache: the same rulebook from the cache as built; a change to any
file, a damaged cache file or caching turned off gives a fresh build; errors are never cached."""

from __future__ import annotations

from pathlib import Path

import pytest

from counting_rules import RuleSpecError, load_rulebook

from .test_loader import GOOD, rulebook  # noqa: F401  # the fixture

RULE = "general_rules/test/finding_rule"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("COUNTING_RULES_CACHE_DIR", str(folder))
    monkeypatch.delenv("COUNTING_RULES_CACHE", raising=False)
    return folder


def _with_rule(root: Path, text: str = GOOD) -> Path:
    (root / f"{RULE}.yaml").parent.mkdir(parents=True, exist_ok=True)
    (root / f"{RULE}.yaml").write_text(text)
    (root / f"{RULE}.md.j2").write_text("Found for {{ a.aid }}.")
    return root


def _files(cache: Path) -> list[Path]:
    return sorted(cache.glob("rulebook-*.pickle"))


def test_a_cached_rulebook_equals_the_built_one(rulebook: Path, cache: Path) -> None:  # noqa: F811
    built = load_rulebook(_with_rule(rulebook))
    (entry,) = _files(cache)
    again = load_rulebook(rulebook)
    assert again is not built
    assert again.digest == built.digest
    assert again.rules == built.rules
    assert again.editions == built.editions
    assert again.templates == built.templates
    assert _files(cache) == [entry]  # read, not written again


def test_any_change_to_a_file_is_a_fresh_build(rulebook: Path, cache: Path) -> None:  # noqa: F811
    first = load_rulebook(_with_rule(rulebook))
    (rulebook / f"{RULE}.md.j2").write_text("Changed for {{ a.aid }}.")
    second = load_rulebook(rulebook)
    assert second.templates[RULE] == "Changed for {{ a.aid }}."
    assert second.digest != first.digest
    assert len(_files(cache)) == 2


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_damaged_cache_file_is_rebuilt_never_trusted(
    rulebook: Path,  # noqa: F811
    cache: Path,
    damage: str,
) -> None:
    built = load_rulebook(_with_rule(rulebook))
    (entry,) = _files(cache)
    blob = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(blob[: len(blob) // 2])
    elif damage == "flip":
        entry.write_bytes(blob[:-10] + bytes([blob[-10] ^ 0xFF]) + blob[-9:])
    else:
        entry.write_bytes(b"not a rulebook")
    again = load_rulebook(rulebook)
    assert again.rules == built.rules
    assert entry.read_bytes() == blob  # rewritten whole


def test_caching_off_writes_nothing(
    rulebook: Path,  # noqa: F811
    cache: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COUNTING_RULES_CACHE", "off")
    assert RULE in load_rulebook(_with_rule(rulebook)).rules
    assert not cache.exists()


def test_an_unwritable_cache_folder_only_costs_speed(
    rulebook: Path,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("COUNTING_RULES_CACHE_DIR", str(blocker / "cache"))
    assert RULE in load_rulebook(_with_rule(rulebook)).rules


def test_an_error_is_never_cached(rulebook: Path, cache: Path) -> None:  # noqa: F811
    broken = _with_rule(rulebook, GOOD.replace("force_on_person", "force_on_persn"))
    for _ in range(2):
        with pytest.raises(Exception, match="force_on_persn"):
            load_rulebook(broken)
    assert not _files(cache)
    with pytest.raises(RuleSpecError):
        load_rulebook(rulebook / "missing")
