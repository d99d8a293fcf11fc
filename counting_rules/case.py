"""The facts of one reported incident: the case that goes into a decision.

Every optional fact may be **unknown** (``null`` or omitted), which is different from false:
a rule that needs an unknown fact neither fires nor fails, and the decision lists the fact
under *still needed* (NCRS; HOCR General Rules, Section A). Input is validated strictly:
no type coercion, no unknown fields, and timestamps must carry a timezone.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from counting_rules.vocabulary import ETHNICITY, POLICE_FORCES, document_schema, meanings

__all__ = [
    "Allegation",
    "AsRecorded",
    "CaseFacts",
    "Evidence",
    "Offender",
    "OfficerProposal",
    "Proposal",
    "RecordedCancellation",
    "RecordedCrime",
    "RecordedIncident",
    "RecordedN100",
    "RecordedReferral",
    "Relationship",
    "Report",
    "Reporter",
    "Victim",
]

Ident = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$")]

OffenceKind = Literal[
    "murder",
    "manslaughter",
    "attempted_murder",
    "conspiracy_to_murder",
    "threats_to_kill",
    "assault",
    "endangering_life",
    "rape",
    "attempted_rape",
    "sexual_assault",
    "sexual_activity_with_child",
    "causing_sexual_activity_without_consent",
    "exposure_or_voyeurism",
    "exploitation_of_prostitution",
    "keeping_a_brothel",
    "stalking",
    "harassment",
    "malicious_communications",
    "controlling_or_coercive_behaviour",
    "public_order",
    "robbery",
    "theft",
    "burglary",
    "criminal_damage",
    "arson",
    "possession_of_bladed_article",
    "child_cruelty_or_neglect",
    "kidnapping",
    "concealing_birth",
    "modern_slavery",
    "making_off_without_payment",
    "threats_to_damage",
    "violent_disorder",
    "child_abduction",
    "blackmail",
    "handling_stolen_goods",
    "drug_possession",
    "drug_trafficking",
    "possession_of_offensive_weapon",
    "abstracting_electricity",
    "interference_with_motor_vehicle",
    "infanticide",
    "corporate_manslaughter",
    "causing_or_allowing_death_or_serious_harm",
    "possession_of_firearm_with_intent",
    "possession_of_firearm",
    "familial_sexual_offence",
    "sexual_offence_against_person_with_mental_disorder",
    "child_sexual_exploitation",
    "abuse_of_position_of_trust",
    "sexual_grooming",
    "aggravated_vehicle_taking",
    "firearms_dealing_or_supply",
    "offence_with_intent_to_commit_sexual_offence",
]

# Offence kinds with no victim in law (state-based): every Home Office code the rules give
# them is ``victim_based: false`` in the offence catalogue (checked by a health test). Any
# other offence has a victim, so an allegation of it without one has a victim still to name.
STATE_BASED_OFFENCES = frozenset(
    {
        "possession_of_bladed_article",
        "concealing_birth",
        "violent_disorder",
        "handling_stolen_goods",
        "drug_possession",
        "drug_trafficking",
        "possession_of_offensive_weapon",
        "possession_of_firearm_with_intent",
        "possession_of_firearm",
        "firearms_dealing_or_supply",
    }
)

# none: a touch or a passing moment of pain, no mark; minor: a graze, scratch, bruise, reddening,
# superficial cut, black eye or lasting soreness; abh: actual bodily harm beyond that; serious:
# really serious harm. Any injury, minor included, is assault with injury (R1 p.43).
Injury = Literal["none", "minor", "abh", "serious"]
TheftType = Literal[
    "from_person",
    "pedal_cycle",
    "from_vehicle",
    "of_vehicle",
    "shoplifting",
    "in_dwelling",
    "by_employee",
    "of_mail",
    "from_automatic_machine",
    "other",
]
DamageTarget = Literal["dwelling", "other_building", "vehicle", "other"]
Premises = Literal["dwelling", "dwelling_outbuilding_business", "non_dwelling"]
PropertyOwner = Literal["personal", "business"]
PublicOrderSection = Literal["s4", "s4A", "s5"]
HateStrand = Literal["race", "religion", "sexual_orientation", "disability", "transgender"]
RelationshipKind = Literal[
    "current_partner",
    "former_partner",
    "family",
    "acquaintance",
    "stranger",
    "colleague",
    "carer",
    "other",
]
ReporterKind = Literal[
    "victim",
    "acting_for_victim",
    "professional_third_party",
    "other_third_party",
    "witness",
    "police",
    "partner_agency",
    "nrm_competent_authority",
]
# Consent in law (Sexual Offences Act 2003, s74: agreement by choice, with the freedom and
# capacity to choose): agreement under pressure is not consent, nor is agreement withdrawn.
Consent = Literal["given", "not_given", "obtained_by_pressure", "withdrawn", "unable_to_consent"]
ProfessionalRole = Literal[
    "doctor",
    "nurse",
    "social_worker",
    "teacher",
    "health_visitor",
    "carer",
    "other_professional",
]
Channel = Literal["emergency_call", "non_emergency_call", "in_person", "online", "partner_agency"]
CancellationCategory = Literal["C1", "C2", "C3", "C4", "C5"]
DeciderRole = Literal["officer", "supervisor", "designated_decision_maker", "force_crime_registrar"]
EvidenceKind = Literal["credible_evidence_to_contrary", "additional_verifiable_information"]
EvidenceBasis = Literal[
    "victim_withdrew_support",
    "lack_of_evidence",
    "victim_disbelieved",
    "suspect_denial",
    "delay_in_reporting",
    "victim_intoxicated",
    "no_visible_injury",
    "independent_record",
    "cctv",
    "medical",
    "forensic",
    "witness",
    "officer_observation",
    "other",
]
# What the information would show, if true: that the event did not happen, that what
# happened is not a crime in law, only who the offender is (or is not), a lawful excuse, or
# that the offender acted in self-defence (Section C, C5).
EvidenceShows = Literal[
    "did_not_occur", "not_a_crime", "offender_identity_only", "lawful_excuse", "self_defence"
]
ProposedOutcome = Literal["crime", "no_crime"]
# The basis an officer gives for a proposed outcome: grounds the rules accept (the account
# is not a crime in law; credible evidence to the contrary) and grounds they never accept.
ProposalBasis = Literal[
    "not_a_crime_in_law",
    "credible_evidence_to_contrary",
    "victim_not_confirmed",
    "victim_disbelieved",
    "victim_withdrew_support",
    "suspect_denial",
    "lack_of_evidence",
    "delay_in_reporting",
    "victim_intoxicated",
    "no_visible_injury",
    "other",
]
VictimKind = Literal["person", "business"]
Sex = Literal["female", "male"]
CaseFormat = Literal[2]
# The police self-defined ethnicity codes, read from their one table (``vocabulary.ETHNICITY``):
# for a type checker any text; at run time the closed vocabulary pydantic validates against.
if TYPE_CHECKING:
    EthnicityCode = str
else:
    EthnicityCode = Literal[tuple(ETHNICITY)]
# The forces of England and Wales, by data.police.uk id (``vocabulary.POLICE_FORCES``): closed,
# because a misspelt force would read as another force's area and decide a transfer.
if TYPE_CHECKING:
    ForceId = str
else:
    ForceId = Literal[tuple(POLICE_FORCES)]


# What each member of each closed vocabulary means: the JSON Schemas carry it beside the
# vocabulary (``x-enumDescriptions``), and a test fails on any member without a meaning.
meanings(
    OffenceKind,
    {
        "murder": "Murder: unlawful killing with intent to kill or to cause really serious harm.",
        "manslaughter": "Manslaughter: unlawful killing without the intent for murder.",
        "attempted_murder": "Attempted murder: an attempt to kill someone.",
        "conspiracy_to_murder": "Conspiracy to murder: an agreement to kill someone.",
        "threats_to_kill": "Threats to kill (Offences Against the Person Act 1861, s16).",
        "assault": "Assault or battery, with or without injury.",
        "endangering_life": "An act endangering life (wounding with intent, poisoning, ...).",
        "rape": "Rape (Sexual Offences Act 2003, s1; s5 for a child under 13).",
        "attempted_rape": "Attempted rape.",
        "sexual_assault": "Sexual assault: sexual touching without consent.",
        "sexual_activity_with_child": "Sexual activity with a child.",
        "causing_sexual_activity_without_consent": "Causing a person to engage in sexual "
        "activity without consent.",
        "exposure_or_voyeurism": "Exposure or voyeurism.",
        "exploitation_of_prostitution": "Causing, inciting or controlling prostitution for gain.",
        "keeping_a_brothel": "Keeping, managing or assisting in the management of a brothel.",
        "stalking": "Stalking (Protection from Harassment Act 1997, s2A or s4A).",
        "harassment": "Harassment (Protection from Harassment Act 1997, s2 or s4).",
        "malicious_communications": "Sending a threatening, indecent, grossly offensive or "
        "false communication (Malicious Communications Act 1988; Communications Act 2003).",
        "controlling_or_coercive_behaviour": "Controlling or coercive behaviour in an intimate "
        "or family relationship (Serious Crime Act 2015, s76).",
        "public_order": "Fear or provocation of violence, or harassment, alarm or distress "
        "(Public Order Act 1986, s4, s4A or s5).",
        "robbery": "Robbery: theft with force or the threat of force.",
        "theft": "Theft (of any kind; theft_type says which).",
        "burglary": "Burglary: entry as a trespasser to steal, damage or hurt someone.",
        "criminal_damage": "Criminal damage (not by fire).",
        "arson": "Arson: criminal damage by fire.",
        "possession_of_bladed_article": "Having a bladed or pointed article in a public place.",
        "child_cruelty_or_neglect": "Cruelty to or neglect of a child (Children and Young "
        "Persons Act 1933, s1).",
        "kidnapping": "Kidnapping or false imprisonment.",
        "concealing_birth": "Concealing the birth of a child by secret disposal of the body.",
        "modern_slavery": "Slavery, servitude, forced labour or human trafficking (Modern "
        "Slavery Act 2015).",
        "making_off_without_payment": "Making off without payment (Theft Act 1978, s3).",
        "threats_to_damage": "Threats to destroy or damage property (Criminal Damage Act 1971, "
        "s2).",
        "violent_disorder": "Violent disorder (Public Order Act 1986, s2).",
        "child_abduction": "Child abduction (Child Abduction Act 1984).",
        "blackmail": "Blackmail: an unwarranted demand with menaces (Theft Act 1968, s21).",
        "handling_stolen_goods": "Handling stolen goods (Theft Act 1968, s22).",
        "drug_possession": "Possession of a controlled drug.",
        "drug_trafficking": "Production, supply, possession with intent to supply, import or "
        "export of a controlled drug.",
        "possession_of_offensive_weapon": "Having an offensive weapon in a public place.",
        "abstracting_electricity": "Abstracting electricity (Theft Act 1968, s13).",
        "interference_with_motor_vehicle": "Interference with a motor vehicle (Criminal "
        "Attempts Act 1981, s9).",
        "infanticide": "Infanticide (Infanticide Act 1938).",
        "corporate_manslaughter": "Corporate manslaughter (Corporate Manslaughter and "
        "Corporate Homicide Act 2007).",
        "causing_or_allowing_death_or_serious_harm": "Causing or allowing the death or serious "
        "physical harm of a child or vulnerable adult (Domestic Violence, Crime and Victims "
        "Act 2004, s5).",
        "possession_of_firearm_with_intent": "Possession of a firearm with intent (Firearms "
        "Act 1968, s16 to s18).",
        "possession_of_firearm": "Possession of a firearm, shotgun, ammunition or prohibited "
        "weapon without the certificate or authority required.",
        "familial_sexual_offence": "A familial sexual offence (Sexual Offences Act 2003, "
        "s25 to s27, s64 and s65).",
        "sexual_offence_against_person_with_mental_disorder": "A sexual offence against a "
        "person with a mental disorder (Sexual Offences Act 2003, s30 to s44).",
        "child_sexual_exploitation": "Sexual exploitation of a child (Sexual Offences Act "
        "2003, s47 to s50).",
        "abuse_of_position_of_trust": "Abuse of a position of trust: sexual activity with a "
        "child (Sexual Offences Act 2003, s16 to s19).",
        "sexual_grooming": "Sexual grooming or sexual communication with a child (Sexual "
        "Offences Act 2003, s14, s15 and s15A).",
        "aggravated_vehicle_taking": "Aggravated vehicle taking (Theft Act 1968, s12A).",
        "firearms_dealing_or_supply": "Dealing in or supplying firearms unlawfully.",
        "offence_with_intent_to_commit_sexual_offence": "Administering a substance, committing "
        "an offence or trespassing with intent to commit a sexual offence (Sexual Offences Act "
        "2003, s61 to s63).",
    },
)
meanings(
    Injury,
    {
        "none": "No injury: a touch or a passing moment of pain, no mark.",
        "minor": "A minor injury: a graze, scratch, bruise, reddening, superficial cut, black "
        "eye or lasting soreness.",
        "abh": "Actual bodily harm beyond a minor injury.",
        "serious": "Really serious harm (grievous bodily harm).",
    },
)
meanings(
    TheftType,
    {
        "from_person": "Theft from the person (snatched or taken from what the victim wore or "
        "carried).",
        "pedal_cycle": "Theft of a pedal cycle.",
        "from_vehicle": "Theft from a vehicle.",
        "of_vehicle": "Theft or unauthorised taking of a motor vehicle.",
        "shoplifting": "Theft from a shop or stall.",
        "in_dwelling": "Theft in a dwelling (not burglary).",
        "by_employee": "Theft by an employee.",
        "of_mail": "Theft of mail.",
        "from_automatic_machine": "Theft from an automatic machine or meter.",
        "other": "Any other theft.",
    },
)
meanings(
    DamageTarget,
    {
        "dwelling": "A dwelling.",
        "other_building": "A building other than a dwelling.",
        "vehicle": "A vehicle.",
        "other": "Any other property.",
    },
)
meanings(
    Premises,
    {
        "dwelling": "A dwelling (a home).",
        "dwelling_outbuilding_business": "An outbuilding of a dwelling used for a business.",
        "non_dwelling": "A building that is not a dwelling (a shop, office, shed ...).",
    },
)
meanings(
    PropertyOwner,
    {"personal": "A person's own property.", "business": "A business's property."},
)
meanings(
    PublicOrderSection,
    {
        "s4": "Section 4: fear or provocation of violence.",
        "s4A": "Section 4A: intentional harassment, alarm or distress.",
        "s5": "Section 5: harassment, alarm or distress.",
    },
)
meanings(
    HateStrand,
    {
        "race": "Hostility towards the victim's race or perceived race.",
        "religion": "Hostility towards the victim's religion or perceived religion.",
        "sexual_orientation": "Hostility towards the victim's sexual orientation.",
        "disability": "Hostility towards the victim's disability.",
        "transgender": "Hostility towards the victim's being transgender.",
    },
)
meanings(
    RelationshipKind,
    {
        "current_partner": "The victim's current intimate partner.",
        "former_partner": "The victim's former intimate partner.",
        "family": "A member of the victim's family.",
        "acquaintance": "Someone the victim knows.",
        "stranger": "A stranger to the victim.",
        "colleague": "A colleague of the victim.",
        "carer": "The victim's carer.",
        "other": "Any other relationship.",
    },
)
meanings(
    ReporterKind,
    {
        "victim": "The victim.",
        "acting_for_victim": "Someone acting for the victim (a parent, a guardian, a person "
        "the victim asked).",
        "professional_third_party": "A professional (a doctor, teacher, social worker ...).",
        "other_third_party": "Any other third party.",
        "witness": "A witness.",
        "police": "A police officer or member of police staff.",
        "partner_agency": "A partner agency.",
        "nrm_competent_authority": "A National Referral Mechanism competent authority.",
    },
)
meanings(
    Consent,
    {
        "given": "Freely agreed, with the freedom and capacity to choose.",
        "not_given": "Did not agree.",
        "obtained_by_pressure": "Agreed only under pressure (not consent).",
        "withdrawn": "Agreed, then withdrew consent.",
        "unable_to_consent": "Unable to consent (no capacity, asleep, unconscious ...).",
    },
)
meanings(
    ProfessionalRole,
    {
        "doctor": "A doctor.",
        "nurse": "A nurse.",
        "social_worker": "A social worker.",
        "teacher": "A teacher.",
        "health_visitor": "A health visitor.",
        "carer": "A professional carer.",
        "other_professional": "Any other professional.",
    },
)
meanings(
    Channel,
    {
        "emergency_call": "An emergency (999) call.",
        "non_emergency_call": "A non-emergency (101) call.",
        "in_person": "In person, at a police station or to an officer.",
        "online": "Online.",
        "partner_agency": "Through a partner agency.",
    },
)
meanings(
    CancellationCategory,
    {
        "C1": "C1: the crime happened outside the force's area (transfer).",
        "C2": "C2: additional verifiable information shows no crime was committed.",
        "C3": "C3: a duplicate of, or part of, a crime already recorded.",
        "C4": "C4: recorded in error (it was never a crime to record).",
        "C5": "C5: the offender acted in self-defence.",
    },
)
meanings(
    DeciderRole,
    {
        "officer": "An investigating officer.",
        "supervisor": "A supervisor.",
        "designated_decision_maker": "A designated decision maker.",
        "force_crime_registrar": "The Force Crime Registrar.",
    },
)
meanings(
    EvidenceKind,
    {
        "credible_evidence_to_contrary": "Credible evidence to the contrary: information "
        "before recording that the crime did not happen.",
        "additional_verifiable_information": "Additional verifiable information: information "
        "after recording that the crime did not happen.",
    },
)
meanings(
    EvidenceBasis,
    {
        "victim_withdrew_support": "The victim withdrew support.",
        "lack_of_evidence": "A lack of evidence.",
        "victim_disbelieved": "The victim is not believed.",
        "suspect_denial": "The suspect denies it.",
        "delay_in_reporting": "A delay in reporting.",
        "victim_intoxicated": "The victim was intoxicated.",
        "no_visible_injury": "No visible injury.",
        "independent_record": "An independent record (a receipt, a log, a booking).",
        "cctv": "CCTV footage.",
        "medical": "Medical evidence.",
        "forensic": "Forensic evidence.",
        "witness": "A witness.",
        "officer_observation": "What an officer saw.",
        "other": "Anything else.",
    },
)
meanings(
    EvidenceShows,
    {
        "did_not_occur": "That the event did not happen.",
        "not_a_crime": "That what happened is not a crime in law.",
        "offender_identity_only": "Only who the offender is, or is not.",
        "lawful_excuse": "A lawful excuse.",
        "self_defence": "That the offender acted in self-defence.",
    },
)
meanings(
    ProposedOutcome,
    {"crime": "Record a crime.", "no_crime": "Do not record a crime."},
)
meanings(
    ProposalBasis,
    {
        "not_a_crime_in_law": "The account is not a crime in law.",
        "credible_evidence_to_contrary": "Credible evidence to the contrary.",
        "victim_not_confirmed": "The victim has not confirmed it.",
        "victim_disbelieved": "The victim is not believed.",
        "victim_withdrew_support": "The victim withdrew support.",
        "suspect_denial": "The suspect denies it.",
        "lack_of_evidence": "A lack of evidence.",
        "delay_in_reporting": "A delay in reporting.",
        "victim_intoxicated": "The victim was intoxicated.",
        "no_visible_injury": "No visible injury.",
        "other": "Any other basis.",
    },
)
meanings(VictimKind, {"person": "A person.", "business": "A business or organisation."})
meanings(Sex, {"female": "Female.", "male": "Male."})
meanings(EthnicityCode, ETHNICITY)
meanings(ForceId, POLICE_FORCES)
meanings(CaseFormat, {"2": "Format 2: the case gives the account, never verdicts."})


class _Model(BaseModel):
    model_config = ConfigDict(
        strict=True, frozen=True, extra="forbid", json_schema_extra=document_schema
    )


class Reporter(_Model):
    """Who reported the incident, and how they know (NCRS; Crime Recording Rules 2026/27,
    "Recording without victim confirmation", pp.7-8)."""

    kind: ReporterKind = Field(description="Who made the report?", examples=["victim"])
    role: ProfessionalRole | None = Field(
        None, description="What is the professional reporter's role?", examples=["doctor"]
    )
    identified: bool | None = Field(
        None, description="Has the reporter given their name and status (not anonymous)?"
    )


class Report(_Model):
    """The report received by the police."""

    id: Ident = Field(
        description="The report's id, unique in the case: the force's reference for it.",
        examples=["R1", "INC-20240304-0117"],
    )
    received_at: AwareDatetime = Field(
        description="When the police received the report.", examples=["2024-03-04T10:00:00+00:00"]
    )
    channel: Channel | None = Field(
        None, description="How was the report received?", examples=["emergency_call"]
    )
    reporter: Reporter = Field(description="Who reported the incident, and how they know.")
    recording_force: ForceId = Field(
        description="The force that received and records the report, by its data.police.uk "
        "identifier (counting_rules.vocabulary.POLICE_FORCES: the 43 territorial forces of "
        "England and Wales and the British Transport Police).",
        examples=["west-yorkshire", "metropolitan"],
    )


class Victim(_Model):
    """A victim named in the report, and their position on it. Personal details stay in the
    decision, never in logs."""

    id: Ident = Field(
        description="The victim's id, unique among the case's victims.", examples=["V1"]
    )
    kind: VictimKind = Field(
        "person", description="Is the victim a person or a business?", examples=["person"]
    )
    age: int | None = Field(None, ge=0, le=130, description="How old is the victim?", examples=[34])
    sex: Sex | None = Field(None, description="What is the victim's sex?", examples=["female"])
    # Asked as a question when unknown: kept short; the sources are in the table's docstring.
    ethnicity: EthnicityCode | None = Field(
        None,
        description="What is the victim's self-defined ethnicity: a police 18+1 code (the 2011 "
        "Census ethnic groups, GOV.UK 'List of ethnic groups'), or NS if they chose not to say?",
        examples=["W1", "A2", "NS"],
    )
    disability: bool | None = Field(None, description="Does the victim have a disability?")
    vulnerable: bool | None = Field(
        None, description="Is the victim vulnerable (an adult at risk, or a child)?"
    )
    has_capacity: bool | None = Field(None, description="Does the victim have mental capacity?")
    traceable: bool | None = Field(None, description="Can the victim be traced and contacted?")
    confirmed: bool | None = Field(
        None, description="Has the victim (or someone acting for them) confirmed it happened?"
    )
    confirmed_at: AwareDatetime | None = Field(
        None, description="When did the victim confirm?", examples=["2024-03-04T11:30:00+00:00"]
    )
    supports_action: bool | None = Field(
        None,
        description="Does the victim support police action (an investigation or prosecution)?",
    )
    objects_to_referral: bool | None = Field(
        None, description="Does the victim object to a referral to victim support services?"
    )
    is_police_officer: bool | None = Field(
        None, description="Is the victim a police officer acting in the execution of duty?"
    )


class Relationship(_Model):
    """An offender's relationship to one victim."""

    victim: Ident = Field(description="The victim the relationship is to.", examples=["V1"])
    kind: RelationshipKind = Field(
        description="What is the offender to the victim?", examples=["current_partner"]
    )


