"""A case's facts in plain English sentences, and what a stage adds to or corrects in them.

``case_sentences`` tells a whole case, one sentence per report, person, allegation, piece of
evidence and proposal ("Victim V1 is 28 years old, is male and has no disability.");
``fact_changes`` compares the case of one stage with the case of the stage before and says
what is new, what was corrected (and what it was), what is unknown again, and what was added
or taken away. Every field of the case model has its words here (a test checks it); dates
are in the one plain style (``_explain.dates``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from counting_rules._explain.dates import plain_when
from counting_rules.case import CaseFacts
from counting_rules.vocabulary import ETHNICITY, NOT_STATED, POLICE_FORCES

__all__ = ["PHRASES", "FactChange", "case_sentences", "fact_changes"]


def _w(value: object) -> str:
    return str(value).replace("_", " ")


def _yes_no(yes: str, no: str) -> Callable[[Any], str]:
    return lambda v: yes if v else no


def _table(words: Mapping[str, str], fallback: str = "{}") -> Callable[[Any], str]:
    return lambda v: words.get(str(v), fallback.format(_w(v)))


def _fmt(pattern: str) -> Callable[[Any], str]:
    return lambda v: pattern.format(_w(v))


def _at(pattern: str) -> Callable[[Any], str]:
    return lambda v: pattern.format(plain_when(v))


def _listed(names: Sequence[str]) -> str:
    names = list(names)
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


OFFENCES = {
    "murder": "murder",
    "manslaughter": "manslaughter",
    "attempted_murder": "attempted murder",
    "conspiracy_to_murder": "a conspiracy to murder",
    "threats_to_kill": "threats to kill",
    "assault": "an assault",
    "endangering_life": "an act endangering life",
    "rape": "rape",
    "attempted_rape": "attempted rape",
    "sexual_assault": "a sexual assault",
    "sexual_activity_with_child": "sexual activity with a child",
    "causing_sexual_activity_without_consent": "causing sexual activity without consent",
    "exposure_or_voyeurism": "exposure or voyeurism",
    "exploitation_of_prostitution": "exploitation of prostitution",
    "keeping_a_brothel": "keeping a brothel",
    "stalking": "stalking",
    "harassment": "harassment",
    "malicious_communications": "malicious communications",
    "controlling_or_coercive_behaviour": "controlling or coercive behaviour",
    "public_order": "a public order offence",
    "robbery": "a robbery",
    "theft": "a theft",
    "burglary": "a burglary",
    "criminal_damage": "criminal damage",
    "arson": "arson",
    "possession_of_bladed_article": "possession of a bladed article",
    "child_cruelty_or_neglect": "child cruelty or neglect",
    "kidnapping": "kidnapping",
    "concealing_birth": "concealing a birth",
    "modern_slavery": "modern slavery",
    "making_off_without_payment": "making off without payment",
    "possession_of_offensive_weapon": "possession of an offensive weapon",
    "offence_with_intent_to_commit_sexual_offence": (
        "an offence committed with intent to commit a sexual offence"
    ),
    "firearms_dealing_or_supply": "dealing in or supplying firearms unlawfully",
    "aggravated_vehicle_taking": "aggravated vehicle taking",
    "sexual_grooming": "sexual grooming or sexual communication with a child",
    "abuse_of_position_of_trust": "a sexual abuse of a position of trust",
    "child_sexual_exploitation": "child sexual exploitation",
    "sexual_offence_against_person_with_mental_disorder": (
        "a sexual offence against a person with a mental disorder"
    ),
    "familial_sexual_offence": "a familial sexual offence",
    "possession_of_firearm": "possession of a firearm without authority",
    "possession_of_firearm_with_intent": "possession of a firearm with intent",
    "causing_or_allowing_death_or_serious_harm": (
        "causing or allowing the death or serious harm of a child or vulnerable adult"
    ),
    "corporate_manslaughter": "corporate manslaughter",
    "infanticide": "infanticide",
    "interference_with_motor_vehicle": "interference with a motor vehicle",
    "abstracting_electricity": "dishonest use of electricity",
    "drug_possession": "possession of a controlled drug",
    "drug_trafficking": "trafficking in a controlled drug",
    "handling_stolen_goods": "handling stolen goods",
    "blackmail": "blackmail",
    "child_abduction": "child abduction",
    "violent_disorder": "violent disorder",
    "threats_to_damage": "a threat to destroy or damage property",
}
REPORTERS = {
    "victim": "the victim",
    "acting_for_victim": "someone acting for the victim",
    "professional_third_party": "a professional third party",
    "other_third_party": "another third party",
    "witness": "a witness",
    "police": "the police",
    "partner_agency": "a partner agency",
    "nrm_competent_authority": "a National Referral Mechanism competent authority",
}
RELATIONSHIPS = {
    "current_partner": "the current partner of",
    "former_partner": "the former partner of",
    "family": "a family member of",
    "acquaintance": "an acquaintance of",
    "stranger": "a stranger to",
    "colleague": "a colleague of",
    "carer": "a carer of",
    "other": "known to",
}
BASES = {
    "victim_withdrew_support": "the victim withdrawing support",
    "lack_of_evidence": "a lack of evidence",
    "victim_disbelieved": "the victim not being believed",
    "victim_not_confirmed": "the victim not having confirmed it",
    "suspect_denial": "the suspect's denial",
    "delay_in_reporting": "a delay in reporting",
    "victim_intoxicated": "the victim having been drunk",
    "no_visible_injury": "there being no visible injury",
    "independent_record": "an independent record",
    "cctv": "CCTV",
    "medical": "medical evidence",
    "forensic": "forensic evidence",
    "witness": "a witness",
    "officer_observation": "what an officer saw",
    "not_a_crime_in_law": "it not being a crime in law",
    "credible_evidence_to_contrary": "credible evidence to the contrary",
    "other": "something else",
}


def _reporter(v: Mapping[str, Any]) -> str:
    who = REPORTERS.get(str(v.get("kind")), _w(v.get("kind")))
    if v.get("role"):
        who += f" (a {_w(v['role'])})"
    if v.get("identified") is True:
        who += " who gave their name and status"
    elif v.get("identified") is False:
        who += " who did not give their name (anonymous)"
    return f"was made by {who}"


def _relationships(v: Sequence[Mapping[str, Any]]) -> str:
    if not v:
        return "has no known relationship to a victim"
    return "is " + _listed(
        [f"{RELATIONSHIPS.get(str(r['kind']), _w(r['kind']))} victim {r['victim']}" for r in v]
    )


def _hostility(v: Sequence[str] | None) -> str:
    if not v:
        return "was not perceived by anyone as motivated by hostility"
    return "was perceived as motivated by hostility on grounds of " + _listed([_w(x) for x in v])


def _offenders(v: Sequence[str]) -> str:
    if not v:
        return "names no offender"
    return "names " + _listed([f"offender {o}" for o in v])


def _ethnicity(code: str) -> str:
    """The label, never the code: a trainee reads "Pakistani (Asian or Asian British)"."""
    group, _, category = ETHNICITY.get(code, code).partition(": ")
    if code == NOT_STATED:
        return "chose not to state their ethnicity"
    return f"gives their ethnicity as {f'{category} ({group})' if category else group}"


def _force(pattern: str) -> Callable[[Any], str]:
    """The force by name ("Kent Police"), never its identifier."""
    return lambda v: pattern.format(POLICE_FORCES.get(str(v), _w(v)))


def _age(v: int) -> str:
    return "is under a year old" if v == 0 else f"is {v} year{'s' if v != 1 else ''} old"


PHRASES: dict[str, dict[str, Callable[[Any], str]]] = {
    "report": {
        "received_at": _at("was received on {}"),
        "channel": _table(
            {
                "emergency_call": "came in by a 999 call",
                "non_emergency_call": "came in by a non-emergency call",
                "in_person": "was made in person",
                "online": "was made online",
                "partner_agency": "came through a partner agency",
            }
        ),
        "reporter": _reporter,
        "recording_force": _force("was received by {}, which records it"),
    },
    "victim": {
        "kind": _table({"business": "is a business", "person": "is a person"}),
        "age": _age,
        "sex": _fmt("is {}"),
        "ethnicity": _ethnicity,
        "disability": _yes_no("has a disability", "has no disability"),
        "vulnerable": _yes_no("is vulnerable (an adult at risk, or a child)", "is not vulnerable"),
        "has_capacity": _yes_no("has mental capacity", "lacks mental capacity"),
        "traceable": _yes_no("can be traced and contacted", "cannot be traced or contacted"),
        "confirmed": _yes_no("has confirmed it happened", "has not confirmed it happened"),
        "confirmed_at": _at("confirmed it on {}"),
        "supports_action": _yes_no("supports police action", "does not support police action"),
        "objects_to_referral": _yes_no(
            "objects to a referral to victim support services",
            "does not object to a referral to victim support services",
        ),
        "is_police_officer": _yes_no(
            "is a police officer acting in the execution of duty", "is not a police officer on duty"
        ),
    },
    "offender": {
        "age": _age,
        "relationships": _relationships,
    },
    "allegation": {
        "offence": lambda v: "is an allegation of " + OFFENCES.get(str(v), _w(v)),
        "victim": lambda v: f"names victim {v}" if v else "names no victim",
        "offenders": _offenders,
        "incident": _fmt("belongs to incident {}"),
        "occasion": _fmt("happened on occasion {} of it"),
        "occurred_on": _at("happened on {}"),
        "occurred_in_force": _force("happened in the area of {}"),
        "outside_england_and_wales": _yes_no(
            "happened outside England and Wales", "happened in England and Wales"
        ),
        "in_scotland_or_northern_ireland": _yes_no(
            "happened in Scotland or Northern Ireland",
            "did not happen in Scotland or Northern Ireland",
        ),
        "investigated_by_force": _yes_no(
            "is being investigated by this force", "is not being investigated by this force"
        ),
        "victim_in_england_and_wales": _yes_no(
            "happened while the victim was in England and Wales",
            "happened while the victim was outside England and Wales",
        ),
        "reported_at": _at("reached the police on {}"),
        "disclosed_later": _yes_no(
            "was disclosed later, during the investigation", "was disclosed in the first report"
        ),
        "force_on_person": _yes_no(
            "involved force on the victim", "involved no force on the victim"
        ),
        "threat_of_force": _yes_no(
            "put the victim in fear of immediate force",
            "did not put the victim in fear of immediate force",
        ),
        "injury": _table(
            {
                "none": "left no injury, at most a passing moment of pain",
                "minor": "left a minor injury, such as a graze, bruise or reddening",
                "abh": "caused actual bodily harm",
                "serious": "caused really serious harm",
            }
        ),
        "victim_died": _yes_no("ended in the victim's death", "did not end in the victim's death"),
        "attempt_to_kill": _yes_no(
            "was an attempt to kill the victim", "was not an attempt to kill the victim"
        ),
        "agreement_to_kill": _yes_no(
            "involved two or more people agreeing to kill someone", "involved no agreement to kill"
        ),
        "threat_to_kill": _yes_no("included a threat to kill", "included no threat to kill"),
        "threat_meant_to_be_feared": _yes_no(
            "included a threat the offender meant the victim to fear would be carried out",
            "included no threat the offender meant the victim to fear would be carried out",
        ),
        "penetration": _yes_no(
            "involved penetration of the victim's vagina, anus or mouth", "involved no penetration"
        ),
        "attempted_penetration": _yes_no(
            "involved an attempt to penetrate the victim",
            "involved no attempt to penetrate the victim",
        ),
        "sexual_touching": _yes_no(
            "involved sexual touching of the victim", "involved no sexual touching"
        ),
        "caused_sexual_activity": _yes_no(
            "made the victim take part in sexual activity",
            "did not make the victim take part in sexual activity",
        ),
        "consent": _table(
            {
                "given": "was with the victim's free agreement",
                "not_given": "was without the victim's agreement",
                "obtained_by_pressure": "was agreed to by the victim only under pressure",
                "withdrawn": "went on after the victim withdrew their agreement",
                "unable_to_consent": "was with a victim unable to consent",
            }
        ),
        "exposure_or_observation": _yes_no(
            "involved exposure, or watching or recording someone doing a private act",
            "involved no exposure and no watching or recording of a private act",
        ),
        "controlled_for_gain": _yes_no(
            "involved controlling someone's prostitution for gain",
            "involved no control of prostitution for gain",
        ),
        "premises_used_for_prostitution": _yes_no(
            "involved premises kept as a brothel", "involved no premises kept as a brothel"
        ),
        "course_of_conduct": _yes_no(
            "happened on two or more occasions (a course of conduct)",
            "happened on one occasion only",
        ),
        "stalking_behaviour": _yes_no(
            "included following, watching, monitoring, loitering or repeated unwanted contact",
            "included no following, watching, monitoring or loitering",
        ),
        "alarm_or_distress": _yes_no(
            "caused, or was meant to cause, alarm or distress",
            "did not cause, and was not meant to cause, alarm or distress",
        ),
        "fear_of_violence": _yes_no(
            "put the victim in fear of violence", "did not put the victim in fear of violence"
        ),
        "harassment_only": _yes_no(
            "is, the police are satisfied, harassment only", "is not harassment only"
        ),
        "communication_sent": _yes_no(
            "involved a message or other communication sent to the victim",
            "involved no communication sent to the victim",
        ),
        "communication_offensive": _yes_no(
            "involved a threatening, indecent, grossly offensive or false message sent to cause "
            "distress or anxiety",
            "involved no such offensive message",
        ),
        "controlling_behaviour_repeated": _yes_no(
            "involved repeated or continuous controlling or coercive behaviour",
            "involved no repeated controlling or coercive behaviour",
        ),
        "serious_effect": _yes_no(
            "had a serious effect on the victim (fear of violence on two or more occasions, or "
            "serious alarm or distress affecting daily life)",
            "had no such serious effect on the victim",
        ),
        "threatening_behaviour": _yes_no(
            "involved threatening, abusive or insulting words or behaviour",
            "involved no threatening, abusive or insulting words or behaviour",
        ),
        "property_taken": _yes_no(
            "involved someone else's property being taken", "involved no property being taken"
        ),
        "dishonest": _yes_no(
            "was dishonest", "was not dishonest (a mistake, or a belief in a right to it)"
        ),
        "entered_as_trespasser": _yes_no(
            "involved going into a building without permission",
            "involved no entry into a building without permission",
        ),
        "entered_to_offend": _yes_no(
            "involved going in to steal, do damage or hurt someone",
            "involved no entry to steal, do damage or hurt someone",
        ),
        "property_damaged": _yes_no(
            "involved property destroyed or damaged", "involved no damage to property"
        ),
        "damage_deliberate_or_reckless": _yes_no(
            "involved damage done deliberately or recklessly", "involved damage done by accident"
        ),
        "bladed_article_in_public": _yes_no(
            "involved a bladed or pointed article carried in public",
            "involved no bladed article carried in public",
        ),
        "child_ill_treated": _yes_no(
            "involved a child assaulted, ill-treated, neglected or abandoned by someone "
            "responsible for them",
            "involved no ill-treatment of a child",
        ),
        "taken_or_detained": _yes_no(
            "involved the victim being taken away or held against their will",
            "involved no one being taken away or held",
        ),
        "body_concealed": _yes_no(
            "involved a newborn child's body being secretly disposed of",
            "involved no secret disposal of a newborn child's body",
        ),
        "held_or_trafficked": _yes_no(
            "involved the victim being held in slavery, servitude or forced labour, or moved to be "
            "exploited",
            "involved no slavery, servitude, forced labour or trafficking",
        ),
        "intent_serious_harm": _yes_no(
            "was done with intent to cause really serious harm",
            "was done with no intent to cause really serious harm",
        ),
        "aggravating_feature": _yes_no(
            "involved a weapon, biting, kicking on the ground, strangulation or similar",
            "involved no weapon, biting, kicking on the ground or strangulation",
        ),
        "racially_or_religiously_aggravated": _yes_no(
            "was racially or religiously aggravated", "was not racially or religiously aggravated"
        ),
        "hostility_perceived": _hostility,
        "property_owner": _table(
            {"personal": "concerned personal property", "business": "concerned business property"}
        ),
        "business_property_value": _fmt("concerned business property worth £{}"),
        "personal_property_value": _fmt("concerned personal property worth £{}"),
        "item_normally_personal": _yes_no(
            "concerned a business item normally seen as personal (a phone or laptop)",
            "concerned a business item not normally seen as personal",
        ),
        "theft_type": _table(
            {
                "from_person": "was a theft from the person",
                "pedal_cycle": "was a theft of a pedal cycle",
                "from_vehicle": "was a theft from a vehicle",
                "of_vehicle": "was a theft of a vehicle",
                "shoplifting": "was shoplifting",
                "in_dwelling": "was a theft in a dwelling",
                "by_employee": "was a theft by an employee from their employer",
                "of_mail": "was a theft of mail being delivered",
                "from_automatic_machine": "was a theft from an automatic machine or meter",
                "other": "was another kind of theft",
            }
        ),
        "damage_target": _table(
            {
                "dwelling": "damaged a dwelling",
                "other_building": "damaged a building other than a dwelling",
                "vehicle": "damaged a vehicle",
                "other": "damaged other property",
            }
        ),
        "attempted": _yes_no("was an attempt", "was carried out, not only attempted"),
        "armed": _yes_no(
            "was by an offender armed with a weapon, firearm or explosive",
            "was by an offender who was not armed",
        ),
        "intended_target": _yes_no(
            "targeted this victim's property", "did not target this victim's property"
        ),
        "diminished_responsibility": _yes_no(
            "is manslaughter on the grounds of diminished responsibility",
            "is not on the grounds of diminished responsibility",
        ),
        "resolved_by_warning": _yes_no(
            "was resolved by a warning, with no further action", "was not resolved by a warning"
        ),
        "item_carried_by_victim": _yes_no(
            "concerned an item worn or carried by the victim",
            "concerned an item not worn or carried by the victim",
        ),
        "premises": _table(
            {
                "dwelling": "happened at a home",
                "dwelling_outbuilding_business": "happened at a business in a home's outbuilding",
                "non_dwelling": "happened at premises that are not a home",
            }
        ),
        "life_endangered": _yes_no("endangered life", "did not endanger life"),
        "online": _yes_no("was committed wholly or partly online", "was not committed online"),
        "public_order_section": _table(
            {
                "s4": "falls under section 4 of the Public Order Act 1986",
                "s4A": "falls under section 4A of the Public Order Act 1986",
                "s5": "falls under section 5 of the Public Order Act 1986",
            }
        ),
        "nrm_referral": _yes_no(
            "came as a National Referral Mechanism referral",
            "did not come as a National Referral Mechanism referral",
        ),
        "recorded_at": _at("was recorded by the force on {}"),
        "made_off_without_paying": _yes_no(
            "involved leaving without paying on the spot as required or expected",
            "involved no leaving without paying as required",
        ),
        "threat_to_damage_property": _yes_no(
            "involved a threat to destroy or damage property",
            "involved no threat to destroy or damage property",
        ),
        "violence_by_three_or_more": _yes_no(
            "involved three or more people together using or threatening unlawful violence",
            "did not involve three or more people together using or threatening violence",
        ),
        "conduct_would_cause_fear": _yes_no(
            "was conduct that would make a person of reasonable firmness fear for their safety",
            "was not conduct that would make a person of reasonable firmness fear for their safety",
        ),
        "child_removed_from_lawful_control": _yes_no(
            "involved a child being taken or kept away from the person lawfully in charge of them",
            "involved no child taken or kept from the person lawfully in charge of them",
        ),
        "demand_with_menaces": _yes_no(
            "involved a demand backed by menaces", "involved no demand backed by menaces"
        ),
        "demand_for_gain_or_loss": _yes_no(
            "was a demand for money or other property, or to cause such a loss",
            "was not a demand for money or property, nor to cause such a loss",
        ),
        "handled_stolen_goods": _yes_no(
            "involved receiving, keeping, moving or selling goods known or believed stolen",
            "involved no handling of goods known or believed stolen",
        ),
        "controlled_drug_possessed": _yes_no(
            "involved a controlled drug in the person's possession",
            "involved no controlled drug in the person's possession",
        ),
        "drug_supplied_or_produced": _yes_no(
            "involved producing, supplying, offering, importing or exporting a controlled drug, "
            "or having one to supply",
            "involved no production, supply, import or export of a controlled drug",
        ),
        "drug_is_cannabis": _yes_no("was about cannabis", "was about a drug other than cannabis"),
        "offensive_weapon_in_public": _yes_no(
            "involved an offensive weapon carried in public",
            "involved no offensive weapon carried in public",
        ),
        "sexual_offence_intended": _yes_no(
            (
                "involved a substance administered, an offence committed or a trespass, intending"
                " a sexual offence"
            ),
            "involved nothing done with intent to commit a sexual offence",
        ),
        "firearm_dealt_or_supplied_unlawfully": _yes_no(
            "involved trading in, selling, repairing or supplying firearms unlawfully",
            "involved no unlawful trading in or supply of firearms",
        ),
        "vehicle_taking_aggravated": _yes_no(
            (
                "involved a vehicle taken without consent and then damaged, or driven so as to "
                "cause an injury or damage"
            ),
            "involved no taking aggravated by damage, an accident or confirmed dangerous driving",
        ),
        "child_groomed": _yes_no(
            (
                "involved an adult meeting or communicating sexually with a child under 16 after "
                "grooming"
            ),
            "involved no grooming or sexual communication with a child",
        ),
        "sexual_activity_in_position_of_trust": _yes_no(
            "involved sexual activity with a child by a person in a position of trust towards them",
            "involved no sexual activity by a person in a position of trust",
        ),
        "child_sexually_exploited": _yes_no(
            (
                "involved paying for, causing, controlling or arranging the sexual exploitation "
                "of a child"
            ),
            "involved no sexual exploitation of a child",
        ),
        "mental_disorder_sexual_activity": _yes_no(
            (
                "involved sexual activity with a person whose mental disorder impeded their "
                "choice, or procured from them"
            ),
            "involved no sexual activity with a person with a mental disorder",
        ),
        "familial_sexual_activity": _yes_no(
            (
                "involved sexual activity with a child family member or penetrative sex with an "
                "adult relative"
            ),
            "involved no sexual activity with a family member or relative",
        ),
        "firearm_possessed_without_authority": _yes_no(
            (
                "involved a firearm, shotgun, prohibited weapon or ammunition held without the "
                "certificate or authority required"
            ),
            "involved no firearm held without the certificate or authority required",
        ),
        "firearm_with_intent": _yes_no(
            (
                "involved a firearm had with intent to endanger life, cause fear of violence, "
                "offend or resist arrest"
            ),
            "involved no firearm had with such an intent",
        ),
        "harm_caused_or_allowed_in_household": _yes_no(
            (
                "involved a child or vulnerable adult killed or seriously harmed in their "
                "household, caused or allowed by a member of it"
            ),
            (
                "involved no death or serious harm caused or allowed by a member of the victim's "
                "household"
            ),
        ),
        "death_by_gross_breach_by_organisation": _yes_no(
            "involved a death caused by a gross breach of an organisation's duty of care",
            "involved no death caused by a gross breach of an organisation's duty of care",
        ),
        "infanticide_circumstances": _yes_no(
            (
                "was a death of a child under one caused by the mother while the balance of her "
                "mind was disturbed by the birth"
            ),
            "was not a death caused by a mother whose mind was disturbed by the birth",
        ),
        "vehicle_interfered_with_intent": _yes_no(
            (
                "involved interference with a vehicle intending that it, or something in it, be "
                "stolen or taken"
            ),
            (
                "involved no interference with a vehicle with intent to steal or take it or "
                "anything in it"
            ),
        ),
        "electricity_abstracted": _yes_no(
            "involved electricity used, wasted or diverted dishonestly and without authority",
            "involved no electricity used, wasted or diverted dishonestly",
        ),
    },
    "evidence": {
        "allegation": _fmt("is about allegation {}"),
        "kind": _table(
            {
                "credible_evidence_to_contrary": "is put forward as credible evidence "
                "that it did not happen as reported",
                "additional_verifiable_information": "is put forward as additional "
                "verifiable information",
            }
        ),
        "basis": lambda v: "rests on " + BASES.get(str(v), _w(v)),
        "shows": _table(
            {
                "did_not_occur": "would show it did not happen",
                "not_a_crime": "would show what happened is not a crime",
                "offender_identity_only": "would show only who the offender is, or is not",
                "lawful_excuse": "would show a lawful excuse",
                "self_defence": "would show the offender acted in self-defence",
            }
        ),
        "verified": _yes_no("has been verified", "has not been verified"),
        "new_information": _yes_no(
            "is information the police did not already hold",
            "is information the police already held",
        ),
        "immediately_available": _yes_no("is available now", "is not available yet"),
        "obtained_at": _at("was obtained on {}"),
    },
    "proposal": {
        "allegation": _fmt("is to cancel the record of allegation {}"),
        "category": _fmt("is under cancellation category {}"),
        "proposer_role": _table(
            {
                "officer": "is proposed by an officer",
                "supervisor": "is proposed by a supervisor",
                "designated_decision_maker": "is proposed by a designated decision maker",
                "force_crime_registrar": "is proposed by the force crime registrar",
            }
        ),
        "duplicate_of": _fmt("says it duplicates {}"),
        "victim_informed": _yes_no(
            "has been explained to the victim, with reasons", "has not been explained to the victim"
        ),
    },
    "officer proposal": {
        "allegation": _fmt("is about allegation {}"),
        "outcome": _table({"crime": "proposes recording a crime", "no_crime": "proposes no crime"}),
        "basis": lambda v: "gives as the reason " + BASES.get(str(v), _w(v)),
    },
}

# The case's sections: where in the case, the noun, and the words for each.
SECTIONS = (
    ("victims", "victim"),
    ("offenders", "offender"),
    ("allegations", "allegation"),
    ("evidence", "evidence"),
    ("proposals", "proposal"),
    ("officer_proposals", "officer proposal"),
)


def _clause(kind: str, field: str, value: Any) -> str:
    words = PHRASES[kind].get(field)
    return words(value) if words else f"has {_w(field)} {_w(value)}"


def _subject(kind: str, ident: str | None) -> str:
    if kind == "report":
        return "The report" + (f" (reference {ident})" if ident else "")
    if kind == "officer proposal":
        return f"The officer's proposal {ident}"
    return f"{kind.capitalize()} {ident}"


def _sentence(subject: str, clauses: Sequence[str]) -> str:
    return f"{subject} {_listed(clauses)}."


def _entities(case: CaseFacts) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(kind, id, the facts given) for the report and every item of the case."""
    doc = case.model_dump(exclude_unset=True)
    report = dict(doc["report"])
    yield "report", str(report.pop("id", "")), report
    for section, kind in SECTIONS:
        for item in doc.get(section, ()):
            item = dict(item)
            yield kind, str(item.pop("id")), item


