"""Sentences with two or more actors → typed actor–actor relations with evidence spans.

Three readers, all configured from ``data/relation_cues.yaml``:

* cues — a verb, relational noun or preposition links the actor(s) governing it in the parse
  (the clause subject, or the antecedent of a relative clause) to the actor(s) it governs:
  "X clashed with Y", "Y, led by X", "X's support for Y". Coordinated subjects acting on a third
  party act together ("the UK and Iraq are committed to defeating ISIL": allies).
* roles — a person beside an organisation or state with a role word between them leads it or
  belongs to it: "Iraqi Foreign Minister Ibrahim al-Jaafari", "Nadeem Anjum, the head of the ISI",
  "the former leader of al-Qaeda in Iraq, Abu Musab al-Zarqawi".
* compounds — "Iran-backed Houthis", "anti-Pakistan TTP", "the Iran-Iraq war" (each opposes the
  other), and possessives between two actors ("DFAT's Middle East Branch" is part of DFAT,
  "Assad's regime" is led by Assad).

The only pronoun read is a quoted "I" after "X said:" (in the same sentence, or in the paragraph
right below a line ending with it), which is X. Denied or supposed cues ("denied supporting",
"could attack") relate nobody. What does not belong here: other pronoun or description coreference ("the group", "they", "we"), places (co-location is not
an actor relation) and finding the actor mentions themselves (``actors``).
Symmetric types are stored once per pair, in the order the text states them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import yaml
from spacy.tokens import Doc

from pipeline.config import DATA_DIR
from pipeline.extraction.nlp import doc_text
from pipeline.extraction.records import ActorMention, RelationCandidate
from pipeline.schemas import SYMMETRIC_RELATION_TYPES

_COORD = re.compile(r"^\s*(?:,|and|,\s*and|&|as well as|or)\s*(?:the\s+)?$", re.I)
_JOINED = re.compile(r"^\s*(?:,|and|,\s*and|&|as well as)\s*(?:(?:the|its|their|our|other)\s+)?(?:[a-z][\w-]*\s+){0,2}$",
                     re.I)
_BETWEEN = re.compile(r"\b(?:between|among)\s*$", re.I)
_NEGATED = re.compile(
    r"\b(?:not|n['\u2019]t|never|no longer|refus\w*|unwilling\w*|reluctan\w*|inability|fail\w*|"
    r"cease|stop|halt|end|prevent|avoid|without)"
    r"(?:\s+\w+){0,3}\s*$",
    re.I,
)
_NOT_RELATED = frozenset({"civilians"})  # victims and bystanders lead, join and ally with nobody
_SMALL = frozenset("of for the and in on at to with".split())
_SPEAKER = frozenset("our my your".split())
_PARTICIPLE_GAP = re.compile(r"^[\s)\]]*,\s*(?:[\w-]+\s+){0,5}$")
_PAIR_CONFLICT = re.compile(r"\s+(?:(?:border|frontier)\s+)?(?:wars?|conflicts?|clashes|hostilities|fighting)\b", re.I)
_TARGET_PREPS = frozenset({"against", "on", "upon", "at", "toward", "towards"})
_FOR_TALKS = re.compile(r"\bfor (?:talks|(?:a )?meetings?|discussions|consultations|negotiations)\b", re.I)
_MODIFIER_PREFIX = re.compile(r"\b(?:anti|pro|non)[-\u2010\u2011]$", re.I)
_GENERIC_STATE = re.compile(r"(?:government|military-forces|police-forces)-")


@dataclass(frozen=True)
class Cue:
    pattern: re.Pattern
    relation_type: str
    reverse: bool
    subject_type: str | None
    object_type: str | None
    person_anywhere: bool
    object_after: re.Pattern | None
    verb: bool
    joint: bool  # only coordinated subjects relate ("X and Y announced ..."), never subject to object


@dataclass(frozen=True)
class Lexicon:
    cues: tuple[Cue, ...]
    role: re.Pattern  # one role word; group "head" when it is a head title
    role_words: frozenset[str]  # every word that may appear inside a role phrase
    subordinate: frozenset[str]
    suffix: dict[str, str]  # "backed" -> supports ("Iran-backed X": Iran supports X)
    prefix: dict[str, str]  # "anti" -> opposes ("anti-Pakistan X": X opposes Pakistan)
    light_verb: re.Pattern  # verbs whose object noun takes their subject as agent
    not_asserted: re.Pattern  # a denial or hypothetical just before a cue ("denied supporting")


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    data = yaml.safe_load((DATA_DIR / "relation_cues.yaml").read_text(encoding="utf-8"))
    cues = tuple(
        Cue(re.compile(rf"(?<![\w-])(?:{c['pattern']})(?![\w-])", re.I), c["type"], bool(c.get("reverse")),
            c.get("subject_type"), c.get("object_type"), bool(c.get("person_anywhere")),
            re.compile(rf"\b{c['object_after']}\b", re.I) if c.get("object_after") else None, bool(c.get("verb")),
            bool(c.get("joint")))
        for c in data["cues"]
    )
    roles = data["roles"]
    head, member = roles["head"], roles["member"]
    role = re.compile(rf"(?<![\w-])(?:(?P<head>{_alternation(head)})|{_alternation(member)})(?![\w-])", re.I)
    words = {w.lower() for phrase in (*head, *member, *roles["subordinate"]) for w in re.split(r"[\s]+", phrase)}
    suffix = {w: t for t, ws in data["compounds"]["suffix"].items() for w in ws}
    prefix = {w: t for t, ws in data["compounds"]["prefix"].items() for w in ws}
    light = re.compile(rf"(?:{_alternation(data['light_verbs'])})", re.I)
    unreal = "|".join(p for ps in data["not_asserted"].values() for p in ps)
    not_asserted = re.compile(rf"\b(?:{unreal})(?:\s+[\w'\u2019-]+){{0,3}}\s*$", re.I)
    return Lexicon(cues, role, frozenset(words), frozenset(roles["subordinate"]), suffix, prefix, light,
                   not_asserted)


def load_cues() -> tuple[Cue, ...]:
    return load_lexicon().cues


# ----------------------------------------------------------------------------- cue reader
def _root(doc: Doc | None, m: ActorMention):
    span = doc.char_span(m.start, m.end, alignment_mode="expand") if doc is not None else None
    return span.root if span is not None else None


def _coordinated(first: ActorMention, following: list[ActorMention], text: str, doc: Doc | None = None
                 ) -> list[ActorMention]:
    """``first`` and the actors joined to it by 'and', commas or 'as well as'.

    With a parse, a comma-joined actor must be a conjunct of the group in the tree: in "X, led
    by Y, and Z" Z is coordinated with X, not with Y.
    """
    group = [first]
    for m in following:
        gap = text[group[-1].end: m.start]
        if not _COORD.match(gap):
            break
        root = _root(doc, m)
        if root is not None and "," in gap and not (
                root.dep_ == "conj" and any(g.start <= root.head.idx < g.end for g in group)):
            break
        group.append(m)
    return group


def _conjuncts(doc: Doc, first: ActorMention, following: list[ActorMention]) -> list[ActorMention]:
    """``first`` and the later actors the parse coordinates with it ("between the Federal
    Government of Iraq, led by ..., and the Kurdistan Regional Government")."""
    root = _root(doc, first)
    if root is None:
        return []
    group = [first]
    for m in following:
        r = _root(doc, m)
        if r is not None and r.dep_ == "conj" and any(g.start <= r.head.idx < g.end for g in group):
            group.append(m)
    return group if len(group) > 1 else []


def _and_pair(after: list[ActorMention], body: str) -> list[ActorMention]:
    """"between X, led by Z, and Y": X and the first actor that follows an 'and' (parse-free)."""
    for prev, m in zip(after, after[1:], strict=False):
        if re.search(r"\band\s+(?:the\s+)?$", body[prev.end:m.start]):
            return [after[0], m] if m.actor_id != after[0].actor_id else []
    return []


def _preceding_group(before: list[ActorMention], text: str, doc: Doc | None = None) -> list[ActorMention]:
    """The nearest actor before the cue and those coordinated with it ("Russian and Chinese")."""
    if not before:
        return []
    group = [before[-1]]
    for m in reversed(before[:-1]):
        gap = text[m.end: group[0].start]
        if not _COORD.match(gap):
            break
        root = _root(doc, group[0])
        if root is not None and "," in gap and not (root.dep_ == "conj" and m.start <= root.head.idx < m.end):
            break  # "Haider Al Abadi, and the Kurdistan Regional Government, represented by"
        group.insert(0, m)
    return group


_CORE_DEPS = frozenset({"compound", "appos", "conj", "cc", "poss", "flat", "det", "amod", "nmod", "punct",
                        "nummod", "case"})


_PARTITIVE = frozenset("thousands hundreds dozens scores millions tens many some most all several members "
                       "number numbers group groups".split())


def _core(tok) -> list:
    """A token and the rest of its noun phrase core: compounds, possessors, appositions, conjuncts,
    and what a quantity counts ("thousands of Syrians")."""
    out, stack = [tok], [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ == "conj" and _after_agent_phrase(t, c):
                continue  # "members of militias trained by the US, the CIA and NATO": agents, not members
            if c.dep_ in _CORE_DEPS or c.dep_ == "prep" and c.lower_ == "of" and (
                    t.lower_ in _PARTITIVE or t.pos_ == "NUM"):
                out.append(c)
                stack.append(c)
            elif c.dep_ == "pobj" and t.dep_ == "prep" and t in out[1:]:
                out.append(c)
                stack.append(c)
    return out


def _after_agent_phrase(head, conj) -> bool:
    """``conj`` follows a participle of ``head`` that has a by-agent: the parser hung the rest of
    the agent list on the noun ("members of groups trained by the US, the CIA and NATO")."""
    return any(c.dep_ in ("acl", "relcl") and c.i < conj.i and any(g.dep_ == "agent" for g in c.children)
               for c in head.children)


def _in_agent_list(m: ActorMention, actors: list[ActorMention], text: str) -> bool:
    """``m`` is one of a list of actors that a "by" introduces ("fighters of units trained by the
    US, the British SAS and NATO have joined ISIS-K"): agents of the participle, never the subject
    of the clause, however the parser coordinated them."""
    first = m
    for prev in sorted((a for a in actors if a.end <= m.start), key=lambda a: -a.end):
        gap = text[prev.end:first.start]
        if not (_JOINED.match(gap.lstrip(")]")) or prev.actor_id == first.actor_id and re.fullmatch(r"\s*\(\s*", gap)):
            break
        first = prev
    return first is not m and bool(re.search(r"\bby\s+(?:the\s+)?$", text[max(0, first.start - 12):first.start]))


def _actors_at(tokens, actors: list[ActorMention]) -> list[ActorMention]:
    starts = [t.idx for t in tokens]
    return [m for m in actors if any(m.start <= i < m.end for i in starts)]


def _conj_top(tok):
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _modifies_a_thing(doc: Doc, m: ActorMention, actors: list[ActorMention], noun=None) -> bool:
    """``m`` only modifies a noun that is no actor, other than ``noun``: "Syria sanctions listings"."""
    root = _root(doc, m)
    if root is None or root.dep_ not in ("compound", "amod", "nmod") or root.head.i == root.i \
            or noun is not None and root.head.i == noun.i:
        return False
    return root.head.pos_ in ("NOUN", "PROPN") and not any(a.start <= root.head.idx < a.end for a in actors)


def _claimants(noun, actors: list[ActorMention]) -> list[ActorMention]:
    """Who claimed an event noun: "attacks, also claimed by Da'esh, killed ..." -> Da'esh."""
    for c in noun.children:
        if c.dep_ == "acl" and c.lower_.startswith("claim"):
            return _agents(c, actors)
    return []


def _agents(verb, actors: list[ActorMention]) -> list[ActorMention]:
    return [a for agent in verb.children if agent.dep_ == "agent" for t in agent.children
            for a in _actors_at(_core(t), actors)]


def _misparsed_claimants(verb, came_from, actors: list[ActorMention]) -> list[ActorMention]:
    """"attacks, also claimed by Da'esh, have killed ...": parsed as "attacks claimed", with
    "have killed" hung on it as a conjunct; the claimants are still who killed."""
    if verb.tag_ == "VBN" and verb.lower_.startswith("claim") and came_from is not None \
            and came_from.dep_ == "conj" and came_from.head.i == verb.i:
        return _agents(verb, actors)
    return []


def _relative_antecedent(text: str, pronoun_at: int, actors: list[ActorMention]) -> list[ActorMention]:
    """The actor a relative pronoun refers to: the nearest one the relative clause follows
    ("the Haqqanis, who control the Ministry of Interior and whose ties with ...")."""
    for a in sorted((a for a in actors if a.end <= pronoun_at), key=lambda a: -a.end):
        gap = text[a.end:pronoun_at]
        if re.match(r"\s*,?\s*$", gap) or re.match(r"\s*,\s*(?:who|whose|which)\b", gap):
            return [a]
    return []


_SAID = re.compile(r"\b(?:said|says|stated|added|declared)\s*(?::|,?\s*[\"\u201c\u2018'])\s*$", re.I)
_SAYER_GAP = re.compile(r"\s*(?:,(?:[^.;!?,'\u2019]{0,60},)?)?\s*")  # "Jane Doe, Minister for X, said"


def _speaker(text: str, pronoun, actors: list[ActorMention], quoted: ActorMention | None = None
             ) -> list[ActorMention]:
    """The person a first-person "I" quotes: "The Foreign Secretary, Jane Doe, said: I condemn ..."
    (the subject of the reporting verb, at most a title apart, in the same sentence), else the
    person whose "said:" ends the line before (``quoted``); else nobody."""
    if pronoun.lower_ != "i":
        return []
    people = [a for a in actors if a.end <= pronoun.idx and a.actor_type == "person"]
    said = _SAID.search(text, people[-1].end, pronoun.idx) if people else None
    if said and _SAYER_GAP.fullmatch(text, people[-1].end, said.start()):
        return people[-1:]
    return [quoted] if quoted is not None else []


_SAID_LINE = re.compile(r"\b(?:said|says|stated|added|declared)\s*:\s*$", re.I)


def _quoted_speaker(body: str, start: int, actors: list[ActorMention]) -> ActorMention | None:
    """The person whose "X said:" ends the line before the one at ``start``: the paragraph after it
    is X's words ("The Foreign Secretary, Jane Doe, said:" then "I condemn ..." below). X must be
    the reporting verb's subject, at most a title apart ("after meeting Jane Doe, a spokesman
    said:" quotes the spokesman)."""
    line_start = body.rfind("\n", 0, start) + 1
    above = body[:line_start].rstrip()
    prev_start = above.rfind("\n") + 1
    said = _SAID_LINE.search(above, prev_start) if line_start else None
    if said is None:
        return None
    people = [a for a in actors if prev_start <= a.start and a.end <= said.start() and a.actor_type == "person"]
    if people and _SAYER_GAP.fullmatch(above, people[-1].end, said.start()):
        return people[-1]
    return None


def _apposed_actors(noun, actors: list[ActorMention]) -> list[ActorMention]:
    """The actors set beside a cue noun as its apposition, who are what it describes: "the head
    of the ISI, Nadeem Anjum, met ..." is said of Anjum, not of the clause around it."""
    if noun.pos_ != "NOUN":
        return []
    return [a for c in noun.children if c.dep_ == "appos" for a in _actors_at(_core(c), actors)]


def _governing_actors(doc: Doc, cue_start: int, actors: list[ActorMention], quoted: ActorMention | None = None
                      ) -> tuple[list[ActorMention] | None, str]:
    """The actors the cue is said of, and how: "subject", "passive", "modifier" or "antecedent".

    Climbing the parse from the cue: a possessive pronoun ("the Iraqi people in their fight
    against ISIL") points to the noun the phrase hangs from; an event noun's own possessor or
    modifier ("the Coalition's strategy to defeat", "coalition operations against"); a clause's
    own subject; a relative or participle clause's antecedent ("the Haqqanis, whose ties with").
    An event noun that is the object of a verb other than a support verb ("condemns attacks
    against civilians") has no agent there. None when the parse shows no subject at all; an
    empty list when the subject is no actor.
    """
    span = doc.char_span(cue_start, cue_start + 1, alignment_mode="expand")
    if span is None:
        return None, ""
    first = node = span[0]
    light = load_lexicon().light_verb
    pron_poss = False
    pronoun = None
    came_from = None
    apposed = _apposed_actors(first, actors)
    if apposed:
        return apposed, "antecedent"
    for _ in range(12):
        if node.i != first.i and pron_poss and node.pos_ in ("NOUN", "PROPN"):
            found = _actors_at(_core(_conj_top(node)), actors) or _beneficiaries(node, actors)
            if found:
                return found, "antecedent"
        own = [t for c in node.children if c.dep_ in ("poss", "compound", "amod", "nmod") and (came_from is None or c.i != came_from.i)
               for t in _core(c)]
        found = [a for a in _actors_at(own, actors) if not _modifies_a_thing(doc, a, actors, node)]
        if found:
            return found, "modifier"
        poss = [c for c in node.children if c.dep_ == "poss" and c.pos_ in ("PRON", "DET")]
        if poss and poss[0].lower_ in _SPEAKER:
            return [], "pronoun"  # "our commitment to combating ...": the speaker, unnamed here
        if poss and poss[0].lower_ == "whose":
            found = _relative_antecedent(doc_text(doc), poss[0].idx, actors)
            if found:
                return found, "antecedent"
        pron_poss = pron_poss or bool(poss)
        pronoun = pronoun or (poss[0].lower_ if poss else None)
        if pron_poss and node.pos_ in ("VERB", "AUX") and came_from is not None and came_from.dep_ == "prep":
            # "the coalition supported the Iraqi forces in their efforts to defeat ISIL": "their" is the
            # object; "its" is no plural common noun ("supported the rebels in its efforts": the coalition's),
            # though a plural name may be ("the Iraqi Security Forces in its efforts")
            found = [a for c in node.children if c.dep_ == "dobj" and c.i < came_from.i
                     and not (pronoun == "its" and c.tag_ == "NNS")
                     for a in _actors_at(_core(c), actors)]
            if found:
                return found, "antecedent"
        subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj and subj[0].tag_ in ("WDT", "WP") and node.dep_ != "relcl":
            found = _relative_antecedent(doc_text(doc), subj[0].idx, actors)
            if found:  # "claimed by Daesh that targeted mourners": misparsed, the pronoun still follows its actor
                return found, "antecedent"
        # a clause whose subject is the cue's own phrase ("violence against X continues, Pakistan said")
        # has no agent beyond that phrase: the climb stops there, never at a reporting verb above
        if subj and subj[0].tag_ not in ("WDT", "WP", "WP$"):
            if subj[0].pos_ == "PRON":
                return _speaker(doc_text(doc), subj[0], actors, quoted), "pronoun"
            passive = subj[0].dep_ == "nsubjpass" or any(c.dep_ == "agent" for c in first.children)
            how = "passive" if passive and node.i == first.i or first.dep_ == "advcl" and first.tag_ == "VBN" else "subject"
            return (_actors_at(_core(subj[0]), actors) or _claimants(subj[0], actors)
                    or _misparsed_claimants(node, came_from, actors)), how
        if node.dep_ == "advcl" and node.tag_ == "VBN" and node.i > 0 and doc[node.i - 1].text == ",":
            nearest = _nearest_clause_subject(node, actors)
            if nearest:  # "residents welcomed news that the Houthis took the port, aided by": the Houthis
                return nearest, "passive" if node.i == first.i else "subject"
        if node.dep_ in ("relcl", "acl") and node.head.i != node.i:
            ante = _conj_top(node.head)
            if node.dep_ == "acl" and node.tag_ == "VBN":
                # "the Government of Iraq, led by ...": the participle describes its head noun only
                found = [a for a in actors if a.start <= node.head.idx < a.end or a.start <= ante.idx < a.end][:1]
                if found:
                    return found, "antecedent"
                if node.i == 0 or doc[node.i - 1].text != ",":
                    return [], ""  # "the individual known for planning attacks": no actor
                nearest = _nearest_clause_subject(node, actors)
                if nearest:  # "news that the rebels took Dabiq from ISIL control, aided by": the rebels
                    return nearest, "passive" if node.i == first.i else "subject"
                came_from, node = ante, ante.head  # "from ISIL control, aided by": on to the clause
                continue
            found = [a for a in _actors_at(_core(ante), actors) if not _modifies_a_thing(doc, a, actors)]
            if not found and ante.dep_ == "attr":  # "the NRF is the only group to have carried out attacks"
                found = [a for c in ante.head.children if c.dep_ == "nsubj" for a in _actors_at(_core(c), actors)]
            if found:
                return (found[-1:] if node.dep_ == "relcl" else found), "antecedent"
            came_from, node = node, ante  # "Daesh claimed attacks which killed ...": on to the antecedent
            continue
        if node.pos_ in ("NOUN", "PROPN") and (node.dep_ == "dobj" or node.dep_ == "conj" and node.head.pos_ == "VERB") \
                and not light.match(node.head.lower_):
            return [], ""  # "condemns the attack ..., and the attacks against ...": a noun hung on the verb is its object
        if node.head.i == node.i:
            break
        came_from, node = node, node.head
    return None, ""


def _nearest_clause_subject(participle, actors: list[ActorMention]) -> list[ActorMention]:
    """The actors subject of the verb nearest before a comma-set participle, which describes that
    clause's subject wherever the parser hung it; nobody when that subject is no actor."""
    for tok in reversed(participle.sent[:participle.i - participle.sent.start]):
        if tok.pos_ == "VERB":
            return [a for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") for a in _actors_at(_core(c), actors)]
    return []


def _beneficiaries(noun, actors: list[ActorMention]) -> list[ActorMention]:
    """The actors a relational noun is for: "support for the Iraqi people in their fight": "their"
    is the people the support is for, not who gives it."""
    return [a for c in noun.children if c.dep_ == "prep" and c.lower_ in ("for", "to", "with")
            for p in c.children if p.dep_ == "pobj" for a in _actors_at(_core(p), actors)]


_ELABORATION = re.compile(r",\s*(?:in particular|particularly|especially|notably|above all)\s+$", re.I)


def _elaborated_cue(body: str, start: int, cue_start: int, cue_text: str) -> int:
    """Where the cue that ", in particular against ISIL" repeats stands ("their fight against terrorism,
    in particular against ISIL"): the repeat is said of the same agent; else the cue itself."""
    if not _ELABORATION.search(body, max(start, cue_start - 30), cue_start):
        return cue_start
    earlier = body.rfind(cue_text, start, cue_start)
    return earlier if earlier >= 0 else cue_start


def _hangs_from(doc: Doc, cue_start: int, cue_end: int, body: str, obj: ActorMention) -> bool:
    """The object depends on the cue in the parse (through no other verb), or directly follows it."""
    span = doc.char_span(obj.start, obj.end, alignment_mode="expand")
    if span is not None:
        preps = 0
        below = span.root
        for tok in span.root.ancestors:
            if cue_start <= tok.idx < cue_end:
                return True
            if tok.lower_ == "by" and tok.head.pos_ == "NOUN" and cue_start <= tok.head.idx < cue_end:
                return False  # "appalled by the attack by the regime": the regime is the attack's agent
            if tok.dep_ == "prep" and tok.lower_ in _TARGET_PREPS and tok.head.pos_ in ("NOUN", "PROPN") \
                    and not cue_start <= tok.head.idx < cue_end \
                    and not any(cue_start <= c.idx < cue_end for c in tok.head.children if c.dep_ == "compound"):
                return False  # "condemns attacks against civilians": the civilians are the attacks' target
            if tok.dep_ == "conj" and cue_start <= tok.head.idx < cue_end and below.dep_ == "dobj":
                return True  # "to kill and injure civilians": coordinated verbs share the object
            below = tok
            if tok.pos_ in ("VERB", "AUX"):
                break
            preps += tok.dep_ in ("prep", "agent", "dative")
            if preps > 1:
                break  # "captured the leader after a tip from villagers": too far down
    gap = body[cue_end:obj.start]
    return len(gap.split()) <= 2 and not re.search(r"[^\w\s'\u2019-]", gap)


def _joint_actors(body: str, cue: Cue, subjects: list[ActorMention], how: str, conf: float) -> list[tuple]:
    """Coordinated clause subjects act together: "the UK and Iraq are committed to defeating ISIL"
    makes allies, "the United States and Iraq signed an agreement" a meeting."""
    rtype = {"attacks": "allied_with", "opposes": "allied_with", "supports": "allied_with",
             "met_with": "met_with"}.get(cue.relation_type)
    subs = sorted(subjects, key=lambda a: a.start)
    if rtype is None or cue.reverse or how not in ("subject", "passive") or len(subs) < 2:
        return []
    gaps = [body[a.end:b.start] for a, b in zip(subs, subs[1:], strict=False)]
    if not all(_JOINED.match(g) for g in gaps) or not re.search(r"\b(?:and|as well as)\b|&", "".join(gaps)):
        return []  # "Gareth Bayley, the UK envoy": an apposition, not two parties
    return [(a, rtype, b, conf) for i, a in enumerate(subs) for b in subs[i + 1:] if a.actor_id != b.actor_id]


def _cue_relations(doc: Doc, body: str, start: int, end: int, actors: list[ActorMention],
                   named: dict | None = None, quoted: ActorMention | None = None) -> list[tuple]:
    """``named`` maps an organisation or state to the people a role phrase names for it ("the
    Iraqi Foreign Minister, Ibrahim al-Jaafari"): meeting the minister is meeting the person.
    ``quoted`` is the person a line of quoted words follows (``_quoted_speaker``)."""
    named = named or {}
    found = []
    taken: list[tuple[int, int]] = [(a.start, a.end) for a in actors]  # cues inside names do not count
    # "anti-Taliban fighters", "pro-Iran militias": the prefixed actor modifies a noun; compounds read it
    actors = [a for a in actors if not _MODIFIER_PREFIX.search(body, max(0, a.start - 6), a.start)]
    for cue in load_cues():
        for m in cue.pattern.finditer(body, start, end):
            cs, ce = m.start(), m.end()
            if any(cs < e and s < ce for s, e in taken):
                continue
            taken.append((cs, ce))
            if _NEGATED.search(body, max(start, cs - 40), cs) \
                    or load_lexicon().not_asserted.search(body, max(start, cs - 40), cs):
                continue
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
            first = next((i for i, a in enumerate(after[:4]) if _hangs_from(doc, cs, ce, body, a)), None)
            governing, how = _governing_actors(doc, _elaborated_cue(body, start, cs, m.group()), actors, quoted)
            if first is None or cue.joint:
                found += _joint_actors(body, cue, governing or [], how, conf=0.5)
                continue
            after = after[first:]
            if len(after) > 1 and _names_possessed(doc, after[0], after[1], body):
                after = after[1:]  # "rejected Maliki's first choice, Mohan al-Freiji": Freiji is rejected
            objects = _coordinated(after[0], after[1:], body, doc)
            objects += [p for o in objects for p in named.get(o, ()) if p not in objects]
            if cue.person_anywhere:  # "Anjum is the head of the ISI"; appositions are the role reader's
                people = [a for a in governing or [] if a.actor_type == "person" and a not in objects]
                orgs = [a for a in objects if a.actor_type != "person"]
                if len({p.actor_id for p in people}) == 1 and orgs:
                    found.append((people[0], cue.relation_type, orgs[0], 0.7))
                continue
            if cue.verb and how == "passive":
                continue  # "Syrians have been killed at the hands of Assad": the agent cue says it
            if cue.relation_type in SYMMETRIC_RELATION_TYPES and (
                    _BETWEEN.search(body, max(start, ce - 12), ce) or _BETWEEN.search(body, cs, ce)):
                objects = _conjuncts(doc, after[0], after[1:]) or (objects if len(objects) > 1 else
                                                                  _and_pair(after, body) or objects)
            if cue.relation_type in SYMMETRIC_RELATION_TYPES and len(objects) > 1 \
                    and (_BETWEEN.search(body, max(start, ce - 12), ce) or _BETWEEN.search(body, cs, ce)):
                # "meetings between US officials and NRF leaders": the pair is both sides
                for i, a in enumerate(objects):
                    for b in objects[i + 1:]:
                        if a.actor_id != b.actor_id:
                            found.append((a, cue.relation_type, b, 0.6))
                continue
            if cue.reverse and before and re.fullmatch(r"[\s)\]]*,\s*", body[before[-1].end:cs]):
                subjects = _preceding_group(before, body, doc)  # "X, led by Y": the participle follows its noun
            elif governing is None and not cue.verb or (
                    cue.reverse and not governing and how != "pronoun" and before
                    and _PARTICIPLE_GAP.match(body[before[-1].end:cs])):
                subjects = _preceding_group(before, body, doc)  # "X, based in ... and led by Y"
            else:
                subjects = governing or []
            subjects = [s for s in subjects if s not in objects and not _in_agent_list(s, actors, body)]
            if not subjects:
                continue
            conf = 0.6 if end - start > 250 else 0.7
            if cue.relation_type != "met_with":
                found += _joint_actors(body, cue, subjects, how, conf=0.5)
            if cue.reverse:
                subjects, objects = objects, subjects
            for s in subjects:
                if cue.subject_type and s.actor_type != cue.subject_type:
                    continue
                for o in objects:
                    if cue.object_type and o.actor_type != cue.object_type:
                        continue
                    if cue.relation_type in ("member_of", "part_of") and (
                            o.actor_type == "person" or o in named
                            or _GENERIC_STATE.match(s.actor_id) and _GENERIC_STATE.match(o.actor_id)):
                        # "joined US Secretary of State John Kerry for talks": a person has no members, and no
                        # state joins another; joining them for talks is a meeting
                        if _FOR_TALKS.search(body, ce, end) and s.actor_id != o.actor_id:
                            found.append((s, "met_with", o, conf))
                        continue
                    if s.actor_id != o.actor_id:
                        found.append((s, cue.relation_type, o, conf))
    return found


# ----------------------------------------------------------------------------- role reader
_ROLE_PHRASE = re.compile(r"[^\W\d_][\w.'\u2019-]*")


def _role_of(phrase: str, lex: Lexicon, definite: bool) -> str | None:
    """leads / member_of for a role phrase ("former Foreign Minister"); None when it is no role.

    Every word must be a role word, a modifier or a capitalised name part; the last role word
    is the head noun. A subordinate modifier ("deputy", "a senior") makes a head title a
    membership, and so does an indefinite leader or commander ("a Taliban commander").
    """
    words = _ROLE_PHRASE.findall(phrase)
    if not words or len(words) > 8 or re.search(r"[^\w\s.'\u2019-]", phrase.replace(",", "")):
        return None
    for w in words:
        lw = w.lower()
        if not (w[0].isupper() or lw in lex.role_words or lw.rstrip(".") in lex.role_words or lw in _SMALL
                or lw in ("former", "acting", "then", "top")):
            return None
    hits = list(lex.role.finditer(phrase))
    if not hits:
        return None
    last = hits[-1]
    lowered = {w.lower() for w in words}
    if last.group("head") and not (lowered & lex.subordinate):
        if last.group().lower() in ("leader", "commander") and not definite:
            return "member_of"
        return "leads"
    return "member_of"


def _role_relations(body: str, actors: list[ActorMention]) -> list[tuple]:
    """A person and an organisation or state side by side, joined by a role phrase."""
    lex = load_lexicon()
    found = []
    for a, b in zip(actors, actors[1:], strict=False):
        if (a.actor_type == "person") == (b.actor_type == "person"):
            continue
        person, org = (a, b) if a.actor_type == "person" else (b, a)
        if org.actor_type in _NOT_RELATED or _MODIFIER_PREFIX.search(body, max(0, org.start - 6), org.start):
            continue  # "the leader of anti-coalition forces": the coalition is what they oppose
        gap = body[a.end:b.start]
        role = None
        own = _role_of(" ".join(org.text.split()[-3:]), lex, True) if lex.role.search(org.text) else None
        if own and (re.fullmatch(r"\s*,?\s*", gap) if org is a else re.fullmatch(r"\s*,\s*(?:the\s+)?", gap)):
            role = own  # "The Foreign Secretary, Boris Johnson", "U.S. Secretary of State John Kerry"
        elif org is a:  # org before person
            pre = body[max(0, org.start - 60):org.start]
            definite = bool(re.search(r"\b(?:the|The)\s+$", pre)) or gap.startswith(("'", "\u2019"))
            m = re.fullmatch(r"(?:['\u2019]s?)?\s+(.+?)\s*,?\s*", gap)
            if m:  # "Iraqi Foreign Minister Ibrahim al-Jaafari", "the ISI chief, Nadeem Anjum"
                role = _role_of(m.group(1), lex, definite)
            if role is None and re.fullmatch(r"\s*,\s*(?:[\w-]+\s+){0,3}", gap):
                # "the head of Pakistan's ISI, Nadeem Anjum"
                pm = re.search(r"((?:[\w.'\u2019-]+\s+){1,6})(?:of|for|at)\s+(?:the\s+)?"
                               r"(?:[A-Z][\w.-]*['\u2019]s\s+)?$", pre)
                words = pm.group(1).split() if pm else []
                for k in range(len(words), 0, -1):  # the longest role phrase before "of"
                    det = words[-k - 1].lower() if k < len(words) else ""
                    role = _role_of(" ".join(words[-k:]), lex, det not in ("a", "an", "one"))
                    if role is not None:
                        break
        else:  # person before org
            m = re.fullmatch(r"\s*,\s*((?:the|a|an)\s+)?(.+?)\s+(?:of|for|at|in|with)\s+(?:the\s+)?", gap)
            if m:  # "Ahmed Murad, Acting General Director of the Office of Museums"
                role = _role_of(m.group(2), lex, bool(m.group(1) and m.group(1).lower().startswith("the")) or not m.group(1))
            elif re.fullmatch(r"\s*,\s*(?:(?:the|a|an)\s+)?(?:former\s+)?", gap):
                # "Ibrahim al-Jaafari, the Iraqi Foreign Minister", "Amrullah Saleh, Afghanistan's former vice-president"
                post = re.match(r"(?:['\u2019]s?)?\s+((?:[\w.'\u2019-]+\s*){1,6}?)(?=\s*(?:[,.;:)\n]|$))",
                                body[org.end:org.end + 80])
                if post:
                    role = _role_of(post.group(1), lex, "a " not in gap and "an " not in gap)
            elif re.fullmatch(r"\s+(?:of|from)\s+(?:the\s+)?", gap):
                # "Lieutenant General Sami Sadat of the Afghan security forces"
                pre = re.search(r"((?:[A-Z][\w.'\u2019-]*\s+){1,4})$", body[max(0, person.start - 50):person.start])
                if pre:
                    role = _role_of(pre.group(1), lex, True)
        if role is not None and person.actor_id != org.actor_id:
            found.append((person, role, org, 0.8))
    return found


# ----------------------------------------------------------------------------- compounds
def _possessor_of(doc: Doc, x: ActorMention, y: ActorMention) -> bool:
    """x is the possessor of y in the parse ("DFAT's Middle East Branch")."""
    xs = doc.char_span(x.start, x.end, alignment_mode="expand")
    ys = doc.char_span(y.start, y.end, alignment_mode="expand")
    return xs is not None and ys is not None and xs.root.dep_ == "poss" and ys.start <= xs.root.head.i < ys.end


_POSSESSED_APPOSITION = re.compile(r"['\u2019]s\s+(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*\s*,\s*")


def _names_possessed(doc: Doc, x: ActorMention, y: ActorMention, body: str) -> bool:
    """y, in apposition, names what x possesses ("Maliki's first choice, Mohan al-Freiji,"): the
    parse says so, or a short lower-case noun phrase after "'s" is closed by a comma before y and
    y by punctuation."""
    xr, yr = _root(doc, x), _root(doc, y)
    if xr is not None and yr is not None and xr.dep_ == "poss" and yr.dep_ == "appos" \
            and yr.head.i == xr.head.i and xr.head.pos_ == "NOUN":
        return True
    return bool(_POSSESSED_APPOSITION.fullmatch(body, x.end, y.start)) \
        and bool(re.match(r"\s*(?:[,.;:)\[]|$)", body[y.end:y.end + 2]))


def _verb_between(doc: Doc, start: int, end: int) -> bool:
    """A verb stands between two offsets: "anti-Taliban fighters attacked ISIS-K" is no compound."""
    span = doc.char_span(start, end, alignment_mode="contract")
    return span is not None and any(t.pos_ in ("VERB", "AUX") for t in span)


def _compound_relations(doc: Doc, body: str, actors: list[ActorMention]) -> list[tuple]:
    """Hyphenated and prefixed compounds, and possessives, between two adjacent actors."""
    lex = load_lexicon()
    found = []
    for x, y in zip(actors, actors[1:], strict=False):
        if x.actor_id == y.actor_id:
            continue
        gap = body[x.end:y.start]
        if re.fullmatch(r"[-\u2010\u2011\u2013]", gap) and _PAIR_CONFLICT.match(body, y.end):
            found += [(x, "opposes", y, 0.7), (y, "opposes", x, 0.7)]  # "the Iran-Iraq war": each fights the other
            continue
        m = re.fullmatch(r"[-\u2010\u2011](\w+)\s+(?:[\w-]+\s+){0,2}", gap)
        rtype = lex.suffix.get(m.group(1).lower()) if m else None
        if rtype and y.actor_type not in _NOT_RELATED \
                and not _verb_between(doc, x.end + 1 + len(m.group(1)), y.start):  # "Iran-backed Houthis"
            if rtype in ("supports", "leads"):
                found.append((x, rtype, y, 0.75))
            else:
                found.append((y, rtype, x, 0.75))
            continue
        pm = re.search(r"\b(\w+)[-\u2010\u2011]$", body[max(0, x.start - 6):x.start])
        rtype = lex.prefix.get(pm.group(1).lower()) if pm else None
        if rtype and re.fullmatch(r"\s+(?:[\w-]+\s+){0,2}", gap) and y.actor_type not in _NOT_RELATED \
                and not _verb_between(doc, x.end, y.start):
            found.append((y, rtype, x, 0.75))  # "anti-Pakistan TTP"
            continue
        if re.fullmatch(r"['\u2019]s?\s+(?:[\w-]+\s+){0,2}", gap) and _possessor_of(doc, x, y):
            if x.actor_type in _NOT_RELATED or y.actor_type in _NOT_RELATED or _GENERIC_STATE.match(y.actor_id):
                continue  # "the UK's brave Armed Forces": a generic force resolved from context
            if x.actor_type == "person" and y.actor_type != "person":
                found.append((x, "leads", y, 0.65))  # "Assad's regime"
            elif x.actor_type != "person" and y.actor_type == "person":
                found.append((y, "member_of", x, 0.65))
            elif x.actor_type != "person" and y.actor_type != "person":
                found.append((y, "part_of", x, 0.65))  # "DFAT's Middle East Branch"
    return found


# ----------------------------------------------------------------------------- article
def _relations_in_sentence(doc: Doc, body: str, start: int, end: int, actors: list[ActorMention],
                           mentions: list[ActorMention] = ()) -> list[tuple]:
    """Relations of one sentence, read line by line (a headline run into its first line relates nothing).

    ``mentions`` are the article's actor mentions, where the speaker a line quotes is found."""
    found = []
    pos = start
    for line in body[start:end].split("\n"):
        lo, hi = pos, pos + len(line)
        pos = hi + 1
        inside = sorted((a for a in actors if a.start >= lo and a.end <= hi), key=lambda a: a.start)
        quoted = _quoted_speaker(body, lo, mentions) if re.search(r"\bI\b", line) else None
        if len({a.actor_id for a in inside} | ({quoted.actor_id} if quoted else set())) < 2:
            continue
        roles = _role_relations(body, inside)
        named: dict = {}
        for person, _, org, _ in roles:
            named.setdefault(org, []).append(person)
        found += roles + _compound_relations(doc, body, inside)
        found += _cue_relations(doc, body, lo, hi, inside, named, quoted)
    return found


def detect_relations(article_id: str, doc: Doc, body: str, sentences, published: date | None
                     ) -> list[RelationCandidate]:
    """One relation per (subject, type, object) per article; symmetric pairs stored once."""
    out: dict[tuple, RelationCandidate] = {}
    mentions = [a for facts in sentences for a in facts.actors]
    for facts in sentences:
        if not facts.actors:
            continue
        for s, rtype, o, conf in _relations_in_sentence(doc, body, facts.start, facts.end, facts.actors, mentions):
            if s.actor_id == o.actor_id:
                continue
            key = (s.actor_id, rtype, o.actor_id)
            if rtype in SYMMETRIC_RELATION_TYPES and (o.actor_id, rtype, s.actor_id) in out:
                continue
            if key not in out:  # the evidence reaches back to a quoted speaker's "X said:"
                first = min(s.start, o.start)
                lo = body.rfind("\n", 0, first) + 1 if first < facts.start else facts.start
                out[key] = RelationCandidate(s.actor_id, rtype, o.actor_id, article_id, lo, facts.end,
                                             body[lo:facts.end] if lo < facts.start else facts.text, published, conf)
    return list(out.values())