class Offender(_Model):
    """A suspect or offender named in the report."""

    id: Ident = Field(
        description="The offender's id, unique among the case's offenders.", examples=["O1"]
    )
    age: int | None = Field(
        None, ge=0, le=130, description="How old is the offender?", examples=[27]
    )
    relationships: tuple[Relationship, ...] = Field(
        (), description="The offender's relationship to each victim, where it is known."
    )


class Allegation(_Model):
    """One thing alleged to have happened to one victim (or to no victim, if state-based).

    Its fields are the *account*: what the report says happened, point by point. Whether that
    amounts to a crime in law is for the rules (the points to prove of each offence,
    ``rulebooks/hocr/general_rules/ncrs/points_to_prove.yaml``), never for the caller."""

    id: Ident = Field(description="The allegation's id, unique in the case.", examples=["A1"])
    offence: OffenceKind = Field(
        description="What kind of offence is alleged?", examples=["assault"]
    )
    victim: Ident | None = Field(
        None, description="The victim; none for state-based offences.", examples=["V1"]
    )
    offenders: tuple[Ident, ...] = Field(
        (), description="The offenders named for this allegation, by id.", examples=[["O1"]]
    )
    incident: Ident = Field(
        "incident-1",
        description="The incident this allegation belongs to.",
        examples=["incident-1"],
    )
    occasion: Ident = Field(
        "occasion-1", description="Occasion within the incident.", examples=["occasion-1"]
    )
    occurred_on: date | None = Field(
        None, description="On what date did it happen?", examples=["2024-03-03"]
    )
    occurred_in_force: ForceId | None = Field(
        None,
        description="In which force area did it happen?",
        examples=["west-yorkshire", "greater-manchester"],
    )
    outside_england_and_wales: bool | None = Field(
        None, description="Did it happen outside England and Wales?"
    )
    # Where a crime outside England and Wales is recorded (Crime Recording Rules 2026/27, R1
    # p.15): Scotland and Northern Ireland have a rule of their own; elsewhere it is recorded
    # when the receiving force investigates it or the victim was in England and Wales.
    in_scotland_or_northern_ireland: bool | None = Field(
        None,
        description="Did it happen in Scotland or Northern Ireland?",
        examples=[False],
    )
    victim_in_england_and_wales: bool | None = Field(
        None,
        description="Was the victim in England and Wales when the offence was committed?",
        examples=[True],
    )
    investigated_by_force: bool | None = Field(
        None,
        description="Is the force the report was made to investigating the offence?",
        examples=[False],
    )
    reported_at: AwareDatetime | None = Field(
        None,
        description="When this allegation reached the police, if later than the report.",
        examples=["2024-03-10T09:00:00+00:00"],
    )
    disclosed_later: bool | None = Field(
        None, description="Was it disclosed later, during the investigation?"
    )
    # The account: points to prove, by offence (see the rulebook table named above).
    force_on_person: bool | None = Field(None, description="Was force used on the victim?")
    threat_of_force: bool | None = Field(
        None, description="Was the victim put in fear of immediate force?"
    )
    injury: Injury | None = Field(
        None, description="What injury did the victim suffer?", examples=["minor"]
    )
    victim_died: bool | None = Field(None, description="Did the victim die as a result?")
    attempt_to_kill: bool | None = Field(
        None, description="Did the offender try to kill the victim?"
    )
    agreement_to_kill: bool | None = Field(
        None, description="Did two or more people agree to kill someone?"
    )
    threat_to_kill: bool | None = Field(
        None, description="Did the offender threaten to kill the victim or someone else?"
    )
    threat_meant_to_be_feared: bool | None = Field(
        None,
        description="Did the offender mean the victim to fear the threat would be carried out?",
    )
    penetration: bool | None = Field(
        None, description="Did the offender penetrate the victim's vagina, anus or mouth?"
    )
    attempted_penetration: bool | None = Field(
        None, description="Did the offender try to penetrate the victim?"
    )
    sexual_touching: bool | None = Field(None, description="Was the victim touched sexually?")
    caused_sexual_activity: bool | None = Field(
        None, description="Was the victim made to take part in sexual activity?"
    )
    consent: Consent | None = Field(
        None,
        description="Did the victim consent: freely agreed, did not agree, agreed only under "
        "pressure, withdrew consent, or was unable to consent?",
        examples=["not_given"],
    )
    exposure_or_observation: bool | None = Field(
        None,
        description="Did the offender expose their genitals, or watch or record someone "
        "doing a private act?",
    )
    controlled_for_gain: bool | None = Field(
        None, description="Did the offender control someone's prostitution for gain?"
    )
    premises_used_for_prostitution: bool | None = Field(
        None, description="Were premises kept or managed for use as a brothel?"
    )
    course_of_conduct: bool | None = Field(
        None, description="Did it happen on two or more occasions (a course of conduct)?"
    )
    stalking_behaviour: bool | None = Field(
        None,
        description="Were there acts associated with stalking: following, watching, "
        "monitoring, loitering or repeated unwanted contact?",
    )
    alarm_or_distress: bool | None = Field(
        None, description="Did it cause, or was it meant to cause, alarm or distress?"
    )
    fear_of_violence: bool | None = Field(
        None, description="Was the victim put in fear of violence?"
    )
    harassment_only: bool | None = Field(
        None, description="Are the police satisfied the conduct is harassment only?"
    )
    communication_sent: bool | None = Field(
        None, description="Was a message, letter or other communication sent to the victim?"
    )
    communication_offensive: bool | None = Field(
        None,
        description="Was it threatening, indecent, grossly offensive or false, and sent to "
        "cause distress or anxiety?",
    )
    controlling_behaviour_repeated: bool | None = Field(
        None,
        description="Did the offender repeatedly or continuously behave in a controlling or "
        "coercive way towards the victim?",
    )
    serious_effect: bool | None = Field(
        None,
        description="Did it make the victim fear violence on two or more occasions, or cause "
        "serious alarm or distress with a substantial effect on their daily life?",
    )
    threatening_behaviour: bool | None = Field(
        None,
        description="Did the offender use threatening, abusive or insulting words or behaviour?",
    )
    property_taken: bool | None = Field(
        None, description="Was property belonging to someone else taken?"
    )
    dishonest: bool | None = Field(
        None,
        description="Was it taken dishonestly (not by mistake, nor in the belief of a right "
        "to it)?",
    )
    entered_as_trespasser: bool | None = Field(
        None,
        description="Did the offender go into a building, or part of one, without permission?",
    )
    entered_to_offend: bool | None = Field(
        None,
        description="Did they go in to steal, do damage or hurt someone, or steal or hurt "
        "someone once inside?",
    )
    property_damaged: bool | None = Field(None, description="Was property destroyed or damaged?")
    damage_deliberate_or_reckless: bool | None = Field(
        None, description="Was the damage done deliberately or recklessly (not by accident)?"
    )
    bladed_article_in_public: bool | None = Field(
        None, description="Did the person have a bladed or pointed article with them in public?"
    )
    child_ill_treated: bool | None = Field(
        None,
        description="Was the child assaulted, ill-treated, neglected or abandoned by someone "
        "responsible for them?",
    )
    taken_or_detained: bool | None = Field(
        None, description="Was the victim taken away or held against their will?"
    )
    body_concealed: bool | None = Field(
        None, description="Was a newborn child's body secretly disposed of to hide the birth?"
    )
    held_or_trafficked: bool | None = Field(
        None,
        description="Was the victim held in slavery, servitude or forced labour, or moved "
        "in order to be exploited?",
    )
    # Classification: which crime, once it is one.
    intent_serious_harm: bool | None = Field(
        None, description="Was there intent to cause really serious harm?"
    )
    aggravating_feature: bool | None = Field(
        None,
        description="Was there a weapon, biting, kicking on the ground, strangulation or similar? "
        "Kept so cases that give it still validate; no rule reads it since any injury is assault "
        "with injury (the CPS charging standard it served is not a recording rule).",
    )
    racially_or_religiously_aggravated: bool | None = Field(
        None, description="Was racial or religious hostility demonstrated or the motive?"
    )
    hostility_perceived: tuple[HateStrand, ...] | None = Field(
        None,
        description="Strands of hostility perceived by the victim or any other person.",
        examples=[["race"]],
    )
    property_owner: PropertyOwner | None = Field(
        None, description="Whose property was it?", examples=["personal"]
    )
    business_property_value: int | None = Field(
        None, ge=0, description="Value, in pounds.", examples=[250]
    )
    personal_property_value: int | None = Field(
        None, ge=0, description="Value, in pounds.", examples=[800]
    )
    item_normally_personal: bool | None = Field(
        None, description="Is the business item one normally seen as personal (phone, laptop)?"
    )
    theft_type: TheftType | None = Field(
        None, description="What kind of theft was it?", examples=["from_person"]
    )
    damage_target: DamageTarget | None = Field(
        None, description="What was damaged?", examples=["vehicle"]
    )
    attempted: bool | None = Field(None, description="Was it an attempt?")
    armed: bool | None = Field(
        None, description="Was the offender armed with a weapon, firearm or explosive?"
    )
    intended_target: bool | None = Field(
        None, description="Was this victim's property the intended target?"
    )
    diminished_responsibility: bool | None = Field(
        None, description="Is it manslaughter on the grounds of diminished responsibility?"
    )
    resolved_by_warning: bool | None = Field(
        None, description="Was it resolved by a warning, with no further action?"
    )
    item_carried_by_victim: bool | None = Field(
        None, description="Was the item worn or carried by the victim?"
    )
    premises: Premises | None = Field(
        None, description="What kind of premises?", examples=["dwelling"]
    )
    life_endangered: bool | None = Field(None, description="Was life endangered?")
    online: bool | None = Field(None, description="Was it committed wholly or partly online?")
    public_order_section: PublicOrderSection | None = Field(
        None, description="Which section of the Public Order Act 1986?", examples=["s4A"]
    )
    nrm_referral: bool | None = Field(
        None, description="Did it come as a National Referral Mechanism referral?"
    )
    recorded_at: AwareDatetime | None = Field(
        None,
        description="When the force recorded it (for audits of timeliness).",
        examples=["2024-03-04T20:15:00+00:00"],
    )
    made_off_without_paying: bool | None = Field(
        None,
        description="Did the person leave without paying, on the spot, for goods supplied or a "
        "service done, when payment there and then was required or expected?",
        examples=[True],
    )
    threat_to_damage_property: bool | None = Field(
        None,
        description="Did the offender threaten to destroy or damage property of the person "
        "threatened or of someone else (or their own property in a way likely to endanger "
        "life)?",
        examples=[True],
    )
    violence_by_three_or_more: bool | None = Field(
        None,
        description="Did three or more people, present together, use or threaten unlawful "
        "violence?",
        examples=[True],
    )
    conduct_would_cause_fear: bool | None = Field(
        None,
        description="Would their conduct, taken together, make a person of reasonable firmness "
        "at the scene fear for their personal safety (nobody need actually be there)?",
        examples=[True],
    )
    child_removed_from_lawful_control: bool | None = Field(
        None,
        description="Was the child under 16 taken or kept away from the lawful control of the "
        "person who has it, without lawful authority or reasonable excuse (or, by a parent or "
        "guardian, taken or sent out of the UK without the consent the law requires)?",
        examples=[True],
    )
    demand_with_menaces: bool | None = Field(
        None,
        description="Did the offender make a demand backed by menaces (a threat, even a veiled "
        "one, of something harmful or unpleasant to the person addressed)?",
        examples=[True],
    )
    demand_for_gain_or_loss: bool | None = Field(
        None,
        description="Was the demand made to gain money or other property, for the offender or "
        "another, or to cause such a loss to someone?",
        examples=[True],
    )
    handled_stolen_goods: bool | None = Field(
        None,
        description="Did the person, other than in the stealing, receive stolen goods or help to "
        "keep, move, dispose of or sell them (or arrange to), knowing or believing them stolen?",
        examples=[True],
    )
    controlled_drug_possessed: bool | None = Field(
        None,
        description="Did the person have a controlled drug in their possession (confirmed by a "
        "test, or believed by the police and admitted by the person)?",
        examples=[True],
    )
    drug_supplied_or_produced: bool | None = Field(
        None,
        description="Did the person produce or supply a controlled drug, offer to supply one, "
        "have one intending to supply it, or import or export one?",
        examples=[False],
    )
    drug_is_cannabis: bool | None = Field(
        None, description="Is the drug cannabis or cannabis resin?", examples=[True]
    )
    offensive_weapon_in_public: bool | None = Field(
        None,
        description="Did the person have with them in a public place an offensive weapon (made or "
        "adapted to injure, or carried to injure), other than a bladed or pointed article?",
        examples=[True],
    )

    electricity_abstracted: bool | None = Field(
        None,
        description=(
            "Did the person dishonestly use electricity without due authority, or dishonestly "
            "cause it to be wasted or diverted (a meter bypassed, a supply tapped)?"
        ),
        examples=[True],
    )
    vehicle_interfered_with_intent: bool | None = Field(
        None,
        description=(
            "Did the person interfere with a motor vehicle or trailer, or anything carried in or "
            "on it, intending that it (or part of it), or anything carried in or on it, be "
            "stolen, or that it be taken without consent?"
        ),
        examples=[True],
    )
    infanticide_circumstances: bool | None = Field(
        None,
        description=(
            "Did a woman cause the death of her child under twelve months old by a wilful act or "
            "omission, at a time when the balance of her mind was disturbed by the effect of "
            "giving birth to the child or of lactation?"
        ),
        examples=[True],
    )
    death_by_gross_breach_by_organisation: bool | None = Field(
        None,
        description=(
            "Did the way an organisation's activities were managed or organised cause a person's "
            "death, amounting to a gross breach of a relevant duty of care it owed them, with the "
            "way senior management managed or organised them a substantial element of the breach?"
        ),
        examples=[True],
    )
    harm_caused_or_allowed_in_household: bool | None = Field(
        None,
        description=(
            "Did a child or vulnerable adult die or suffer serious physical harm from an unlawful "
            "act of a member of the same household with frequent contact, who caused it, or who "
            "was or ought to have been aware of the significant risk and failed to take "
            "reasonable steps to protect them?"
        ),
        examples=[True],
    )
    firearm_with_intent: bool | None = Field(
        None,
        description=(
            "Did the person have a firearm or imitation firearm with intent to endanger life, to "
            "cause someone to fear violence, or to commit an indictable offence or resist arrest, "
            "or have one while committing or being arrested for an offence listed in Schedule 1 "
            "to the Firearms Act 1968?"
        ),
        examples=[True],
    )
    firearm_possessed_without_authority: bool | None = Field(
        None,
        description=(
            "Did the person possess, purchase or acquire a firearm, shotgun or ammunition without "
            "the certificate the law requires, or a prohibited weapon or ammunition without the "
            "authority required?"
        ),
        examples=[True],
    )
    familial_sexual_activity: bool | None = Field(
        None,
        description=(
            "Did the person engage in, or cause or incite, sexual activity with a child family "
            "member under 18, or penetrative sex with a relative aged 18 or over?"
        ),
        examples=[True],
    )
    mental_disorder_sexual_activity: bool | None = Field(
        None,
        description=(
            "Did the person engage in, cause or incite, or engage in the presence of, sexual "
            "activity with a person whose mental disorder impeded their choice, or procure it by "
            "inducement, threat or deception, or as a care worker?"
        ),
        examples=[True],
    )
    child_sexually_exploited: bool | None = Field(
        None,
        description=(
            "Did the person pay for the sexual services of a child under 18, or cause, incite, "
            "control, arrange or facilitate the sexual exploitation of a child under 18?"
        ),
        examples=[True],
    )
    sexual_activity_in_position_of_trust: bool | None = Field(
        None,
        description=(
            "Did a person aged 18 or over in a position of trust towards a child under 18 (a "
            "teacher, carer or sports coach, for example) engage in, cause or incite sexual "
            "activity with the child, engage in it in the child's presence, or cause the child to "
            "watch it?"
        ),
        examples=[True],
    )
    child_groomed: bool | None = Field(
        None,
        description=(
            "Did a person aged 18 or over, having met or communicated with a child under 16, meet "
            "or travel or arrange to meet the child intending a sexual offence, or intentionally "
            "communicate sexually with the child for sexual gratification?"
        ),
        examples=[True],
    )
    vehicle_taking_aggravated: bool | None = Field(
        None,
        description=(
            "Was a vehicle taken without the owner's consent (or driven or ridden in knowing it "
            "was) and, after it was taken, was it damaged, or did its driving cause an accident "
            "injuring a person or damaging other property (dangerous driving alone counts only "
            "once an investigation confirms it)?"
        ),
        examples=[True],
    )
    firearm_dealt_or_supplied_unlawfully: bool | None = Field(
        None,
        description=(
            "Did the person trade in firearms without being registered as a firearms dealer, "
            "sell, transfer, repair or test a firearm for someone without the certificate "
            "required, or supply one to a person prohibited from having it?"
        ),
        examples=[True],
    )
    sexual_offence_intended: bool | None = Field(
        None,
        description=(
            "Did the person, intending to commit a sexual offence, administer a substance to "
            "someone without their consent to stupefy or overpower them so as to enable sexual "
            "activity with them, or commit any other offence, or trespass on premises?"
        ),
        examples=[True],
    )


