"""Event mentions: the words that tell of an event, and whether a mention tells a real one.

What belongs here: the trigger lexicon (``data/event_lexicon.yaml``), finding triggers in a
sentence, and the tests that keep threats, plans, denials, hypotheticals, habits, roles ("the
leader directs attacks"), anaphoric references ("these strikes") and records ("has killed several")
from opening an event. What does not: walking an article's sentences (``events``), combining
mentions into events (``document_events``), roles (``event_roles``), places (``event_places``)
or tolls (``tolls``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml
from spacy.tokens import Doc, Span, Token

from pipeline.config import DATA_DIR
from pipeline.extraction.nlp import doc_text
from pipeline.extraction.records import (
    ActorMention,
    CountMention,
    DateMention,
    PlaceMention,
)

_COUNT_HINT = re.compile(r"\b(?:killed|killing|dead|died|wounded|injured|detained|captured|arrested)\b", re.I)
# Headline verbs the model reads as nouns ("Blast rocks bus station"): the trigger before them is
# their subject, not a modifier.
_HEADLINE_VERBS = frozenset({"rocks", "hits", "kills", "strikes", "targets", "wounds", "injures", "leaves",
                             "claims", "destroys", "damages", "shakes", "tears", "rips", "levels"})
_POSSESSIVE_PRONOUNS = frozenset({"their", "its", "his", "her"})
_FEARED_TOLL = re.compile(r"\b(?:are|were|is|was|now)?\s*feared\s+(?:to (?:be|have been)\s+)?$", re.I)


@dataclass(frozen=True)
class TriggerRule:
    pattern: re.Pattern
    event_type: str
    sub_event_type: str
    rank: int
    noun: bool
    device: bool = False  # a weapon noun: an event only when it explodes, strikes or kills
    sides: bool = False  # "X vs Y": an event only between two armed parties named in the sentence
    damage: bool = False  # arson or looting: a riot's deed, but armed men's too, so it tells no crowd


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
                    int(t["rank"]), bool(t.get("noun")), bool(t.get("device")), bool(t.get("sides")),
                    bool(t.get("damage")))
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



def token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _clause_words(doc: Doc, trigger: Trigger, sent: Span) -> list[str]:
    """Lower-cased words that govern the trigger: its auxiliaries/negations and the words just before it."""
    tok = token_at(doc, trigger.start)
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


def is_habitual(sent: Span | None) -> bool:
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
    tok = token_at(doc, trigger.start)
    if tok is None or not trigger.rule.noun:
        return False
    head = phrase_head(token_at(doc, trigger.end - 1) or tok)
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
        local = doc_text(doc)[max(sent.start_char, trigger.start - 50): min(sent.end_char, trigger.end + 50)]
        if not lex.device_event.search(sentence_text) or lex.device_non_event.search(local):
            return False
    tok = token_at(doc, trigger.start)
    last_tok = token_at(doc, trigger.end - 1)
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
    if _FEARED_TOLL.search(doc_text(doc)[max(sent.start_char, trigger.start - 40): trigger.start]):
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


def is_present_perfect(doc: Doc, trigger: Trigger) -> bool:
    """'The group has killed several people': a record, not an event, unless a date or a figure pins it."""
    tok = token_at(doc, trigger.start)
    if tok is None or tok.tag_ != "VBN":
        return False
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("has", "have") for c in tok.children)


def has_action_verb(doc: Doc, triggers: list[Trigger]) -> bool:
    """A trigger used as a past-tense verb ("detained", "clashed") tells an event, not a topic."""
    for t in triggers:
        tok = token_at(doc, t.start)
        if tok is not None and tok.tag_ in ("VBD", "VBN"):
            return True
    return False


def is_anaphoric(doc: Doc, trigger: Trigger, told_before: bool = True) -> bool:
    """'these strikes', 'the attack': a reference back to an event told elsewhere.

    Before any event of the article has been told, neither a bare "the" ("The clashes renew in the
    countryside of Aleppo" opens a headline) nor the subject's own "their"/"its" ("warplanes continue
    their raids") can point back; demonstratives and other possessives still do.
    """
    tok = token_at(doc, trigger.start)
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


def phrase_head(tok: Token) -> Token:
    while tok.dep_ in ("compound", "amod", "poss", "nmod", "appos", "det", "case", "npadvmod") and tok.head.i != tok.i:
        tok = tok.head
    return tok


