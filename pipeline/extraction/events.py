"""Sentences → incident candidates: detection, typing, place/date/count attachment and roles.

One incident per event, place and day (the ACLED unit): a sentence with a real event trigger
opens an incident at each place it coordinates ("air strikes in Khost and Kunar" → two); a later
sentence that adds detail without a place of its own (the rest of a press release) enriches the
incident before it. Threats, plans, denials, hypotheticals, anniversaries, anaphoric references
("these strikes") and vague generalities ("has carried out several attacks") open nothing.
Dates, places, counts and actors are found by their own modules; this one only combines them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

import pycountry
import yaml
from spacy.tokens import Doc, Span, Token

from pipeline.config import DATA_DIR
from pipeline.extraction.dates import resolve_event_interval
from pipeline.extraction.nlp import OFFICE_TITLES, PERSON_TITLES
from pipeline.extraction.numbers import LIST_JOIN, OF_COMPANIONS, is_running_total, is_vague
from pipeline.extraction.records import (
    ActorMention,
    CountMention,
    DateMention,
    IncidentCandidate,
    Place,
    PlaceMention,
    Quantity,
)
from pipeline.schemas import VIOLENT_EVENT_TYPES

ARMED_TYPES = {"state_forces", "rebel_group", "political_militia", "identity_militia", "external_state"}
NON_STATE_ARMED = {"rebel_group", "political_militia", "identity_militia"}
SCENE_REACH_CHARS = 600  # a place set this close before a count-bearing sentence is where it happened
UNDATED_WINDOW_DAYS = 30  # an undated "recent" event lies in the month before publication
REPORT_WINDOW_DAYS = 6  # an undated event in a dated news report happened in the week up to it
# "Army vs Boko Haram, Borno": an unnamed state force is one of the sides of a headline fight.
_UNNAMED_STATE_FORCE = re.compile(r"\b(?:army|troops|soldiers|military|police|security forces|air force|navy)\b", re.I)
_COUNT_HINT = re.compile(r"\b(?:killed|killing|dead|died|wounded|injured|detained|captured|arrested)\b", re.I)
# Headline verbs the model reads as nouns ("Blast rocks bus station"): the trigger before them is
# their subject, not a modifier.
_HEADLINE_VERBS = frozenset({"rocks", "hits", "kills", "strikes", "targets", "wounds", "injures", "leaves",
                             "claims", "destroys", "damages", "shakes", "tears", "rips", "levels"})
_POSSESSIVE_PRONOUNS = frozenset({"their", "its", "his", "her"})
_TOLL_RANK = 30  # kill/death words and below (arrests, riots, protests): what a running total counts
_FEARED_TOLL = re.compile(r"\b(?:are|were|is|was|now)?\s*feared\s+(?:to (?:be|have been)\s+)?$", re.I)
_CUE_EARLIER = re.compile(r"\b(previous|earlier|recent(?:ly)?|past|ago|last (?:week|month|year)|before)\b", re.I)
# "the second facilitator" is one of those already counted; "a second bomb" is another.
_CUE_ADDITIONAL = re.compile(r"\b(additional|another|more|other|others|also|(?<!the )(?:second|third)|further|separate)\b",
                             re.I)
_CLAIM = re.compile(r"\b(claimed responsibility|claimed the (?:attack|bombing|blast)|took responsibility|"
                    r"accepted responsibility|mastermind|masterminded|carried out by|blamed (?:it )?on|attributed to|"
                    r"was behind|were behind)\b", re.I)


@dataclass(frozen=True)
class TriggerRule:
    pattern: re.Pattern
    event_type: str
    sub_event_type: str
    rank: int
    noun: bool
    device: bool = False  # a weapon noun: an event only when it explodes, strikes or kills
    sides: bool = False  # "X vs Y": an event only between two armed parties named in the sentence


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    text: str
    rule: TriggerRule


@dataclass(frozen=True)
class Lexicon:
    rules: tuple[TriggerRule, ...]
    modal: frozenset[str]
    intent: frozenset[str]
    negation: frozenset[str]
    reference: frozenset[str]
    generic: tuple[str, ...]
    anaphoric: frozenset[str]
    device_event: re.Pattern
    device_non_event: re.Pattern
    role_verbs: frozenset[str]
    qualified_nouns: frozenset[str]


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    data = yaml.safe_load((DATA_DIR / "event_lexicon.yaml").read_text(encoding="utf-8"))
    rules = tuple(
        TriggerRule(re.compile(rf"(?<![\w-])(?:{t['pattern']})(?![\w-])", re.I), t["event_type"], t["sub_event_type"],
                    int(t["rank"]), bool(t.get("noun")), bool(t.get("device")), bool(t.get("sides")))
        for t in data["triggers"]
    )
    ne = data["non_events"]
    return Lexicon(rules, frozenset(ne["modal"]), frozenset(ne["intent"]), frozenset(ne["negation"]),
                   frozenset(ne["reference"]), tuple(g.lower() for g in ne["generic"]),
                   frozenset(data["anaphoric_determiners"]),
                   re.compile(data["device_event"], re.I), re.compile(data["device_non_event"], re.I),
                   frozenset(ne["role_verbs"]), frozenset(data["qualified_nouns"]))


def find_triggers(text: str, offset: int = 0) -> list[Trigger]:
    """Event triggers in a sentence, non-overlapping, higher rank first on overlap."""
    found: list[Trigger] = []
    for rule in load_lexicon().rules:
        for m in rule.pattern.finditer(text):
            s, e = m.start() + offset, m.end() + offset
            if any(s < t.end and t.start < e for t in found):
                continue
            found.append(Trigger(s, e, m.group(0), rule))
    return sorted(found, key=lambda t: t.start)


@dataclass
class SentenceFacts:
    """What one sentence says, with article-body offsets."""

    start: int
    end: int
    text: str
    triggers: list[Trigger]
    places: list[PlaceMention]
    dates: list[DateMention]
    counts: list[CountMention]
    actors: list[ActorMention]


@dataclass
class _Open:
    """An incident being assembled from one or more sentences of an article."""

    candidate: IncidentCandidate
    rank: int
    split_into: int = 1
    place_guessed: bool = False  # coded where the report was filed or at country level, not where told

    def absorb(self, killed: Quantity | None, injured: Quantity | None, detained: Quantity | None,
               more: tuple[bool, bool, bool], typing: tuple[str, str | None, int],
               perp: ActorMention | None, target: ActorMention | None) -> None:
        """Fold a later sentence about the same incident in: counts, a more severe type, missing roles."""
        c = self.candidate
        c.fatalities = _combine(c.fatalities, killed, more[0])
        c.injured = _combine(c.injured, injured, more[1])
        c.detained = _combine(c.detained, detained, more[2])
        event_type, sub_event_type, rank = typing
        if rank > self.rank:
            c.event_type, c.sub_event_type, self.rank = event_type, sub_event_type, rank
        self.take_roles(perp, target)

    def take_roles(self, perp: ActorMention | None, target: ActorMention | None) -> None:
        """Fill a perpetrator or target the incident still lacks ("the attack was carried out by X")."""
        c = self.candidate
        c.perpetrator_actor_id = c.perpetrator_actor_id or (perp.actor_id if perp else None)
        c.target_actor_id = c.target_actor_id or (target.actor_id if target else None)


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _clause_words(doc: Doc, trigger: Trigger, sent: Span) -> list[str]:
    """Lower-cased words that govern the trigger: its auxiliaries/negations and the words just before it."""
    tok = _token_at(doc, trigger.start)
    words: list[str] = []
    if tok is None:
        return words
    node = tok
    for _ in range(4):  # the trigger, its head verb and their auxiliaries
        words.extend(c.lower_ for c in node.children if c.dep_ in ("aux", "auxpass", "neg", "mark", "advmod"))
        words.append(node.lower_)
        if node.head.i == node.i:
            break
        if node.dep_ in ("xcomp", "ccomp", "advcl", "dobj", "pobj", "prep", "acl", "relcl", "compound", "nsubj",
                         "nsubjpass", "conj", "amod", "attr"):
            node = node.head
        else:
            break
    lo = max(sent.start, tok.i - 5)
    # A noun that is the object of another verb ("identified the lethal threat and engaged,
    # killing…") does not govern the trigger; one that does is reached through the head chain.
    words.extend(t.lower_ for t in doc[lo: tok.i]
                 if not (t.pos_ == "NOUN" and t.dep_ in ("dobj", "pobj") and t.head.i != tok.i
                         and not any(c.dep_ == "prep" for c in t.children)))
    return words


_REPORTING_VERBS = frozenset({"say", "says", "report", "reports", "state", "states", "indicate", "indicates",
                              "add", "adds", "confirm", "confirms", "claim", "claims", "note", "notes",
                              "explain", "explains", "believe", "believes", "allege", "alleges", "is", "are",
                              "read", "reads", "show", "shows", "mention", "mentions"})


def _habitual(sent: Span | None) -> bool:
    """A present-tense action ("the leader directs insurgents in Qalandar"), not a report of one."""
    return sent is not None and sent.root.tag_ in ("VBZ", "VBP") and sent.root.lower_ not in _REPORTING_VERBS


_HEADLINE_MAX_WORDS = 25


def is_headline(sentence_text: str) -> bool:
    """A title line: short and without a closing full stop ("Army Attacks Boko Haram Stronghold in Yobe").

    Headlines tell past events in the present tense, so the present is no habit there.
    """
    text = sentence_text.strip()
    return bool(text) and text[-1] not in ".!?\"'”" and "\n" not in text and len(text.split()) <= _HEADLINE_MAX_WORDS


def describes_role(doc: Doc, trigger: Trigger, sentence_text: str) -> bool:
    """'The leader directs / organized / is responsible for conducting attacks': what someone does,
    not one event (unless a toll is told with it)."""
    tok = _token_at(doc, trigger.start)
    if tok is None or not trigger.rule.noun:
        return False
    head = _phrase_head(_token_at(doc, trigger.end - 1) or tok)
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    node = head  # "directing the use of IED attacks": up through "of" to the gerund's object
    while node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.dep_ == "dobj":
        node = node.head.head
    if node.dep_ == "dobj" and _gerund_of_role(node.head):
        return True  # "responsible for coordinating and conducting attacks"
    if head.dep_ == "pobj" and head.head.lower_ == "for" and not _COUNT_HINT.search(sentence_text) \
            and not is_headline(sentence_text):
        # "the facilitator distributes weapons to insurgents for attacks": what the weapons are for
        verb = next((a for a in head.ancestors if a.pos_ in ("VERB", "AUX")), None)
        if verb is not None and verb.tag_ in ("VBZ", "VBP"):
            return True
    if head.dep_ != "dobj":
        return False
    verb = head.head
    if _COUNT_HINT.search(sentence_text):
        return False
    if verb.tag_ in ("VBZ", "VBP"):
        # "the leader directs roadside bomb attacks": a habit; but "IS carries out a new attack" and
        # a headline's present ("Regime forces shell al-Wa'er") tell of one event
        one = any(c.dep_ in ("det", "nummod") and c.lower_ not in ("the", "these", "those") for c in head.children) \
            and head.tag_ in ("NN", "NNP")
        return not one and not is_headline(sentence_text)
    return head.tag_ == "NNS" and verb.lower_ in load_lexicon().role_verbs \
        and not any(c.dep_ in ("det", "nummod", "poss") for c in head.children)  # "organized attacks against …"


def is_real_event(doc: Doc, trigger: Trigger, sent: Span, sentence_text: str) -> bool:
    """False for threats, plans, denials, hypotheticals, anniversaries and infinitives of purpose."""
    lex = load_lexicon()
    if trigger.rule.device:
        local = doc.text[max(sent.start_char, trigger.start - 50): min(sent.end_char, trigger.end + 50)]
        if not lex.device_event.search(sentence_text) or lex.device_non_event.search(local):
            return False
    tok = _token_at(doc, trigger.start)
    last_tok = _token_at(doc, trigger.end - 1)
    if trigger.rule.noun and last_tok is not None and last_tok.dep_ == "compound" and \
            last_tok.head.idx >= trigger.end and _is_qualified_noun(last_tok.head.lower_) and \
            not (last_tok.i + 1 < len(doc) and doc[last_tok.i + 1].lower_ in _HEADLINE_VERBS):
        return False  # "an attack cell", "bomb makers": the trigger only qualifies another noun
    if describes_role(doc, trigger, sentence_text):
        return False
    if tok is not None and tok.pos_ == "VERB" and any(c.lower_ == "to" and c.dep_ == "aux" for c in tok.children):
        return False
    if tok is not None and tok.i > 0 and doc[tok.i - 1].lower_ == "to" and tok.tag_ == "VB":
        return False
    words = _clause_words(doc, trigger, sent)
    if _FEARED_TOLL.search(doc.text[max(sent.start_char, trigger.start - 40): trigger.start]):
        words = [w for w in words if w not in ("fear", "feared")]  # "91 feared killed": an uncertain toll, not a fear
    if any(w in lex.modal or w in lex.intent or w in lex.negation for w in words):
        return False
    lowered = _words_near(sentence_text, trigger.start - sent.start_char, trigger.end - trigger.start).lower()
    if any(w in lex.reference for w in re.findall(r"[a-z']+", lowered)):
        return False
    return not any(g in lowered for g in lex.generic)


def _is_qualified_noun(word: str) -> bool:
    """A noun a trigger word modifies without an event ("cell", "materials", "facilitators")."""
    nouns = load_lexicon().qualified_nouns
    return word in nouns or (word.endswith("s") and word[:-1] in nouns) or \
        (word.endswith("ies") and word[:-3] + "y" in nouns)


REFERENCE_REACH_BEFORE, REFERENCE_REACH_AFTER = 80, 40  # chars around a trigger where "since", "condemned"... count


def _gerund_of_role(verb: Token) -> bool:
    """A gerund after a preposition ("responsible for conducting", "involved in planning")."""
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb.tag_ == "VBG" and verb.dep_ == "pcomp" and verb.head.lower_ in ("for", "in", "of")


def _words_near(sentence_text: str, at: int, length: int) -> str:
    """The words around a trigger at offset `at`, within its part of the sentence between semicolons.

    Headlines joined by ";" ("House condemns killings;Herdsmen kill 300 in Benue") each keep their
    own words, and a long sentence's "since" far from the trigger qualifies another verb.
    """
    start = sentence_text.rfind(";", 0, max(at, 0)) + 1
    end = sentence_text.find(";", at)
    end = end if end >= 0 else len(sentence_text)
    return sentence_text[max(start, at - REFERENCE_REACH_BEFORE): min(end, at + length + REFERENCE_REACH_AFTER)]


def _present_perfect(doc: Doc, trigger: Trigger) -> bool:
    """'The group has killed several people': a record, not an event, unless a date or a figure pins it."""
    tok = _token_at(doc, trigger.start)
    if tok is None or tok.tag_ != "VBN":
        return False
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("has", "have") for c in tok.children)


def _has_action_verb(doc: Doc, triggers: list[Trigger]) -> bool:
    """A trigger used as a past-tense verb ("detained", "clashed") tells an event, not a topic."""
    for t in triggers:
        tok = _token_at(doc, t.start)
        if tok is not None and tok.tag_ in ("VBD", "VBN"):
            return True
    return False


def is_anaphoric(doc: Doc, trigger: Trigger, told_before: bool = True) -> bool:
    """'these strikes', 'the attack': a reference back to an event told elsewhere.

    Before any event of the article has been told, neither a bare "the" ("The clashes renew in the
    countryside of Aleppo" opens a headline) nor the subject's own "their"/"its" ("warplanes continue
    their raids") can point back; demonstratives and other possessives still do.
    """
    tok = _token_at(doc, trigger.start)
    if tok is None:
        return False
    if not trigger.rule.noun:  # "the detained Taliban leader": the arrest told before
        return told_before and tok.dep_ == "amod" and tok.tag_ == "VBN"
    head = tok if tok.pos_ in ("NOUN", "PROPN") else tok.head
    refs = [c for c in head.children if c.dep_ in ("det", "poss")]
    if not told_before:
        # "the Russian warplanes continue their raids on Idlib": the subject's own raids, not a reference
        subjects_own = head.dep_ == "dobj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in head.head.children)
        refs = [c for c in refs if c.lower_ != "the" and not (subjects_own and c.lower_ in _POSSESSIVE_PRONOUNS)]
    return any(c.dep_ == "poss" or c.lower_ in load_lexicon().anaphoric for c in refs)


def _phrase_head(tok: Token) -> Token:
    while tok.dep_ in ("compound", "amod", "poss", "nmod", "appos", "det", "case", "npadvmod") and tok.head.i != tok.i:
        tok = tok.head
    return tok


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
    claim = _CLAIM.search(sent.text)
    perps: list[tuple[int, int, ActorMention]] = []
    targets: list[tuple[int, ActorMention]] = []
    for m in actors:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        head = _phrase_head(span.root)
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


def _event_type(triggers: list[Trigger], perp: ActorMention | None, target: ActorMention | None,
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


# "a person from Hama", "a sub-commander operating in Mata Khan district": where someone comes from or
# works, not where the event happened.
_ORIGIN_BEFORE = re.compile(r"\b(?:(?:person|people|man|men|woman|women|family|families|civilians?|natives?|"
                            r"residents?|displaced|fled|originally|hails?|came|coming)\s+from|native of|"
                            r"(?:operating|operates|operated|based|active|who\s+lives|living)\s+(?:in|out\s+of|throughout))"
                            r"\s+(?:the\s+)?$",
                            re.I)
# "Chinchipe, 460 km east of Lima", "the town of Zaragoza, 10 km from San Salvador", "in Chalatenango
# department, to the north of San Salvador": a landmark that measures where the event was, not its place.
# ("in the north of Helmand" is inside Helmand: no "the" before the compass word.)
_COMPASS = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?P<dist>\d[\d.,]*|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|few|several)\s*-?\s*(?P<unit>km|kms|kilometers?|kilometres?|miles?)\b\.?"
    r"\s+(?:\([^()]{1,20}\)\s+)?(?:(?:to\s+the\s+)?" + _COMPASS + r"\s+)?(?:of|from)"
    r"|(?:[,;(]|\b(?:to\s+the|just|located|situated|lies|lying|slightly|far))\s*" + _COMPASS + r"\s+of)"
    r"\s+(?:the\s+(?:city|town|capital|village|port)\s+of\s+)?(?:the\s+)?$",
    re.I)
_COORDINATION = re.compile(r"\s*(?:,|and|or|&|,\s*and|as well as)\s*", re.I)  # "in Khost and Kunar"
_GEO_ORDER = {"point": 0, "admin2": 1, "admin1": 2, "country": 3, "unknown": 4}


def _part_of(part: Place, city: Place) -> bool:
    """"Bogota - Olaya" lies in Bogota. Not a reason to merge two incidents of one day (wire reports
    list each blast of a city apart), only to refine one a later sentence locates."""
    return part.city_part and not city.city_part and city.location is not None \
        and part.location is not None and part.location.startswith(city.location + " - ")


def _nested(a: Place | None, b: Place | None) -> bool:
    """One place lies inside the other (same country and admin1, one of them coarser)."""
    if a is None or b is None or a.country_iso3 != b.country_iso3 or a == b:
        return False
    if a.precision == "country" or b.precision == "country":
        return True
    if a.admin1 != b.admin1 or a.admin1 is None:
        return False
    if a.admin2 is not None and a.admin2 == b.admin2 and (a.location is None) != (b.location is None):
        return True  # "the village of Sharageh in Musa Qal'ah district" lies in the district
    return a.precision == "admin1" or b.precision == "admin1" or (
        {a.precision, b.precision} == {"admin2", "point"} and (a.admin2 is None or b.admin2 is None or a.admin2 == b.admin2))


NEAR_LANDMARK_KM = 30  # a village this close to the town it is measured from lies in that town's province


def _near_landmark(mention: PlaceMention, sentence_text: str, sent_start: int) -> bool:
    """"Calluchaca village, 7 km northeast of Huanta": Huanta is close enough to lend its province."""
    before = sentence_text[max(0, mention.start - sent_start - 60): mention.start - sent_start]
    m = _REFERENCE_BEFORE.search(before)
    if m is None or not m.group("dist") or not m.group("dist")[0].isdigit():
        return False
    km = float(m.group("dist").replace(",", "")) * (1.6 if m.group("unit").lower().startswith("mile") else 1)
    return km <= NEAR_LANDMARK_KM


def _in_landmark_province(place: Place, landmarks: list[PlaceMention], gazetteer) -> Place:
    """A village the gazetteer does not know takes the province of the town it is measured from."""
    if place.admin1 is not None or place.location is None:
        return place
    near = next((lm.place for lm in landmarks if lm.place.admin1 is not None
                 and (place.country_iso3 is None or lm.place.country_iso3 == place.country_iso3)), None)
    if near is None:
        return place
    lat, lon = (place.latitude, place.longitude) if place.latitude is not None else \
        gazetteer.province_point(near.country_iso3, near.admin1)
    return replace(place, admin1=near.admin1, country_iso3=place.country_iso3 or near.country_iso3,
                   latitude=lat, longitude=lon)


def _is_origin(mention: PlaceMention, sentence_text: str, sent_start: int) -> bool:
    """"a person from Hama", "operating in Mata Khan", "10 km from San Salvador": a place someone comes
    from or works in, or a landmark the event's place is measured from."""
    before = sentence_text[max(0, mention.start - sent_start - 60): mention.start - sent_start]
    return _ORIGIN_BEFORE.search(before[-20:]) is not None or _REFERENCE_BEFORE.search(before) is not None


def _unknown_district_of(place: Place, known: Place | None) -> bool:
    """A district or village the gazetteer does not know (no province; often a variant spelling, "Now
    Zand" for "Now Zad") told right after an incident in a known district of the same country: the
    same scene."""
    unknown = place.precision == "admin2" or place.location is not None and place.latitude is None  # or a village
    return (known is not None and unknown and place.admin1 is None
            and known.precision in ("admin1", "admin2", "point") and known.admin1 is not None
            and known.country_iso3 == place.country_iso3)


def _finer(a: Place, b: Place) -> bool:
    """A lower level, or a named town, village or neighbourhood within the same-level unit."""
    return _GEO_ORDER.get(a.precision, 4) < _GEO_ORDER.get(b.precision, 4) or _part_of(a, b) or (
        a.precision == b.precision and a.location is not None and b.location is None)


# "The explosion took place in the Olaya neighborhood", "the residence is located in": a sentence
# that only says where the incident just told happened.
_WHERE_IT_HAPPENED = re.compile(r"\b(?:took place|occurred|happened|(?:is|was|are|were) located)\b", re.I)


def _refine_place(last: _Open | None, places: list[Place], facts: SentenceFacts) -> bool:
    """Move the incident just told to a finer place inside its own ("Bogota" -> "Bogota - Olaya")."""
    if last is None or last.split_into != 1 or len(places) != 1 or \
            facts.start - last.candidate.char_end > SCENE_REACH_CHARS:
        return False
    place, known = places[0], last.candidate.place
    guess_replaced = last.place_guessed and known is not None and place.country_iso3 == known.country_iso3 \
        and place.precision != "country"
    inside = known is not None and (_nested(known, place) or _part_of(place, known))
    if not guess_replaced and (not inside or not _finer(place, known)):
        return False
    last.place_guessed = False
    if place.admin1 is None:
        place = replace(place, admin1=known.admin1, latitude=known.latitude, longitude=known.longitude)
    last.candidate.place = place
    return True


def _place_key(p: Place | None) -> tuple:
    if p is None:
        return ()
    return (p.country_iso3, p.admin1, p.admin2, p.location)


def event_places(places: list[PlaceMention], sentence_text: str, sent_start: int, gazetteer, country_hint: str | None
                 ) -> list[Place]:
    """The place(s) an event sentence is about: one per coordinated leaf ("Khost and Kunar"), else one."""
    landmarks = [p for p in places if _near_landmark(p, sentence_text, sent_start)]
    found = _event_places(places, sentence_text, sent_start, gazetteer, country_hint)
    return [_in_landmark_province(p, landmarks, gazetteer) for p in found] if landmarks else found


def _event_places(places: list[PlaceMention], sentence_text: str, sent_start: int, gazetteer, country_hint: str | None
                  ) -> list[Place]:
    if not places:
        return []
    # "a person from Hama ... casualties in Daraa": a place of origin is not where it happened.
    located = [p for p in places if not _is_origin(p, sentence_text, sent_start)]
    places = located or places
    order = {"point": 0, "admin2": 1, "admin1": 2, "country": 3, "unknown": 4}
    finer = [p for p in places if p.place.precision != "country"]
    if not finer:
        best = gazetteer.most_specific(places, country_hint=country_hint)
        return [best] if best else []
    leaves = []
    for p in finer:
        parent_of_other = any(
            q is not p and order[q.place.precision] < order[p.place.precision]
            and q.place.country_iso3 == p.place.country_iso3
            and (q.place.admin1 == p.place.admin1 if p.place.precision == "admin1" else q.place.admin2 == p.place.admin2)
            for q in finer)
        if not parent_of_other:
            leaves.append(p)
    # "Soacha, Cundinamarca": a province right after a town names the town's province (the
    # gazetteer may not know it), it is not a second place.
    leaves = [p for i, p in enumerate(leaves) if not (
        i > 0 and p.place.precision == "admin1" and leaves[i - 1].place.precision in ("point", "admin2")
        and leaves[i - 1].place.country_iso3 == p.place.country_iso3
        and leaves[i - 1].place.admin1 in (None, p.place.admin1)
        and re.fullmatch(r"\s*,\s*", sentence_text[leaves[i - 1].end - sent_start: p.start - sent_start]))]
    if len(leaves) > 1:
        coordinated = all(
            _COORDINATION.fullmatch(sentence_text[a.end - sent_start: b.start - sent_start])
            for a, b in zip(leaves, leaves[1:], strict=False))
        if coordinated and len({_place_key(p.place) for p in leaves}) == len(leaves):
            resolved = []
            for leaf in leaves:
                group = [leaf] + [q for q in places if q not in leaves and q.place.precision in ("admin1", "country")
                                  and q.place.country_iso3 == leaf.place.country_iso3
                                  and (q.place.precision == "country" or q.place.admin1 == leaf.place.admin1)]
                best = gazetteer.most_specific(group, country_hint=country_hint)
                if best:
                    resolved.append(best)
            return resolved
    best = gazetteer.most_specific(places, country_hint=country_hint)
    return [best] if best else []


def separate_event_places(places: list[PlaceMention], sentence_text: str, sent_start: int, gazetteer,
                          country_hint: str | None) -> list[tuple[Place, int, int]] | None:
    """Places of separate events told in one sentence, with the part of the sentence each owns.

    Monitoring-group headlines pack several events into one line ("Clashes in the countryside of
    Al-Hasakah and a casualty in Daraa city"): places in different provinces, one after another,
    joined by "and" or ";" (not a coordinated list, which `event_places` splits), are one event
    each. Returns None when the sentence is about one place.
    """
    located = [p for p in places if p.place.precision != "country" and p.place.admin1 is not None
               and not _is_origin(p, sentence_text, sent_start)]
    if len({p.place.country_iso3 for p in located}) != 1:
        return None
    groups: list[list[PlaceMention]] = []
    for p in located:
        if groups and groups[-1][0].place.admin1 == p.place.admin1:
            groups[-1].append(p)
        elif any(g[0].place.admin1 == p.place.admin1 for g in groups):
            return None  # A ... B ... A: one story moving between places
        else:
            groups.append([p])
    if len(groups) < 2:
        return None
    cuts = [sent_start]
    for a, b in zip(groups, groups[1:], strict=False):
        gap = sentence_text[a[-1].end - sent_start: b[0].start - sent_start]
        joint = re.search(r"\band\b|;", gap)
        if joint is None or _COORDINATION.fullmatch(gap):
            return None  # no joint, or a coordinated list ("in Khost and Kunar")
        cuts.append(a[-1].end + joint.start())
    cuts.append(sent_start + len(sentence_text))
    out = []
    for group, start, end in zip(groups, cuts, cuts[1:], strict=False):
        best = gazetteer.most_specific(group, country_hint=country_hint)
        if best is None:
            return None
        out.append((best, start, end))
    return out


def _combine(prior: Quantity | None, new: Quantity | None, additional: bool) -> Quantity | None:
    """Repeated tolls are not double counted; 'two additional' adds."""
    if new is None:
        return prior
    if prior is None:
        return new
    if additional:
        def add(a, b):
            return None if a is None and b is None else (a or 0) + (b or 0)
        return Quantity(add(prior.low, new.low), add(prior.best, new.best), add(prior.high, new.high),
                        f"{prior.phrase}; {new.phrase}")
    return new if (new.best or 0) > (prior.best or 0) else prior


_KILLING_VERB = re.compile(r"(?:killed|died|dies|murdered|assassinated|executed|shot|slain|stabbed|beaten|"
                           r"hacked|tortured|burned|burnt|gunned|beheaded|lynched)$", re.I)


def _named_victim(doc: Doc, triggers: list[Trigger]) -> Quantity | None:
    """'Judge Carlos Valencia Garcia died', 'Corporal Oswaldo Palomino was shot to death', 'gunmen
    killed Angela de Guerrero': one named person is the victim of the killing verb (subject of a
    passive or of "died", object of an active verb) — one death (weak: a later toll may include him)."""
    for t in triggers:
        tok = _token_at(doc, t.start)
        if tok is None or tok.pos_ not in ("VERB", "AUX") or not _KILLING_VERB.match(tok.text):
            continue
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
        victim_deps = ("nsubj", "nsubjpass") if passive or tok.lower_ in ("died", "dies", "die") else ("dobj",)
        for subj in tok.children:
            if subj.dep_ not in victim_deps or any(c.dep_ in ("cc", "det", "conj") for c in subj.children):
                continue
            titled = any(c.lower_ in PERSON_TITLES | OFFICE_TITLES for c in subj.children
                         if c.dep_ in ("compound", "amod"))
            if (subj.tag_ == "NNP" and subj.ent_type_ == "PERSON") or (subj.tag_ in ("NN", "NNP") and titled):
                return Quantity(1, 1, 1, f"the {subj.text}")
    return None


def _sentence_count(counts: list[CountMention], kind: str) -> tuple[Quantity | None, bool]:
    """One sentence's count of a kind: distinct figures summed, repeats dropped."""
    mentions = [c for c in counts if c.kind == kind]
    if not mentions:
        return None, False
    total: Quantity | None = None
    for c in mentions:
        total = _combine(total, c.quantity, additional=total is not None and _adds_to_earlier(c.text))
    return total, any(_adds_to_earlier(c.text) for c in mentions)


def _adds_to_earlier(mention_text: str) -> bool:
    """'An additional suspect was detained' adds to a toll told before; 'the leader and two
    additional suspects' only says how one toll is made up, and may restate it."""
    first = LIST_JOIN.split(mention_text, maxsplit=1)[0]
    return _CUE_ADDITIONAL.search(first) is not None or OF_COMPANIONS.search(first) is not None


def _split(q: Quantity | None, n: int, i: int) -> Quantity | None:
    """A total reported over n places, divided evenly (remainder to the first places)."""
    if q is None or n == 1:
        return q

    def part(v):
        return None if v is None else v // n + (1 if i < v % n else 0)

    return Quantity(part(q.low), part(q.best), part(q.high), f"{q.phrase} (total over {n} places)")


def _country_place(gazetteer, country_iso3: str | None) -> list[Place]:
    """The article's country as a country-precision place (no place named in the text)."""
    if country_iso3 is None:
        return []
    country = pycountry.countries.get(alpha_3=country_iso3)
    place = gazetteer.resolve(country.name, country_hint=country_iso3) if country else None
    if place is None or place.precision != "country" or place.country_iso3 != country_iso3:
        return [Place(name=country.name if country else country_iso3, country_iso3=country_iso3, precision="country")]
    return [place]


def _refine_date(c: IncidentCandidate, interval: tuple) -> None:
    """A detail sentence that gives the day ("took place on 30 December") of an incident dated only
    by its report narrows the incident's date, when the day lies in the interval already known."""
    day, start, end, precision = interval
    if c.date_precision == "day" or precision != "day" or day is None:
        return
    if (c.date_start is None or day >= c.date_start - timedelta(days=1)) and \
            (c.date_end is None or day <= c.date_end + timedelta(days=1)):
        c.event_date, c.date_start, c.date_end, c.date_precision = day, start, end, "day"


def _undated_interval(text: str, published: date | None, previous: IncidentCandidate | None, report_dated: bool
                      ) -> tuple[date | None, date | None, date | None, str]:
    """No date in the sentence: the previous incident's day in a running report; in a dated news report the
    report's day (best guess) within the week before it; else the month before publication."""
    earlier = _CUE_EARLIER.search(text)
    if previous is not None and previous.date_precision == "day" and not earlier:
        return previous.event_date, previous.date_start, previous.date_end, "day"
    if published is None:
        return None, None, None, "unknown"
    if report_dated and not earlier:
        return published, published - timedelta(days=REPORT_WINDOW_DAYS), published, "week"
    return None, published - timedelta(days=UNDATED_WINDOW_DAYS), published, "month"


def detect_incidents(article_id: str, doc: Doc, sentences: list[SentenceFacts], published: date | None,
                     gazetteer, country_hint: str | None, report_dated: bool = False,
                     home: Place | None = None) -> list[IncidentCandidate]:
    """All incident candidates of one article, one per event, place and day.

    ``home`` is where a local report was filed (its dateline city, admin1 precision): the place of
    an event the report locates nowhere else.
    """
    opened: list[_Open] = []
    last: _Open | None = None
    scene: SentenceFacts | None = None  # the latest sentence that set a place ("conducted an operation in X district")
    for facts in sentences:
        finer = [p for p in facts.places if p.place.precision != "country"]
        # "talks scheduled in Caracas, Venezuela" in a report on El Salvador sets no scene for it
        at_home = any(p.place.country_iso3 in (None, country_hint) for p in finer) if country_hint else bool(finer)
        sent = doc.char_span(facts.start, facts.end, alignment_mode="expand")
        if sent is None or not facts.triggers:
            if finer and not facts.dates and _WHERE_IT_HAPPENED.search(facts.text) and _refine_place(
                    last, event_places(facts.places, facts.text, facts.start, gazetteer, country_hint), facts):
                continue
            # "The leader directs insurgents in Qalandar and Musa Khel districts": where someone
            # habitually acts is not the scene of the report's event.
            if at_home and (facts.dates or not _habitual(sent)):
                scene = facts
            continue
        armed_parties = {m.actor_id for m in facts.actors if m.actor_type in ARMED_TYPES}
        precise_count = any(not is_vague(c.quantity) for c in facts.counts)
        if is_running_total(facts.text):
            # "has resulted in 20 leaders being captured or killed this month" is a record, but
            # "shelling targets Harasta … raise the number killed since the start to 110" also
            # tells a new event: keep its other triggers, never the total as its toll.
            kept = [t for t in facts.triggers if t.rule.rank > _TOLL_RANK]
            if not kept:
                continue
            facts = replace(facts, triggers=kept, counts=[])
        real = [t for t in facts.triggers if is_real_event(doc, t, sent, facts.text)
                and (not t.rule.sides or len(armed_parties) + bool(_UNNAMED_STATE_FORCE.search(facts.text)) >= 2)
                and (facts.dates or precise_count or not _present_perfect(doc, t))]
        has_killed = any(c.kind == "killed" and (c.quantity.best or 0) > 0 for c in facts.counts)
        if _CLAIM.search(facts.text) and last is not None and not facts.counts:
            perp, _ = assign_roles(doc, sent, real or facts.triggers, facts.actors)
            if perp is not None and last.candidate.perpetrator_actor_id is None:
                last.candidate.perpetrator_actor_id = perp.actor_id
            continue
        if not real:
            # Places told with what a wanted man does ("organized attacks in Kabul and Herat") are
            # not where the operation was.
            # A dated sentence ("In Alingar district yesterday, a force searched for a leader who is
            # responsible for attacks") sets the scene whatever its wanted man does.
            if at_home and (facts.dates or not any(describes_role(doc, t, facts.text) for t in facts.triggers)):
                scene = facts
            continue
        fresh = [t for t in real if not is_anaphoric(doc, t, told_before=last is not None)]
        if not fresh and not facts.counts and not facts.dates:
            if finer:  # "The bomb exploded in the Olaya neighborhood": where the event told went off
                _refine_place(last, event_places(facts.places, facts.text, facts.start, gazetteer, country_hint), facts)
            if last is not None and facts.actors:
                # "The attack was carried out by FMLN urban commandos": who did the incident just told
                last.take_roles(*assign_roles(doc, sent, real, facts.actors))
            continue
        perp, target = assign_roles(doc, sent, real, facts.actors)
        event_type, sub_event_type, rank = _event_type(real, perp, target, has_killed)
        places = event_places(facts.places, facts.text, facts.start, gazetteer, country_hint)
        dates = _dates_of_main_event(doc, real, facts.dates)
        killed, killed_more = _sentence_count(facts.counts, "killed")
        if killed is None and not any(c.kind == "killed" for c in facts.counts):
            killed = _named_victim(doc, real)
        injured, injured_more = _sentence_count(facts.counts, "injured")
        detained, detained_more = _sentence_count(facts.counts, "detained")
        more = (killed_more, injured_more, detained_more)
        separate = separate_event_places(facts.places, facts.text, facts.start, gazetteer, country_hint) \
            if len(places) == 1 else None
        own_counts: list[tuple[Quantity | None, Quantity | None, Quantity | None]] | None = None
        if separate:
            places = [p for p, _, _ in separate]
            own_counts = []
            for _, start, end in separate:
                mine = [c for c in facts.counts if start <= c.start < end]
                own_counts.append(tuple(_sentence_count(mine, kind)[0] for kind in ("killed", "injured", "detained")))
        if not places or all(p.precision == "country" for p in places) and not (facts.dates or killed):
            newer_scene = scene is not None and (last is None or scene.start > last.candidate.char_start) \
                and (bool(facts.counts) or _has_action_verb(doc, fresh)) and facts.start - scene.end < SCENE_REACH_CHARS
            other_day = last is not None and not newer_scene and facts.dates and \
                last.candidate.date_precision == "day" and \
                resolve_event_interval(facts.dates)[0] not in (None, last.candidate.event_date)
            if other_day:
                if not (fresh and _has_action_verb(doc, fresh) and last.candidate.place is not None):
                    continue
                # "Judge Diaz was assassinated in Medellin on 28 July; magistrate Espinoza was
                # killed on 1 November": another event on another day, where the last one was.
                places = [last.candidate.place]
            elif last is not None and not newer_scene:
                # A detail of the incident told just before: enrich it.
                last.absorb(_split(killed, last.split_into, 0), injured, detained, more,
                            (event_type, sub_event_type, rank), perp, target)
                if facts.dates:
                    _refine_date(last.candidate, resolve_event_interval(facts.dates))
                continue
            elif newer_scene:
                # The event happened where the report last set the scene.
                places = event_places(scene.places, scene.text, scene.start, gazetteer, country_hint)
                dates = dates or scene.dates
            elif fresh and (facts.counts or facts.dates or _has_action_verb(doc, fresh)):
                # The article's first event names no place of its own: code it where the report set
                # the scene, else where a local report was filed, else at country level.
                if scene:
                    places = event_places(scene.places, scene.text, scene.start, gazetteer, country_hint)
                else:
                    places = places or _country_place(gazetteer, country_hint)
            else:
                continue
            if not places:
                continue
        guessed = bool(places) and all(p.precision == "country" for p in places)
        if home is not None and places and all(p.precision == "country" and p.country_iso3 == home.country_iso3
                                               for p in places):
            places = [home]  # a local report placing its event only in the country: where it was filed
        if finer:
            scene = facts
        if dates:
            event_date, date_start, date_end, precision = resolve_event_interval(dates, near=real[0].start)
        else:
            event_date, date_start, date_end, precision = _undated_interval(
                facts.text, published, last.candidate if last else None, report_dated)
        for i, place in enumerate(places):
            k_i, inj_i, det_i = own_counts[i] if own_counts else (
                _split(killed, len(places), i), _split(injured, len(places), i), _split(detained, len(places), i))
            key = (_place_key(place), event_date, date_start, date_end)
            same = next((o for o in opened if (_place_key(o.candidate.place), o.candidate.event_date,
                                                o.candidate.date_start, o.candidate.date_end) == key), None)
            if same is None and len(places) == 1:
                same = next((o for o in opened if o.split_into == 1 and (_nested(o.candidate.place, place) or (
                    o is last and _unknown_district_of(place, o.candidate.place)))
                             and (o.candidate.event_date, o.candidate.date_start, o.candidate.date_end)
                             == (event_date, date_start, date_end)), None)
                if same is not None and _finer(place, same.candidate.place):
                    if place.admin1 is None:  # a district the gazetteer does not know, in the known province
                        place = replace(place, admin1=same.candidate.place.admin1,
                                        latitude=same.candidate.place.latitude,
                                        longitude=same.candidate.place.longitude)
                    same.candidate.place = place  # "in Wardak province" then "in Sayed Abad district"
            if same is not None:
                same.absorb(k_i, inj_i, det_i, more, (event_type, sub_event_type, rank), perp, target)
                last = same
                continue
            confidence = 0.45 + 0.15 * (place.precision in ("point", "admin2", "admin1")) \
                + 0.15 * (precision == "day") + 0.1 * (k_i is not None) + 0.1 * (perp is not None)
            candidate = IncidentCandidate(
                article_id=article_id, char_start=facts.start, char_end=facts.end, quote=facts.text,
                event_type=event_type, sub_event_type=sub_event_type, event_date=event_date,
                date_start=date_start, date_end=date_end, date_precision=precision, place=place,
                fatalities=k_i, injured=inj_i, detained=det_i,
                perpetrator_actor_id=perp.actor_id if perp else None,
                target_actor_id=target.actor_id if target else None,
                confidence=round(min(confidence, 0.95), 2),
            )
            last = _Open(candidate, rank, split_into=len(places), place_guessed=guessed)
            opened.append(last)
    _name_the_article_group(opened, sentences)
    return [o.candidate for o in opened]


_BLAME = re.compile(r"\b(?:blam(?:ed|es|ing)|accus(?:ed|es|ing)|attribut(?:ed|es)|responsib(?:le|ility)|"
                    r"claim(?:ed|s)|perpetrated|carried out|committed)\b", re.I)


def _dates_of_main_event(doc: Doc, real: list[Trigger], dates: list) -> list:
    """The sentence's dates less those of an earlier event told in a relative clause.

    "The first bomb exploded at a building, the area where 50 kg of dynamite exploded 3 months
    ago": the relative clause has its own trigger and hangs off another noun, so its date is not
    the first bomb's. "The attack, which took place yesterday" keeps its date (the clause is about
    the trigger itself).
    """
    main = _token_at(doc, real[0].start)
    if main is None or not dates or is_anaphoric(doc, real[0]):
        return dates  # "The attacks are part of operations that began July 25": the clause is the news
    kept = []
    for d in dates:
        tok = _token_at(doc, d.start)
        clause = next((a for a in ([tok, *tok.ancestors] if tok is not None else []) if a.dep_ == "relcl"), None)
        if clause is not None and not clause.left_edge.i <= main.i <= clause.right_edge.i \
                and clause.head.i != main.i and any(
                    clause.left_edge.idx <= t.start < clause.right_edge.idx + len(clause.right_edge) for t in real[1:]):
            continue
        kept.append(d)
    return kept


def _name_the_article_group(opened: list[_Open], sentences: list[SentenceFacts]) -> None:
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
    for o in opened:
        c = o.candidate
        unnamed = c.perpetrator_actor_id is None or c.perpetrator_actor_id.startswith("unidentified-")
        if unnamed and c.event_type in VIOLENT_EVENT_TYPES and c.target_actor_id != group:
            c.perpetrator_actor_id = group
            c.confidence = round(max(c.confidence - 0.1, 0.3), 2)