class Evidence(_Model):
    """Information bearing on an allegation (NCRS; HOCR Section C on AVI)."""

    id: Ident = Field(
        description="The item's id, unique among the case's evidence.", examples=["E1"]
    )
    allegation: Ident = Field(
        description="The allegation the information bears on.", examples=["A1"]
    )
    kind: EvidenceKind = Field(
        description="Was the information had before the crime was recorded (credible evidence to "
        "the contrary) or after (additional verifiable information)?",
        examples=["additional_verifiable_information"],
    )
    basis: EvidenceBasis | None = Field(
        None, description="What is the information based on?", examples=["cctv"]
    )
    shows: EvidenceShows | None = Field(
        None,
        description="What would the information show: that it did not happen, that it is not "
        "a crime, only who the offender is, a lawful excuse, or that the offender acted in "
        "self-defence?",
        examples=["did_not_occur"],
    )
    verified: bool | None = Field(None, description="Has the information been verified?")
    new_information: bool | None = Field(
        None, description="Is it information the police did not already hold?"
    )
    immediately_available: bool | None = Field(None, description="Is it immediately available?")
    obtained_at: AwareDatetime | None = Field(
        None,
        description="When did the police obtain the information?",
        examples=["2024-03-06T14:00:00+00:00"],
    )


class OfficerProposal(_Model):
    """An officer's or a force's proposed recording decision, with its stated basis. The
    engine rules on it (accepted, or refused with a finding naming the basis); it never
    decides the recording."""

    id: Ident = Field(
        description="The proposal's id, unique among the officer proposals.", examples=["OP1"]
    )
    allegation: Ident = Field(description="The allegation the proposal is for.", examples=["A1"])
    outcome: ProposedOutcome = Field(
        description="What does the officer propose?", examples=["no_crime"]
    )
    basis: ProposalBasis | None = Field(
        None, description="On what basis?", examples=["victim_withdrew_support"]
    )


