"""Closed vocabularies of a case, each written once as a table of code to official label, and
the machinery that documents every closed vocabulary (``Literal``) in the JSON Schemas.

``ETHNICITY`` is what ``Victim.ethnicity`` accepts; ``POLICE_FORCES`` is what
``Report.recording_force`` and ``Allegation.occurred_in_force`` should name (they stay open:
see ``POLICE_FORCES``). Labels are for people (a training handout renders the label, never
the code); codes are for systems.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

__all__ = [
    "ETHNICITY",
    "NOT_STATED",
    "POLICE_FORCES",
    "document_schema",
    "meaning_of",
    "meanings",
]

#: The police self-defined ethnicity codes ("18+1"): the 18 ethnic groups of the 2011 Census of
#: England and Wales, which government recommends when asking for someone's ethnicity, and
#: ``NS`` for a person who was asked and chose not to state it (an ethnicity nobody asked
#: about is unknown: leave the field out). Groups and wording: Race Disparity Unit,
#: GOV.UK Ethnicity facts and figures, "List of ethnic groups", section 1
#: (https://www.ethnicity-facts-figures.service.gov.uk/style-guide/ethnic-groups). Codes: the
#: "Ethnicity Self Defined Code" of the Criminal Justice System Exchange Data Standards
#: Catalogue, version 6 (https://www.gov.uk/guidance/criminal-justice-system-data-standards-forum-guidance),
#: as transcribed at https://en.wikipedia.org/wiki/Self_defined_ethnicity ("List of SDE
#: codes"). The 2021 Census added Roma (19 groups); the police code list has no code for it,
#: so Roma is recorded as W9. The older 16+1 list had O1 for Chinese: here Chinese is A4 and
#: Arab is O2.
ETHNICITY: Mapping[str, str] = types.MappingProxyType(
    {
        "W1": "White: English, Welsh, Scottish, Northern Irish or British",
        "W2": "White: Irish",
        "W3": "White: Gypsy or Irish Traveller",
        "W9": "White: any other White background",
        "M1": "Mixed or Multiple ethnic groups: White and Black Caribbean",
        "M2": "Mixed or Multiple ethnic groups: White and Black African",
        "M3": "Mixed or Multiple ethnic groups: White and Asian",
        "M9": "Mixed or Multiple ethnic groups: any other Mixed or Multiple ethnic background",
        "A1": "Asian or Asian British: Indian",
        "A2": "Asian or Asian British: Pakistani",
        "A3": "Asian or Asian British: Bangladeshi",
        "A4": "Asian or Asian British: Chinese",
        "A9": "Asian or Asian British: any other Asian background",
        "B1": "Black, African, Caribbean or Black British: Caribbean",
        "B2": "Black, African, Caribbean or Black British: African",
        "B9": "Black, African, Caribbean or Black British: any other Black, African or "
        "Caribbean background",
        "O2": "Other ethnic group: Arab",
        "O9": "Other ethnic group: any other ethnic group",
        "NS": "Not stated",
    }
)
NOT_STATED = "NS"

#: The 43 territorial police forces of England and Wales and the British Transport Police, by
#: the identifier data.police.uk gives each force, with its name: the police.uk API's
#: ``forces`` method (https://data.police.uk/docs/method/forces/; the list was read in a
#: public copy of its response, which also has ``northern-ireland``, left out here because the
#: Counting Rules are for England and Wales). ``btp`` is the identifier data.police.uk uses for
#: the British Transport Police in its availability data
#: (https://data.police.uk/docs/method/crimes_street_dates/). The case fields that name a force
#: accept only these: a misspelt force would otherwise read as another force's area. A force
#: whose own systems use other codes maps them onto these (an audit mapping's ``map``).
POLICE_FORCES: Mapping[str, str] = types.MappingProxyType(
    {
        "avon-and-somerset": "Avon and Somerset Constabulary",
        "bedfordshire": "Bedfordshire Police",
        "cambridgeshire": "Cambridgeshire Constabulary",
        "cheshire": "Cheshire Constabulary",
        "city-of-london": "City of London Police",
        "cleveland": "Cleveland Police",
        "cumbria": "Cumbria Constabulary",
        "derbyshire": "Derbyshire Constabulary",
        "devon-and-cornwall": "Devon & Cornwall Police",
        "dorset": "Dorset Police",
        "durham": "Durham Constabulary",
        "dyfed-powys": "Dyfed-Powys Police",
        "essex": "Essex Police",
        "gloucestershire": "Gloucestershire Constabulary",
        "greater-manchester": "Greater Manchester Police",
        "gwent": "Gwent Police",
        "hampshire": "Hampshire Constabulary",
        "hertfordshire": "Hertfordshire Constabulary",
        "humberside": "Humberside Police",
        "kent": "Kent Police",
        "lancashire": "Lancashire Constabulary",
        "leicestershire": "Leicestershire Police",
        "lincolnshire": "Lincolnshire Police",
        "merseyside": "Merseyside Police",
        "metropolitan": "Metropolitan Police Service",
        "norfolk": "Norfolk Constabulary",
        "north-wales": "North Wales Police",
        "north-yorkshire": "North Yorkshire Police",
        "northamptonshire": "Northamptonshire Police",
        "northumbria": "Northumbria Police",
        "nottinghamshire": "Nottinghamshire Police",
        "south-wales": "South Wales Police",
        "south-yorkshire": "South Yorkshire Police",
        "staffordshire": "Staffordshire Police",
        "suffolk": "Suffolk Constabulary",
        "surrey": "Surrey Police",
        "sussex": "Sussex Police",
        "thames-valley": "Thames Valley Police",
        "warwickshire": "Warwickshire Police",
        "west-mercia": "West Mercia Police",
        "west-midlands": "West Midlands Police",
        "west-yorkshire": "West Yorkshire Police",
        "wiltshire": "Wiltshire Police",
        "btp": "British Transport Police",
    }
)

# What each member of each closed vocabulary means, by the vocabulary (a ``Literal``).
_MEANINGS: dict[Any, Mapping[str, str]] = {}


def meanings(vocabulary: Any, table: Mapping[str, str]) -> None:
    """Record what each member of ``vocabulary`` (a ``Literal``) means.

    Fails at import if a member is missing from ``table`` or ``table`` names one that is not
    a member: the meanings can never fall behind the vocabulary."""
    members = {str(m) for m in get_args(vocabulary)}
    if get_origin(vocabulary) is not Literal or members != set(table):
        missing, extra = sorted(members - set(table)), sorted(set(table) - members)
        raise ValueError(f"meanings of {vocabulary!r}: missing {missing}, not members {extra}")
    if any(not text.strip() for text in table.values()):
        raise ValueError(f"meanings of {vocabulary!r}: a member has no meaning")
    _MEANINGS[vocabulary] = types.MappingProxyType(dict(table))


def meaning_of(vocabulary: Any) -> Mapping[str, str]:
    """What each member of a vocabulary recorded with :func:`meanings` means."""
    return _MEANINGS[vocabulary]


def _literals(ann: Any) -> list[Any]:
    """Every ``Literal`` inside an annotation (through unions, ``Annotated``, tuples)."""
    if get_origin(ann) is Literal:
        return [ann]
    if get_origin(ann) in (Annotated, Union, types.UnionType, tuple):
        return [lit for arg in get_args(ann) for lit in _literals(arg)]
    return []


def _annotate(node: Any, table: Mapping[Any, Mapping[str, str]]) -> None:
    """Add ``x-enumDescriptions`` beside every ``enum`` or ``const`` under ``node``."""
    if isinstance(node, list):
        for item in node:
            _annotate(item, table)
        return
    if not isinstance(node, dict):
        return
    members = node.get("enum", [node["const"]] if "const" in node else None)
    if members is not None:
        key = frozenset(str(m) for m in members)
        if key in table:
            node["x-enumDescriptions"] = {str(m): table[key][str(m)] for m in members}
    for key_, value in node.items():
        if key_ != "x-enumDescriptions":
            _annotate(value, table)


def _is_yes_no(ann: Any) -> bool:
    args = [a for a in get_args(ann) if a is not type(None)] if get_origin(ann) else [ann]
    return args == [bool]


def document_schema(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """A model's ``json_schema_extra``: beside each closed vocabulary of its fields, the meaning
    of every member (``x-enumDescriptions``, a map of member to meaning, as OpenAPI tools
    such as Redoc render it), read from the tables recorded with :func:`meanings`; and, for a
    yes-or-no field with no examples of its own, both answers as its examples."""
    props = schema.get("properties", {})
    fields: dict[str, Any] = {n: f.annotation for n, f in model.model_fields.items()}
    fields |= {n: f.return_type for n, f in model.model_computed_fields.items()}
    for name, ann in fields.items():
        if name in props and _is_yes_no(ann) and "examples" not in props[name]:
            props[name]["examples"] = [True, False]
        table = {
            frozenset(str(m) for m in get_args(lit)): _MEANINGS[lit]
            for lit in _literals(ann)
            if lit in _MEANINGS
        }
        if name in props and table:
            _annotate(props[name], table)
