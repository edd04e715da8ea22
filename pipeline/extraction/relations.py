"""Sentences with two or more actors → typed actor–actor relations with evidence spans.

A relation needs a cue phrase (``data/relation_cues.yaml``) between or around two actor
mentions of one sentence. The subject is the actor that governs the cue in the parse (the
clause subject, or the antecedent of a relative clause), else the nearest actor before it; the
objects are the actor after the cue and those coordinated with it. Symmetric types are stored
once per pair, in the order the text states them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import yaml
from spacy.tokens import Doc

from pipeline.config import DATA_DIR
from pipeline.extraction.records import ActorMention, RelationCandidate
from pipeline.schemas import SYMMETRIC_RELATION_TYPES

_COORD = re.compile(r"^\s*(?:,|and|,\s*and|&|as well as|or)\s*(?:the\s+)?$", re.I)


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern
    relation_type: str
    reverse: bool
    subject_type: str | None
    person_anywhere: bool
    object_after: re.Pattern | None


@lru_cache(maxsize=1)
def load_cues() -> tuple[Cue, ...]:
    data = yaml.safe_load((DATA_DIR / "relation_cues.yaml").read_text(encoding="utf-8"))
    return tuple(
        Cue(re.compile(rf"(?<![\w-])(?:{c['pattern']})(?![\w-])", re.I), c["type"], bool(c.get("reverse")),
            c.get("subject_type"), bool(c.get("person_anywhere")),
            re.compile(rf"\b{c['object_after']}\b", re.I) if c.get("object_after") else None)
        for c in data["cues"]
    )


def _coordinated(first: ActorMention, following: list[ActorMention], text: str) -> list[ActorMention]:
    """``first`` and the actors joined to it by 'and', commas or 'as well as'."""
    group = [first]
    for m in following:
        if _COORD.match(text[group[-1].end: m.start]):
            group.append(m)
        else:
            break
    return group


def _preceding_group(before: list[ActorMention], text: str) -> list[ActorMention]:
    """The nearest actor before the cue and those coordinated with it ("Russian and Chinese")."""
    if not before:
        return []
    group = [before[-1]]
    for m in reversed(before[:-1]):
        if _COORD.match(text[m.end: group[0].start]):
            group.insert(0, m)
        else:
            break
    return group


def _governing_actors(doc: Doc, cue_start: int, actors: list[ActorMention]) -> list[ActorMention]:
    """Actors that govern the cue: a relative clause's antecedent, else the clause subject."""
    span = doc.char_span(cue_start, cue_start + 1, alignment_mode="expand")
    if span is None:
        return []
    node = span[0]
    for _ in range(8):
        if node.dep_ == "relcl":
            ante = node.head
            found = [m for m in actors if m.start <= ante.idx < m.end or
                     any(m.start <= t.idx < m.end for t in ante.subtree if t.i < node.i)]
            if found:
                return found[-1:]
        subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            lo = min(t.idx for t in subj[0].subtree)
            hi = max(t.idx + len(t) for t in subj[0].subtree)
            found = [m for m in actors if m.start >= lo and m.end <= hi]
            if found:
                return found
        if node.head.i == node.i:
            break
        node = node.head
    return []


def _relations_in_sentence(doc: Doc, body: str, start: int, end: int, actors: list[ActorMention]
                           ) -> list[tuple[ActorMention, str, ActorMention, float]]:
    text = body[start:end]
    found = []
    taken: list[tuple[int, int]] = []  # a cue span used by an earlier (more specific) cue
    for cue in load_cues():
        for m in cue.pattern.finditer(text):
            cs, ce = start + m.start(), start + m.end()
            if any(cs < e and s < ce for s, e in taken):
                continue
            taken.append((cs, ce))
            before = [a for a in actors if a.end <= cs]
            after = [a for a in actors if a.start >= ce]
            if cue.object_after is not None:
                inc = cue.object_after.search(body, ce, end)
                if inc and after:
                    container = after[0]
                    members = [a for a in after if a.start >= inc.end()]
                    if members:
                        for mem in _coordinated(members[0], members[1:], body):
                            if mem.actor_id != container.actor_id:
                                found.append((mem, cue.relation_type, container, 0.7))
                        continue
            if len(after) > 1 and re.match(r"['\u2019]s\b", body[after[0].end: after[0].end + 3]) \
                    and after[1].start - after[0].end < 6:
                after = after[1:]  # "the head of Pakistan's ISI": the possessor is not the object
            if not after:
                continue
            objects = _coordinated(after[0], after[1:], body)
            if cue.person_anywhere:
                people = [a for a in actors if a.actor_type == "person" and a not in objects]
                orgs = [a for a in objects if a.actor_type != "person"]
                if people and orgs:
                    found.append((people[0], cue.relation_type, orgs[0], 0.7))
                continue
            governing = _governing_actors(doc, cs, actors)
            if cue.relation_type in SYMMETRIC_RELATION_TYPES and len(objects) > 1 and not governing:
                # "meetings between US officials and NRF leaders": the pair is both sides
                for i, a in enumerate(objects):
                    for b in objects[i + 1:]:
                        if a.actor_id != b.actor_id:
                            found.append((a, cue.relation_type, b, 0.6))
                continue
            subjects = governing or _preceding_group(before, body)
            subjects = [s for s in subjects if s not in objects]
            if not subjects:
                continue
            if cue.reverse:
                subjects, objects = objects, subjects
            for s in subjects:
                if cue.subject_type and s.actor_type != cue.subject_type:
                    continue
                for o in objects:
                    if s.actor_id != o.actor_id:
                        found.append((s, cue.relation_type, o, 0.6 if len(text) > 250 else 0.7))
    return found


def detect_relations(article_id: str, doc: Doc, body: str, sentences, published: date | None
                     ) -> list[RelationCandidate]:
    """One relation per (subject, type, object) per article; symmetric pairs stored once."""
    out: dict[tuple, RelationCandidate] = {}
    for facts in sentences:
        if len({a.actor_id for a in facts.actors}) < 2:
            continue
        for s, rtype, o, conf in _relations_in_sentence(doc, body, facts.start, facts.end, facts.actors):
            key = (s.actor_id, rtype, o.actor_id)
            if rtype in SYMMETRIC_RELATION_TYPES and (o.actor_id, rtype, s.actor_id) in out:
                continue
            if key not in out:
                out[key] = RelationCandidate(s.actor_id, rtype, o.actor_id, article_id, facts.start, facts.end,
                                             facts.text, published, conf)
    return list(out.values())