class Proposal(_Model):
    """A proposal to cancel or transfer an existing crime record (HOCR Section C)."""

    id: Ident = Field(description="The proposal's id, unique among the proposals.", examples=["P1"])
    allegation: Ident = Field(
        description="The allegation whose crime record it would cancel or transfer.",
        examples=["A1"],
    )
    category: CancellationCategory = Field(
        description="Under which cancellation category (C1 to C5)?", examples=["C3"]
    )
    proposer_role: DeciderRole | None = Field(
        None, description="Who proposes the cancellation?", examples=["officer"]
    )
    duplicate_of: Ident | None = Field(
        None,
        description="For C3: the allegation whose record this one duplicates.",
        examples=["A2"],
    )
    victim_informed: bool | None = Field(None, description="Was the victim told, with reasons?")


# What the force actually did, for an audit (``CaseFacts.as_recorded``). These are facts
# about the force's records, never inputs to the recording decision: flattening ignores
# them, so a decision is the same with or without them (tests/properties/test_as_recorded.py).
HomeOfficeCode = Annotated[str, StringConstraints(pattern=r"^[0-9][0-9A-Za-z./-]{0,15}$")]
N100Type = Annotated[str, StringConstraints(pattern=r"^N100/[0-9]{1,2}$")]
Told = Literal["yes", "no", "unknown"]
ReferredTo = Literal["victim_support_services", "force_crime_registrar", "other_force", "other"]
FreeText = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
meanings(
    Told,
    {
        "yes": "The record shows the victim was told.",
        "no": "The record shows the victim was not told.",
        "unknown": "The record does not say.",
    },
)
meanings(
    ReferredTo,
    {
        "victim_support_services": "Victim support services.",
        "force_crime_registrar": "The Force Crime Registrar.",
        "other_force": "Another police force.",
        "other": "Anyone else.",
    },
)


