"""Casualty and detention tolls of an event: one sentence's figures and how later ones combine.

What belongs here: summing distinct figures of a sentence, not counting a restated toll twice,
"two additional" adding to a toll, a named victim as one death, and a total divided over places.
What does not: reading number phrases (``numbers``).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from pipeline.extraction.event_mentions import Trigger, token_at
from pipeline.extraction.nlp import OFFICE_TITLES, PERSON_TITLES
from pipeline.extraction.numbers import LIST_JOIN, OF_COMPANIONS
from pipeline.extraction.records import (
    CountMention,
    Quantity,
)

# "the second facilitator" is one of those already counted; "a second bomb" is another.
_CUE_ADDITIONAL = re.compile(r"\b(additional|another|more|other|others|also|(?<!the )(?:second|third)|further|separate)\b",
                             re.I)


def combine_tolls(prior: Quantity | None, new: Quantity | None, additional: bool) -> Quantity | None:
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


def named_victim(doc: Doc, triggers: list[Trigger]) -> Quantity | None:
    """'Judge Carlos Valencia Garcia died', 'Corporal Oswaldo Palomino was shot to death', 'gunmen
    killed Angela de Guerrero': one named person is the victim of the killing verb (subject of a
    passive or of "died", object of an active verb) — one death (weak: a later toll may include him)."""
    for t in triggers:
        tok = token_at(doc, t.start)
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


def sentence_count(counts: list[CountMention], kind: str) -> tuple[Quantity | None, bool]:
    """One sentence's count of a kind: distinct figures summed, repeats dropped."""
    mentions = [c for c in counts if c.kind == kind]
    if not mentions:
        return None, False
    total: Quantity | None = None
    for c in mentions:
        total = combine_tolls(total, c.quantity, additional=total is not None and _adds_to_earlier(c.text))
    return total, any(_adds_to_earlier(c.text) for c in mentions)


def _adds_to_earlier(mention_text: str) -> bool:
    """'An additional suspect was detained' adds to a toll told before; 'the leader and two
    additional suspects' only says how one toll is made up, and may restate it."""
    first = LIST_JOIN.split(mention_text, maxsplit=1)[0]
    return _CUE_ADDITIONAL.search(first) is not None or OF_COMPANIONS.search(first) is not None


def split_toll(q: Quantity | None, n: int, i: int) -> Quantity | None:
    """A total reported over n places, divided evenly (remainder to the first places)."""
    if q is None or n == 1:
        return q

    def part(v):
        return None if v is None else v // n + (1 if i < v % n else 0)

    return Quantity(part(q.low), part(q.best), part(q.high), f"{q.phrase} (total over {n} places)")


