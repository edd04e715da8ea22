"""Who did an event to whom, and the event type that follows from it.

What belongs here: perpetrator and target from the parse (attribution > modifier > agent >
subject), ACLED typing that depends on the sides ("soldiers killed by militants" is a battle), and
naming the one armed group an article blames. What does not: finding event words
(``event_mentions``) or deciding which mentions are one event (``events``).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from pipeline.extraction.event_mentions import SentenceFacts, Trigger, phrase_head
from pipeline.extraction.records import (
    ActorMention,
    IncidentCandidate,
)
from pipeline.schemas import VIOLENT_EVENT_TYPES

ARMED_TYPES = {"state_forces", "rebel_group", "political_militia", "identity_militia", "external_state"}
NON_STATE_ARMED = {"rebel_group", "political_militia", "identity_militia"}
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
    text = doc.text
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
        elif head.dep_ == "pobj" and gov.lower_ == "by" and gov.head.i in trigger_tokens:
            perps.append((_ROLE_PRIORITY["agent"], m.start, m))
        elif head.dep_ == "nsubj" and (gov.i in trigger_tokens or any(c.i in trigger_tokens for c in gov.children)
                                        and not _NOT_THE_AGENT.match(gov.lower_)):
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
    if not perps:
        # No grammatical cue, but the sentence names one non-state armed group that is not a
        # victim ("an ELN attack ... in which two policemen died"): it is the perpetrator.
        target_ids = {t[1].actor_id for t in targets}
        armed = {m.actor_id: m for m in actors if m.actor_type in NON_STATE_ARMED and m.actor_id not in target_ids}
        if len(armed) == 1:
            perps.append((_ROLE_PRIORITY["context"], 0, next(iter(armed.values()))))
    # A named group outranks an unnamed one on the same cue ("by terrorists of the FMLN").
    perp = min(perps, key=lambda p: (p[0], p[2].actor_id.startswith("unidentified-"), p[1]))[2] if perps else None
    targets = [t for t in targets if perp is None or t[1].actor_id != perp.actor_id]
    target = min(targets, key=lambda t: (t[0], t[1].start))[1] if targets else None
    if target is None:
        victims = [m for m in actors if m.actor_type == "civilians" and (perp is None or m.actor_id != perp.actor_id)]
        if victims:
            target = victims[0]
    return perp, target


def event_type_of(triggers: list[Trigger], perp: ActorMention | None, target: ActorMention | None,
                has_killed: bool) -> tuple[str, str | None, int]:
    """The most severe trigger types the event; a bare killing is typed by who fought whom."""
    best = max(triggers, key=lambda t: t.rule.rank)
    et, sub, rank = best.rule.event_type, best.rule.sub_event_type, best.rule.rank
    if et == "violence_against_civilians" and sub == "Attack":
        armed_target = target is not None and target.actor_type in ARMED_TYPES
        armed_perp = perp is not None and perp.actor_type in ARMED_TYPES
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