class RecordedIncident(_Model):
    """The incident record the force opened for the report, and how it was closed."""

    opened_at: AwareDatetime | None = Field(
        None,
        description="When the force opened the incident record.",
        examples=["2024-03-04T10:02:00+00:00"],
    )
    closed_at: AwareDatetime | None = Field(
        None,
        description="When the force closed the incident record; null if still open.",
        examples=["2024-03-04T18:30:00+00:00"],
    )
    closing_code: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = Field(
        None,
        description="The force's own closing code for the incident, as written on it.",
        examples=["NCR-ADV"],
    )
    closing_rationale: FreeText | None = Field(
        None,
        description="The closing rationale written on the incident, word for word.",
        examples=["Words of advice given, no offences disclosed."],
    )


class RecordedCrime(_Model):
    """A crime the force recorded: for which allegation, as what, for whom and when."""

    allegation: Ident = Field(
        description="The allegation of this case the crime was recorded for.", examples=["A1"]
    )
    code: HomeOfficeCode = Field(
        description="The Home Office classification the force recorded.", examples=["8N"]
    )
    victim: Ident | None = Field(
        None,
        description="The victim the crime was recorded for; none for a state-based crime.",
        examples=["V1"],
    )
    recorded_at: AwareDatetime | None = Field(
        None,
        description="When the force recorded the crime.",
        examples=["2024-03-04T20:15:00+00:00"],
    )