def _about(kind: str, facts: Mapping[str, Any]) -> list[str]:
    return [_clause(kind, k, v) for k, v in facts.items() if v is not None]


def _item_sentence(kind: str, ident: str, facts: Mapping[str, Any]) -> str:
    """One item of a case in words: an allegation opens with what it is, on whom, by whom."""
    if kind == "proposal" and {"allegation", "category"} <= set(facts):
        head = f"{_subject(kind, ident)} is to cancel the record of allegation "
        head += f"{facts['allegation']} under category {facts['category']}"
        clauses = _about(
            kind, {k: v for k, v in facts.items() if k not in ("allegation", "category")}
        )
        return head + "." + (" " + _sentence("It", clauses) if clauses else "")
    if kind != "allegation":
        clauses = _about(kind, facts)
        return _sentence(_subject(kind, ident), clauses or ["is part of the case"])
    head = _subject(kind, ident)
    if "offence" in facts:
        head += " is an allegation of " + OFFENCES.get(str(facts["offence"]), _w(facts["offence"]))
    if facts.get("victim"):
        head += f" against victim {facts['victim']}"
    if facts.get("offenders"):
        head += " by " + _listed([f"offender {o}" for o in facts["offenders"]])
    clauses = _about(kind, {k: v for k, v in facts.items() if k not in _HEAD})
    return head + "." + (" " + _sentence("It", clauses) if clauses else "")


