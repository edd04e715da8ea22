"""Casualty and detention tolls of an event: which figure is the event's best-supported toll.

What belongs here: how one sentence's figures make its toll (distinct groups counted beside each
other add up, a repeat counts once), how the figures of several sentences and mentions of one
event combine (``combine_tolls``, ``one_toll``: the latest, higher update wins; "two more" adds; the
event's own count outranks a figure of several events together, a part of its toll and a differing
estimate only some sources give), when two tolls tell two events (``tolls_disagree``), a named
victim as one death, and a total divided over places.
What does not: reading number phrases and how the text stands behind a figure (``numbers``).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from pipeline.extraction.event_mentions import Trigger, token_at
from pipeline.extraction.nlp import OFFICE_TITLES, PERSON_TITLES
from pipeline.extraction.numbers import LIST_JOIN, OF_COMPANIONS, is_vague
from pipeline.extraction.records import (
    CountMention,
    IncidentCandidate,
    Quantity,
)

# "the second facilitator" is one of those already counted; "a second bomb" is another. "The
# attackers subsequently murdered a woman": a further act, further victims (but "she was
# subsequently killed" tells how one already counted died).
_CUE_ADDITIONAL = re.compile(r"\b(additional|another|more(?!\s+than)|other|others|also|(?<!the )(?:second|third)|further|separate)\b"
                             r"|^(?:then|subsequently|afterwards)\b", re.I)


def _add(a: Quantity, b: Quantity) -> Quantity:
    def plus(x, y):
        return None if x is None and y is None else (x or 0) + (y or 0)
    standing = a.standing if a.standing == b.standing else "told"
    return Quantity(plus(a.low, b.low), plus(a.best, b.best), plus(a.high, b.high), f"{a.phrase}; {b.phrase}", standing)


def combine_tolls(prior: Quantity | None, new: Quantity | None, additional: bool) -> Quantity | None:
    """Two figures of one event's toll, ``new`` told after ``prior``.

    The event's own count outranks a figure of several events together ("a month after two assaults
    killed 40") and a part of its toll ("in one case, ... killing a civilian"); "two more" adds to
    the toll before it; a differing estimate only some sources give ("some officials put the toll at
    30") never raises the event's count, the lower of the two stands (ACLED codes the most
    conservative of conflicting reports); otherwise a repeated toll is not double counted and the
    higher figure, the update ("the toll has risen to 31"), wins. (Taking the lower of any two
    differing figures was tried: ISAF fatalities fell from 0.885 to 0.811, its press releases
    restate a toll in parts.)
    """
    if new is None:
        return prior
    if prior is None:
        return new
    for lesser in ("aggregate", "part"):
        if (prior.standing == lesser) != (new.standing == lesser):
            return prior if new.standing == lesser else new
    if additional:
        return _add(prior, new)
    if "estimate" in (prior.standing, new.standing) and prior.standing != new.standing:
        return new if (new.best or 0) < (prior.best or 0) else prior
    return new if (new.best or 0) > (prior.best or 0) else prior


_TOLL_UPDATE = re.compile(r"\b(?:toll|risen|rose|climbed|has climbed|increased|now stands|updated|revised)\b", re.I)


def tolls_disagree(a: IncidentCandidate, b: IncidentCandidate, far_apart: bool = False) -> bool:
    """Two different tolls (with ``far_apart``, more than twice and 3 apart), neither told as an
    update of the other nor as a part of a toll ("in one case, ... killing a civilian"): two events
    ("fifteen soldiers were killed Friday ... a month after two assaults killed 40 soldiers")."""
    x, y = a.fatalities, b.fatalities
    if x is None or y is None or x.best is None or y.best is None or x.best == y.best:
        return False
    if "part" in (x.standing, y.standing):
        return False
    if far_apart and not x.far_from(y):
        return False
    return not (_TOLL_UPDATE.search(a.quote) or _TOLL_UPDATE.search(b.quote))


def one_toll(mine: Quantity | None, theirs: Quantity | None, additional: bool) -> Quantity | None:
    """Two mentions of one event (a lead and the operation's own paragraph): a figure the text
    states outranks a vague word ("several detained" in a lead, "two suspects were detained"
    later); otherwise as ``combine_tolls``."""
    if mine is not None and theirs is not None and mine.standing == theirs.standing \
            and is_vague(mine) != is_vague(theirs):
        return theirs if is_vague(mine) else mine
    return combine_tolls(mine, theirs, additional)


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
    """One sentence's count of a kind, and whether it adds to a toll told before ("two more").

    Groups counted beside each other ("three soldiers were killed, and two civilians died") add up,
    so do figures marked as more people; other figures are combined as ``combine_tolls`` does.
    """
    mentions = [c for c in counts if c.kind == kind]
    if not mentions:
        return None, False
    total: Quantity | None = None
    for c in mentions:
        total = combine_tolls(total, c.quantity,
                              additional=total is not None and (c.beside or _adds_to_earlier(c.text)))
    return total, any(_adds_to_earlier(c.text) for c in mentions if not c.beside)


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