class RecordedN100(_Model):
    """An N100 (a reported rape or attempted rape not recorded as a crime) the force made."""

    allegation: Ident = Field(
        description="The allegation of this case the N100 was made for.", examples=["A1"]
    )
    n100_type: N100Type | None = Field(
        None, description="The N100 classification the force used.", examples=["N100/1"]
    )
    created_at: AwareDatetime | None = Field(
        None, description="When the force made the N100.", examples=["2024-03-04T11:00:00+00:00"]
    )
    converted_at: AwareDatetime | None = Field(
        None,
        description="When the force converted the N100 to a recorded crime; null if never. "
        "The crime it became is listed under crimes.",
        examples=["2024-03-06T16:00:00+00:00"],
    )


class RecordedCancellation(_Model):
    """A recorded crime the force cancelled (HOCR Section C), who decided and whether the
    victim was told."""

    allegation: Ident = Field(
        description="The allegation whose recorded crime was cancelled; it is listed under crimes.",
        examples=["A1"],
    )
    category: CancellationCategory = Field(
        description="The cancellation category the force used (C1 to C5).", examples=["C2"]
    )
    decider: DeciderRole | None = Field(
        None,
        description="The role of whoever decided the cancellation.",
        examples=["designated_decision_maker"],
    )
    decided_at: AwareDatetime | None = Field(
        None, description="When it was decided.", examples=["2024-03-10T09:00:00+00:00"]
    )
    victim_told: Told = Field(
        "unknown",
        description="Was the victim told of the cancellation: yes, no, or unknown (the record "
        "does not say)?",
        examples=["yes"],
    )
    told_at: AwareDatetime | None = Field(
        None,
        description="When the victim was told; only when victim_told is yes.",
        examples=["2024-03-10T12:00:00+00:00"],
    )


