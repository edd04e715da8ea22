"""Who did an event to whom, and the event type that follows from it.

What belongs here: perpetrator and target from the parse (attribution > modifier > agent >
subject), ACLED typing that depends on the sides ("soldiers killed by militants" is a battle), and
naming the one armed group an article blames. What does not: finding event words
(``event_mentions``) or deciding which mentions are one event (``document_events``).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from pipeline.extraction.actors import NON_STATE_ARMED_TYPES, load_registry
from pipeline.extraction.event_mentions import SentenceFacts, Trigger, phrase_head
from pipeline.extraction.nlp import doc_text
from pipeline.extraction.records import (
    ActorMention,
    IncidentCandidate,
)
from pipeline.schemas import VIOLENT_EVENT_TYPES

ARMED_TYPES = {"state_forces", "rebel_group", "political_militia", "identity_militia", "external_state"}
NON_STATE_ARMED = NON_STATE_ARMED_TYPES
STATE_ARMED = {"state_forces", "external_state"}
AIR_STRIKE = "Air/drone strike"
# Killing, attacks and clashes told with a protest (ranks up to a clash) make a riot; a massacre
# (55) or a bombing told beside a protest does not.
CROWD_VIOLENCE_RANK = 50
RIOT_RANK = 52  # a riot outranks the street clashes it is made of, not a massacre
CLAIM = re.compile(r"\b(claimed responsibility|claimed the (?:attack|bombing|blast)|took responsibility|"
                    r"accepted responsibility|mastermind|masterminded|carried out by|blamed (?:it )?on|attributed to|"
                    r"was behind|were behind)\b", re.I)


_ATTRIBUTION_AFTER = re.compile(r"^\s*(?:'s\s+|’s\s+)?(?:mastermind|masterminds|commander|operatives?|militants?|fighters?|"
                                r"gunmen|bombers?|suicide bombers?|cell)\b", re.I)
_ATTRIBUTION_BEFORE = re.compile(r"\b(?:carried out by|claimed by|blamed (?:[\w'’-]+\s+){0,3}?on|"
                                 r"attributed (?:[\w'’-]+\s+){0,3}?to|by)\s+"
                                 r"(?:(?:members|terrorists|fighters|militants|guerrillas|gunmen|rebels|units|troops|"
                                 r"soldiers|men|commandos?|cells?|squads?)\s+of\s+)?(?:the\s+)?$", re.I)
# "Police attributed the attack to ...", "the government condemned the bombing": the subject of these
# verbs speaks of the event, it did not do it. Not "confirm": a force confirms its own operations
# ("ISAF confirmed the capture of a Taliban leader"). Stems: the parse has no lemmatiser.
_NOT_THE_AGENT = re.compile(
    r"(?:attribut|blam|condemn|den(?:y|ie)|investigat|report|denounc|reject|repudiat|witness|surviv|"
    r"mourn|protest|describ|recall|mention|regret|lament|deplor|critici|accus)\w*$")
_SAYING = re.compile(r"(?:said|says?|saying|report\w*|stat(?:ed|es|e|ing)|told|tells?|add(?:ed|s)?|confirm\w*|"
                     r"announc\w*|indicat\w*|explain\w*|not(?:ed|es))$")
_HIT = ARMED_TYPES | {"civilians"}
_ROLE_PRIORITY = {"attributed": 0, "modifier": 1, "agent": 2, "subject": 3, "claim": 4, "context": 5}


def _verb_right_after(doc: Doc, phrase: Span, trigger_tokens: set[int]) -> bool:
    """The phrase (and a noun or two finishing it: "force patrol") stands right before a finite
    trigger verb that has no subject of its own."""
    i = phrase.end
    while i < len(doc) and i - phrase.end < 2 and doc[i].tag_ in ("NN", "NNS"):
        i += 1
    nxt = doc[i] if i < len(doc) else None
    return nxt is not None and nxt.i in trigger_tokens and nxt.tag_ in ("VBD", "VBZ", "VBP") \
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in nxt.children)


def _sought_or_caught(role_noun: Token, trigger_tokens: set[int]) -> bool:
    """'detained a Taliban commander', 'in search of a Haqqani leader', 'one of them the targeted
    Taliban commander': the group's man is the object of the operation, not its author. 'captured
    an ISIS-K mastermind of the previous attack' still attributes that attack (the role noun
    governs the trigger)."""
    if role_noun.dep_ not in ("dobj", "pobj", "nsubjpass", "appos", "attr", "conj"):
        return False
    if role_noun.dep_ == "pobj" and role_noun.head.lower_ == "by":
        return False  # "carried out by Taliban fighters"
    return not any(c.dep_ == "prep" and c.lower_ == "of" and any(g.i in trigger_tokens for g in c.subtree)
                   for c in role_noun.children)


def _qualifies_trigger(verb: Token, trigger_tokens: set[int]) -> bool:
    """"airstrikes conducted by X", "an attack carried out by X": a participle that qualifies the
    event noun passes its agent on to the event."""
    return verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl") and verb.head.i in trigger_tokens


def assign_roles(doc: Doc, sent: Span, triggers: list[Trigger], actors: list[ActorMention]
                 ) -> tuple[ActorMention | None, ActorMention | None]:
    """Perpetrator and target from the parse: attributions, modifiers, agents and subjects vs objects/victims.

    The most specific cue wins: "an ISIS-K mastermind of the attack" and "Pakistan military
    airstrikes" name the perpetrator more surely than a clause subject does.
    """
    trigger_tokens = set()
    for t in triggers:
        span = doc.char_span(t.start, t.end, alignment_mode="expand")
        if span is not None:
            trigger_tokens.update(tok.i for tok in span)
    text = doc_text(doc)
    claim = CLAIM.search(sent.text)
    perps: list[tuple[int, int, ActorMention]] = []
    targets: list[tuple[int, ActorMention]] = []
    for m in actors:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        head = phrase_head(span.root)
        gov = head.head
        attribution = _ATTRIBUTION_BEFORE.search(text[max(sent.start_char, m.start - 25): m.start])
        if m.actor_type != "civilians" and (_ATTRIBUTION_AFTER.match(text[m.end: m.end + 30])
                                            and not _sought_or_caught(head, trigger_tokens)
                                            or attribution and (not attribution.group(0).lower().startswith("by")
                                                                or not (head.dep_ == "pobj" and gov.lower_ == "by"
                                                                        and gov.head.i not in trigger_tokens))):
            perps.append((_ROLE_PRIORITY["attributed"], m.start, m))
        elif span.root.dep_ in ("compound", "amod", "poss", "nmod") and span.root.head.i in trigger_tokens:
            perps.append((_ROLE_PRIORITY["modifier"], m.start, m))
        elif head.dep_ == "pobj" and gov.lower_ == "by" and (gov.head.i in trigger_tokens
                                                             or _qualifies_trigger(gov.head, trigger_tokens)):
            perps.append((_ROLE_PRIORITY["agent"], m.start, m))
        elif head.dep_ == "nsubj" and (gov.i in trigger_tokens or any(c.i in trigger_tokens for c in gov.children)
                                        and not _NOT_THE_AGENT.match(gov.lower_) and not _SAYING.match(gov.lower_)):
            perps.append((_ROLE_PRIORITY["subject"], m.start, m))
        elif _verb_right_after(doc, span, trigger_tokens):
            # "…, Helmand province, an Afghan and coalition security force captured a leader": the
            # parser joined the force to the place list, but the phrase stands right before the verb
            perps.append((_ROLE_PRIORITY["subject"], m.start, m))
        elif head.dep_ in ("dobj", "nsubjpass") and gov.i in trigger_tokens:
            targets.append((0, m))
        elif head.dep_ == "pobj" and gov.lower_ in ("on", "against", "at") and gov.head.i in trigger_tokens:
            targets.append((1, m))
        elif claim and m.actor_type in ARMED_TYPES and head.dep_ == "nsubj" and not _SAYING.match(gov.lower_):
            perps.append((_ROLE_PRIORITY["claim"], m.start, m))  # not "..., police said"
    perps = [p for p in perps if p[2].actor_type != "civilians"]
    best = max(triggers, key=lambda t: t.rule.rank) if triggers else None
    from_the_air = best is not None and best.rule.sub_event_type == AIR_STRIKE
    if from_the_air:
        # The force that flies did it: a group the sentence only names beside a claim is more
        # likely what the strike targeted than its author.
        perps = [p for p in perps if p[2].actor_type not in NON_STATE_ARMED or p[0] <= _ROLE_PRIORITY["subject"]]
    if not perps and best is not None and not from_the_air and best.rule.event_type != "strategic_developments":
        # No grammatical cue, but the sentence names one non-state armed group that is not a
        # victim ("an ELN attack ... in which two policemen died"): it is the perpetrator. Not of
        # an arrest ("foreigners associated with al-Qaeda were detained") or an air strike.
        target_ids = {t[1].actor_id for t in targets}
        armed = {m.actor_id: m for m in actors if m.actor_type in NON_STATE_ARMED and m.actor_id not in target_ids}
        if len(armed) == 1:
            perps.append((_ROLE_PRIORITY["context"], 0, next(iter(armed.values()))))
    # A named group outranks an unnamed one on the same cue ("by terrorists of the FMLN").
    perp = min(perps, key=lambda p: (p[0], p[2].actor_id.startswith("unidentified-"), p[1]))[2] if perps else None
    targets = [t for t in targets if perp is None or t[1].actor_id != perp.actor_id]
    # An armed side or civilians before a government named by its capital ("Bamako, Mali — two
    # soldiers were killed"): a government is rarely what an attack hit.
    target = min(targets, key=lambda t: (t[0], t[1].actor_type not in _HIT, t[1].start))[1] if targets else None
    if target is None:
        victims = [m for m in actors if m.actor_type == "civilians" and (perp is None or m.actor_id != perp.actor_id)]
        if victims:
            target = victims[0]
    return perp, target


_RAID_WORDS = re.compile(r"raids?|raided|raiding|operations?|search(?:es)?", re.I)


def _is_crowd(actor: ActorMention | None) -> bool:
    return actor is not None and actor.actor_id.startswith(("protesters-", "rioters-"))


def event_type_of(triggers: list[Trigger], perp: ActorMention | None, target: ActorMention | None,
                  has_killed: bool) -> tuple[str, str | None, int]:
    """The most severe trigger types the event; then who did it to whom decides ACLED's type.

    An attack on armed men is a battle ("soldiers killed by militants"). Killing and clashes told with a protest
    are a riot (a crowd's violence; "Mob violence" when the crowd killed), or excessive force when a
    state force fired on protesters; a massacre or a bombing stays what it is. Burning or looting by
    an armed group is property destruction, not a riot.
    """
    best = max(triggers, key=lambda t: t.rule.rank)
    et, sub, rank = best.rule.event_type, best.rule.sub_event_type, best.rule.rank
    arrests = [t for t in triggers if t.rule.sub_event_type == "Arrests"]
    if arrests and not has_killed and all(_RAID_WORDS.fullmatch(t.text) for t in triggers
                                          if t.rule.rank > arrests[0].rule.rank):
        # "security forces arrested 45 suspects in raids": the raid is how the arrests were made
        return arrests[0].rule.event_type, "Arrests", arrests[0].rule.rank
    # a crowd is told by its protest or riot, not by arson or looting that armed men do as well
    protest_told = any(t.rule.event_type in ("protests", "riots") and not t.rule.damage for t in triggers)
    armed_target = target is not None and target.actor_type in ARMED_TYPES
    armed_perp = perp is not None and perp.actor_type in ARMED_TYPES
    if protest_told and et in ("battles", "violence_against_civilians") and sub in ("Armed clash", "Attack") \
            and not (perp is not None and perp.actor_type in NON_STATE_ARMED):
        if _is_crowd(perp):
            return "riots", "Mob violence", max(rank, RIOT_RANK)  # "lynched by protesters"
        if rank <= CROWD_VIOLENCE_RANK:
            if sub == "Attack" and perp is not None and perp.actor_type in STATE_ARMED and (
                    target is None or _is_crowd(target) or target.actor_type == "civilians"):
                return "protests", "Excessive force against protesters", rank
            return "riots", "Violent demonstration", max(rank, RIOT_RANK)
    if et == "riots" and armed_perp:
        return "strategic_developments", "Looting/property destruction", rank
    if et == "violence_against_civilians" and sub == "Attack":
        if armed_target or (armed_perp and perp.actor_type == "state_forces" and (target is None or target.actor_type != "civilians")):
            return "battles", "Armed clash", rank
    if sub == "Non-state actor overtakes territory" and perp is not None and \
            perp.actor_type in ("state_forces", "external_state", "government"):
        return et, "Government regains territory", rank
    if et == "strategic_developments" and has_killed:
        return "battles", "Armed clash", 30
    return et, sub, rank


_BLAME = re.compile(r"\b(?:blam(?:ed|es|ing)|accus(?:ed|es|ing)|attribut(?:ed|es)|responsib(?:le|ility)|"
                    r"claim(?:ed|s)|perpetrated|carried out|committed)\b", re.I)



def settle_article_roles(candidates: list[IncidentCandidate], sentences: list[SentenceFacts]) -> None:
    """The sides only the whole article settles: the one group it blames, the force that flew an
    air strike, the crowd of a riot or a protest."""
    name_the_article_group(candidates, sentences)
    for c in candidates:
        if c.sub_event_type == AIR_STRIKE:
            _name_the_flying_force(c, sentences)
        elif c.event_type in ("riots", "protests"):
            _name_the_crowd(c, sentences)


def name_the_article_group(candidates: list[IncidentCandidate], sentences: list[SentenceFacts]) -> None:
    """A violent incident told without its author (or with unnamed "terrorists"), in an article that
    names one non-state armed group and either no state force or blames the group in so many words:
    that group ("ELN" named in the lead, "the pipeline was blown up" later). Confidence drops,
    since the text does not tie them in one clause."""
    groups = {m.actor_id for f in sentences for m in f.actors
              if m.actor_type in NON_STATE_ARMED and not m.actor_id.startswith("unidentified-")}
    states = {m.actor_id for f in sentences for m in f.actors if m.actor_type in ("state_forces", "external_state")}
    if len(groups) != 1:
        return
    blamed = any(_BLAME.search(f.text) for f in sentences if any(m.actor_id in groups for m in f.actors))
    if states and not blamed:
        return
    (group,) = groups
    for c in candidates:
        unnamed = c.perpetrator_actor_id is None or c.perpetrator_actor_id.startswith("unidentified-")
        if unnamed and c.event_type in VIOLENT_EVENT_TYPES and c.target_actor_id != group:
            c.perpetrator_actor_id = group
            c.confidence = round(max(c.confidence - 0.1, 0.3), 2)


def _evidence_of(c: IncidentCandidate, sentences: list[SentenceFacts]) -> list[SentenceFacts]:
    told = set(c.evidence) or {c.quote}
    return [f for f in sentences if f.text in told]


# "Houthi forces launched a drone attack", "the RSF carried out two drone strikes": the subject of
# the verb that launches the strike
_LAUNCHED = re.compile(r"^\s+(?:(?:have|has|had)\s+)?(?:launched|carried\s+out|conducted|staged|mounted|sent|fired)"
                       r"\s+(?:[\w-]+\s+){0,2}$", re.I)
_BY_BEFORE = re.compile(r"^\W*(?:[\w'’-]+\s+){0,3}?by\s+(?:the\s+)?$", re.I)


def _flies(actor_id: str, facts: SentenceFacts) -> bool:
    """The sentence names the actor as the author of an air strike: right before its words
    ("Houthi drone strikes"), as the subject that launched it ("Houthi forces launched a drone
    attack") or as its agent ("strikes launched by the Houthis")."""
    for m in facts.actors:
        if m.actor_id != actor_id:
            continue
        for t in facts.triggers:
            if t.rule.sub_event_type != AIR_STRIKE:
                continue
            between = facts.text[m.end - facts.start: t.start - facts.start] if m.end <= t.start else ""
            if m.end <= t.start and (len(between) <= 3 and not between.strip(" -") or _LAUNCHED.match(between)):
                return True
            if m.start >= t.end and _BY_BEFORE.match(facts.text[t.end - facts.start: m.start - facts.start]):
                return True
    return False


def _name_the_flying_force(c: IncidentCandidate, sentences: list[SentenceFacts]) -> None:
    """An air strike's author is the force that flies: a state force its evidence names (not as
    its target), else one the article names with an air strike, else the military of the country
    where it struck. A non-state group stays only where a sentence calls the strike its own; a
    source, a responder or the group that was hit never does."""
    registry = load_registry()
    known = registry.get(c.perpetrator_actor_id) if c.perpetrator_actor_id else None
    if known is not None and known.actor_type in STATE_ARMED:
        return
    evidence = _evidence_of(c, sentences)
    if known is not None and known.actor_type in NON_STATE_ARMED and any(
            _flies(known.actor_id, f) for f in sentences):
        return

    def forces(facts: list[SentenceFacts], hit: str | None) -> list[str]:
        return [m.actor_id for f in facts for m in f.actors if m.actor_type in STATE_ARMED and m.actor_id != hit]

    striking = [f for f in sentences if any(t.rule.sub_event_type == AIR_STRIKE for t in f.triggers)]
    # the target the incident took from another sentence is no reason to doubt who flew elsewhere
    found = forces(evidence, c.target_actor_id) or forces(striking, None)
    if found:
        c.perpetrator_actor_id = found[0]
    elif c.place is not None and c.place.country_iso3:
        c.perpetrator_actor_id = registry.generic_actor("military", c.place.country_iso3).actor_id
    else:
        return
    if known is None or known.actor_type in NON_STATE_ARMED:
        c.confidence = round(max(c.confidence - 0.1, 0.3), 2)


def _name_the_crowd(c: IncidentCandidate, sentences: list[SentenceFacts]) -> None:
    """A riot's author is ACLED's "Rioters (<country>)", a protest's "Protesters (<country>)",
    unless the text names who acted (a state force firing on protesters keeps its place)."""
    perp = c.perpetrator_actor_id
    if perp is not None and not perp.startswith(("protesters-", "rioters-", "civilians-")):
        return
    country = c.place.country_iso3 if c.place is not None else None
    if country is None:
        country = next((m.country_iso3 for f in _evidence_of(c, sentences) for m in f.actors
                        if m.actor_id.startswith(("protesters-", "rioters-")) and m.country_iso3), None)
    if country is None:
        return
    kind = "rioters" if c.event_type == "riots" else "protesters"
    c.perpetrator_actor_id = load_registry().generic_actor(kind, country).actor_id