_HEAD = ("offence", "victim", "offenders")


def case_sentences(case: CaseFacts) -> list[str]:
    """The whole case in sentences: the report, then each person, allegation, piece of
    evidence and proposal. Facts not known are left out."""
    return [_item_sentence(kind, ident, facts) for kind, ident, facts in _entities(case)]


ChangeKind = Literal["new", "corrected", "unknown", "added", "removed"]


@dataclass(frozen=True)
class FactChange:
    """One thing a stage tells us: a new fact, a corrected one (with what it was), a fact
    unknown again, or a person, allegation, piece of evidence or proposal added or removed."""

    kind: ChangeKind
    text: str
    field: str = ""
    subject: str = ""


LABELS: dict[ChangeKind, str] = {
    "new": "New",
    "corrected": "Corrected",
    "unknown": "No longer known",
    "added": "Added",
    "removed": "Removed",
}


def fact_changes(before: CaseFacts, after: CaseFacts) -> list[FactChange]:
    """What the case of a stage adds to, corrects in or takes from the case before it."""
    old = {(kind, ident): facts for kind, ident, facts in _entities(before)}
    out: list[FactChange] = []
    for kind, ident, facts in _entities(after):
        subject = _subject(kind, ident if kind != "report" else None)
        was = old.pop((kind, ident), None)
        if was is None:
            out.append(FactChange("added", _item_sentence(kind, ident, facts), "", subject))
            continue
        for field in dict.fromkeys([*was, *facts]):
            new, prior = facts.get(field), was.get(field)
            if new == prior:
                continue
            if prior is None:
                text = _sentence(subject, [_clause(kind, field, new)])
                out.append(FactChange("new", text, field, subject))
            elif new is None:
                text = f"{subject}: whether it {_clause(kind, field, prior)} is not known now."
                out.append(FactChange("unknown", text, field, subject))
            else:
                text = _sentence(subject, [_clause(kind, field, new)])
                text = text[:-1] + f" — before, it {_clause(kind, field, prior)}."
                out.append(FactChange("corrected", text, field, subject))
    for kind, ident in old:
        subject = _subject(kind, ident)
        out.append(FactChange("removed", f"{subject} is no longer part of the case.", "", subject))
    return out