class RecordedReferral(_Model):
    """A referral the force made: of a victim to support services, or of a decision to the
    Force Crime Registrar or another force."""

    to: ReferredTo = Field(
        description="Who the referral went to.", examples=["victim_support_services"]
    )
    victim: Ident | None = Field(
        None, description="The victim referred, for a referral about a victim.", examples=["V1"]
    )
    allegation: Ident | None = Field(
        None, description="The allegation the referral is about, if one.", examples=["A1"]
    )
    referred_at: AwareDatetime | None = Field(
        None, description="When the referral was made.", examples=["2024-03-05T09:00:00+00:00"]
    )


class AsRecorded(_Model):
    """What the force actually did with the report, as its records show: for an audit of
    the force's recording against the rules' decision, never an input to that decision."""

    incident: RecordedIncident | None = Field(
        None,
        description="The incident record, if the force opened one.",
        examples=[{"opened_at": "2024-03-04T10:02:00+00:00", "closing_code": "NCR-ADV"}],
    )
    crimes: tuple[RecordedCrime, ...] = Field(
        (),
        description="Every crime the force recorded for the report.",
        examples=[[{"allegation": "A1", "code": "8N", "victim": "V1"}]],
    )
    n100s: tuple[RecordedN100, ...] = Field(
        (),
        description="Every N100 the force made for the report.",
        examples=[[{"allegation": "A1", "n100_type": "N100/1"}]],
    )
    cancellations: tuple[RecordedCancellation, ...] = Field(
        (),
        description="Every recorded crime the force cancelled.",
        examples=[[{"allegation": "A1", "category": "C2", "victim_told": "yes"}]],
    )
    referrals: tuple[RecordedReferral, ...] = Field(
        (),
        description="Every referral the force made.",
        examples=[[{"to": "victim_support_services", "victim": "V1"}]],
    )


