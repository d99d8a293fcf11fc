"""Did-you-mean for a case's misspelt field names and values, read from the case model.

The model is the one list of what a case may hold: ``fields_at`` walks its annotations along
a validation error's location (keys and list indexes) to the model there, and ``values_at``
to the closed set of values a field takes. Nothing here is written twice.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel

from counting_rules.case import CaseFacts
from counting_rules.vocabulary import meaning_of

__all__ = [
    "bounds_at",
    "by_meaning",
    "closest",
    "fields_at",
    "meanings_at",
    "value_at",
    "values_at",
]

Loc = Sequence[str | int]


def _unwrap(ann: Any) -> Any:
    """``X | None`` and ``Annotated[X, ...]`` to ``X`` (a union of several types stays)."""
    while True:
        origin = get_origin(ann)
        if origin is Annotated:
            ann = get_args(ann)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(ann) if a is not type(None)]
            if len(args) != 1:
                return ann
            ann = args[0]
        else:
            return ann


def _annotation(loc: Loc, root: type[BaseModel] = CaseFacts) -> Any:
    ann: Any = root
    for part in loc:
        ann = _unwrap(ann)
        if isinstance(part, int):
            if get_origin(ann) is not tuple:
                return None
            ann = get_args(ann)[0]
        elif isinstance(ann, type) and issubclass(ann, BaseModel) and part in ann.model_fields:
            ann = ann.model_fields[part].annotation
        else:
            return None
    return _unwrap(ann)


def fields_at(loc: Loc) -> tuple[str, ...]:
    """The field names the model at ``loc`` takes (none if ``loc`` is not a model)."""
    ann = _annotation(loc)
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return tuple(ann.model_fields)
    return ()


def values_at(loc: Loc) -> tuple[str, ...]:
    """The values a closed-vocabulary field at ``loc`` takes (none if it is open)."""
    ann = _annotation(loc)
    if get_origin(ann) is Literal:
        return tuple(str(v) for v in get_args(ann))
    return ()


def meanings_at(loc: Loc) -> dict[str, str]:
    """What each value of a closed-vocabulary field at ``loc`` means (none if it is open or
    its vocabulary has no recorded meanings)."""
    ann = _annotation(loc)
    if get_origin(ann) is not Literal:
        return {}
    try:
        return dict(meaning_of(ann))
    except KeyError:
        return {}


def _words(text: str) -> set[str]:
    return set("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def by_meaning(word: object, meanings: dict[str, str]) -> str | None:
    """The value whose meaning ``word`` most likely names, for a value written out in words
    instead of its code ("White British" for W1, "Pakistani" for A2).

    A meaning of the form "group: category" matches when every word given is in it and one
    is in the category; of several matches, the one whose category adds the fewest other
    words wins, and a tie gives no suggestion."""
    if not isinstance(word, str) or not _words(word):
        return None
    given = _words(word)
    fits: list[tuple[int, str]] = []
    for value, meaning in meanings.items():
        category = _words(meaning.partition(": ")[2] or meaning)
        if given <= _words(meaning) and given & category:
            fits.append((len(category - given), value))
    fits.sort()
    if not fits or (len(fits) > 1 and fits[0][0] == fits[1][0]):
        return None
    return fits[0][1]


def bounds_at(loc: Loc) -> tuple[int | None, int | None]:
    """The least and greatest number the field at ``loc`` takes (None: no bound)."""
    parent = _annotation(loc[:-1]) if loc and isinstance(loc[-1], str) else None
    if not (isinstance(parent, type) and issubclass(parent, BaseModel)):
        return None, None
    info = parent.model_fields.get(str(loc[-1]))
    meta = info.metadata if info is not None else []
    low = next((m.ge for m in meta if isinstance(m, annotated_types.Ge)), None)
    high = next((m.le for m in meta if isinstance(m, annotated_types.Le)), None)
    return (
        low if isinstance(low, int) else None,
        high if isinstance(high, int) else None,
    )


def value_at(data: Any, loc: Loc) -> Any:
    """The value ``data`` holds at ``loc``, or None."""
    node = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(part, str) and isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def closest(word: object, choices: Iterable[str]) -> str | None:
    """The choice ``word`` most likely misspells, if one is close (difflib's ratio)."""
    if not isinstance(word, str) or not word:
        return None
    options = sorted(set(choices))
    folded = {c.lower(): c for c in options}
    if word.lower() in folded:  # a difference of case only: the value is surely that one
        return folded[word.lower()]
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return match[0] if match else None