class CaseFacts(_Model):
    """Everything known about one reported incident."""

    format: CaseFormat = Field(
        2, description="The case format version (2: the account, not verdicts).", examples=[2]
    )
    report: Report = Field(
        description="The report: when and how the police received it, from whom, and which "
        "force records it."
    )
    victims: tuple[Victim, ...] = Field((), description="Every victim named in the report.")
    offenders: tuple[Offender, ...] = Field(
        (), description="Every suspect or offender named in the report."
    )
    allegations: tuple[Allegation, ...] = Field(
        min_length=1,
        description="Everything alleged: one allegation for each thing alleged to have happened "
        "to one victim (at least one).",
    )
    evidence: tuple[Evidence, ...] = Field(
        (),
        description="Information bearing on an allegation: credible evidence to the contrary, or "
        "additional verifiable information.",
    )
    proposals: tuple[Proposal, ...] = Field(
        (), description="Proposals to cancel or transfer a crime record."
    )
    officer_proposals: tuple[OfficerProposal, ...] = Field(
        (),
        description="Officers' or the force's proposed recording decisions, for the rules to rule "
        "on.",
    )
    as_recorded: AsRecorded | None = Field(
        None,
        description="What the force actually did (for an audit); never read by the rules.",
        examples=[{"crimes": [{"allegation": "A1", "code": "8N", "victim": "V1"}]}],
    )

    @model_validator(mode="after")
    def _check_references(self) -> CaseFacts:
        """Every id is unique and every reference points at something in the case.

        Every problem is reported, one a line, each led by its path."""
        bad: list[str] = []
        victims = _unique("victims", [v.id for v in self.victims], bad)
        offenders = _unique("offenders", [o.id for o in self.offenders], bad)
        allegations = _unique("allegations", [a.id for a in self.allegations], bad)
        _unique("evidence", [e.id for e in self.evidence], bad)
        _unique("proposals", [p.id for p in self.proposals], bad)
        _unique("officer_proposals", [p.id for p in self.officer_proposals], bad)
        for i, off in enumerate(self.offenders):
            for j, rel in enumerate(off.relationships):
                _ref(f"offenders.{i}.relationships.{j}.victim", rel.victim, victims, bad)
        for i, al in enumerate(self.allegations):
            if al.victim is not None:
                _ref(f"allegations.{i}.victim", al.victim, victims, bad)
            for j, oid in enumerate(al.offenders):
                _ref(f"allegations.{i}.offenders.{j}", oid, offenders, bad)
            if al.in_scotland_or_northern_ireland and al.outside_england_and_wales is False:
                bad.append(
                    f"allegations.{i}.in_scotland_or_northern_ireland: Scotland and Northern "
                    "Ireland are outside England and Wales, but outside_england_and_wales is "
                    "false; correct one of them"
                )
        for i, ev in enumerate(self.evidence):
            _ref(f"evidence.{i}.allegation", ev.allegation, allegations, bad)
        for i, op in enumerate(self.officer_proposals):
            _ref(f"officer_proposals.{i}.allegation", op.allegation, allegations, bad)
        for i, pr in enumerate(self.proposals):
            _ref(f"proposals.{i}.allegation", pr.allegation, allegations, bad)
            if pr.duplicate_of is not None:
                _ref(f"proposals.{i}.duplicate_of", pr.duplicate_of, allegations, bad)
                if pr.duplicate_of == pr.allegation:  # a record cannot duplicate itself
                    bad.append(
                        f"proposals.{i}.duplicate_of: a record cannot duplicate itself; "
                        "name the other record"
                    )
        if self.as_recorded is not None:
            _check_as_recorded(self.as_recorded, allegations, victims, bad)
        if bad:
            raise ValueError("\n".join(bad))
        return self


def _check_as_recorded(
    rec: AsRecorded, allegations: set[str], victims: set[str], bad: list[str]
) -> None:
    """Every id in ``as_recorded`` names an allegation or victim of the case; a cancelled or
    converted record names a crime listed under ``as_recorded.crimes``."""
    recorded = {cr.allegation for cr in rec.crimes}
    for i, cr in enumerate(rec.crimes):
        _ref(f"as_recorded.crimes.{i}.allegation", cr.allegation, allegations, bad)
        if cr.victim is not None:
            _ref(f"as_recorded.crimes.{i}.victim", cr.victim, victims, bad)
    for i, n in enumerate(rec.n100s):
        _ref(f"as_recorded.n100s.{i}.allegation", n.allegation, allegations, bad)
        if n.converted_at is not None and n.allegation not in recorded:
            bad.append(
                f"as_recorded.n100s.{i}.converted_at: the N100 was converted, but "
                f"as_recorded.crimes has no crime for {n.allegation!r}; add the crime it became"
            )
    for i, ca in enumerate(rec.cancellations):
        _ref(f"as_recorded.cancellations.{i}.allegation", ca.allegation, allegations, bad)
        if ca.allegation in allegations and ca.allegation not in recorded:
            bad.append(
                f"as_recorded.cancellations.{i}.allegation: as_recorded.crimes has no crime for "
                f"{ca.allegation!r} to cancel; add the crime that was cancelled"
            )
        if ca.told_at is not None and ca.victim_told != "yes":
            bad.append(
                f"as_recorded.cancellations.{i}.told_at: given, but victim_told is "
                f"{ca.victim_told!r}; a time the victim was told needs victim_told: yes"
            )
    for i, rf in enumerate(rec.referrals):
        if rf.victim is not None:
            _ref(f"as_recorded.referrals.{i}.victim", rf.victim, victims, bad)
        if rf.allegation is not None:
            _ref(f"as_recorded.referrals.{i}.allegation", rf.allegation, allegations, bad)


def _unique(section: str, ids: list[str], bad: list[str]) -> set[str]:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            bad.append(f"{section}.{i}.id: duplicate id {ident!r}; ids must be unique")
        seen.add(ident)
    return seen


def _ref(path: str, ident: str, known: set[str], bad: list[str]) -> None:
    if ident not in known:
        choices = ", ".join(sorted(known)[:20]) or "none defined"
        bad.append(f"{path}: {ident!r} is not defined (known: {choices})")
