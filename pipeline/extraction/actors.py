"""Actor registry loading and actor-mention resolution.

What belongs here: reading ``pipeline/data/actors.yaml`` into an :class:`ActorRegistry` (once,
cached), the naming scheme of ACLED-style generic actors (``generic_actor``), the slug scheme of
discovered actors (``slugify_actor_name``), and ``ActorRegistry.find_mentions``, which turns an
article body into non-overlapping :class:`ActorMention` spans.

Mentions come from six sources, merged longest-first (ties: acronym > registry > discovered >
generic):

* registry aliases, matched with a token trie (case-insensitive, except ``case_sensitive``
  aliases, which match as written and never in ALL-CAPS text; all-lowercase aliases such as
  "bandits" are descriptions and only count in an article about the actor's country);
* acronyms defined in the text ("Tehreek-i-Taliban Pakistan (TTP)");
* state references: a country name, demonym or capital is an actor only when it acts:
  "Pakistani forces" -> Military Forces of Pakistan, "Pakistani officials"/"Pakistan's attack"/
  "Islamabad said" -> Government of Pakistan; an office or rank after it ("Iraqi Foreign
  Minister X", "Jordanian lieutenant X"), a hyphenated compound ("Iran-backed", "anti-Pakistan"),
  "our ally Turkey", a verb said of parties ("urged Iran", "criticised Pakistan") or a war
  between a hyphenated pair ("the Iran-Iraq war") make it the government or army; "in
  Afghanistan" and "visited Turkey" are places and yield nothing;
* generic ACLED actors from phrases: civilians, unidentified gunmen, police, troops, and "the
  government"/"his government" when the phrase says whose. Their country is the one the phrase
  is about, not the article's: a demonym in the phrase ("Iraqi police"), a place it names ("police
  in Baghdad", "the government and people of Iraq"), the registry person or people a possessive
  points back to ("Abadi and his government"), else the nearest place its sentence names close by
  ("the bombing in Baghdad that killed mourners" in a US release), counting any mention of the
  article's country and no destination ("fled to Pakistan"); else the article's country;
* names of armed groups ("... Brigades", "... Front") and of tribes and clans ("the Al Bu Nimr
  tribe", an identity militia);
* spaCy PERSON/ORG entities not in the registry (only when the caller passes ``doc``), and
  surname-only repeats of people already named in the article. Title-case headlines and
  bylines are no source of new names (their capitals say nothing); a rank cut off from its
  holder ("U.S. Army Capt") and a gloss or footnote glued to a name ("Abboud Qanbar(Arabic",
  "Abu Haidar,[1") are trimmed, and a "person" right before "district"/"village" or after
  "in"/"the village of" is a place.

News outlets and wire services (``not_actors`` in the registry) are never actors: they report
events. No I/O happens at mention time; nothing is downloaded.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry
import yaml

from pipeline.extraction.records import ActorDefinition, ActorMention
from pipeline.schemas import ACTOR_TYPES as SCHEMA_ACTOR_TYPES

REGISTRY_PATH = Path(__file__).resolve().parent.parent / "data" / "actors.yaml"

ACTOR_TYPES = frozenset(SCHEMA_ACTOR_TYPES)  # the contract's closed list, declared once in schemas.py

GENERIC_KINDS = ("military", "police", "civilians", "unidentified", "government", "protesters", "rioters")

# Countries whose English name takes an article in ACLED-style actor names.
_THE_COUNTRIES = frozenset({"USA", "GBR", "COD", "COG", "ARE", "PHL", "NLD", "CAF", "GMB", "BHS"})

_TOKEN_RE = re.compile(r"[^\W_]+")
_GAP_RE = re.compile(r"[ \t\-\u2010\u2011\u2013'\u2019.&/]{0,3}")
_PRIORITY = {"acronym": 0, "registry": 1, "discovered": 2, "generic": 3, "block": 1}


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def normalise_alias(s: str) -> str:
    """Comparison key for names: casefold, no accents, punctuation and spaces collapsed."""
    return " ".join(_TOKEN_RE.findall(_strip_accents(s).casefold()))


def slugify_actor_name(name: str) -> str:
    """Deterministic ASCII id for an actor discovered in text (same name -> same id)."""
    s = _strip_accents(name).replace("'", "").replace("\u2019", "")
    s = re.sub(r"[^A-Za-z0-9]+", "-", s.lower()).strip("-")
    return s or "unnamed-actor"


def _norm_token(t: str) -> str:
    return _strip_accents(t).casefold()


def _is_shouting(text: str) -> bool:
    """ALL-CAPS copy (old wire/MUC style): case tells nothing, so case-sensitive cues are off."""
    letters = [c for c in text[:5000] if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


@dataclass(frozen=True)
class _Entry:
    """One way of matching a token sequence: what it resolves to and under which conditions."""

    kind: str  # alias | ambiguous | block | state
    target: str  # actor_id, alias key (ambiguous), iso3 (state) or "" (block)
    tokens: tuple[str, ...]  # the alias tokens as written (for case-sensitive checks)
    case_sensitive: bool = False
    local_only: bool = False  # all-lowercase description: only in the actor's own country
    state_kind: str = ""  # name | demonym | capital
    country: str | None = None
    min_start: int = 0  # dynamic aliases (surnames) only count after the first full mention


@dataclass
class _Trie:
    """Token trie: walk from each text token, keep the longest alias ending there."""

    root: dict = field(default_factory=dict)

    def add(self, surface: str, entry: _Entry) -> None:
        toks = [_norm_token(t) for t in _TOKEN_RE.findall(surface)]
        if not toks:
            return
        node = self.root
        for t in toks:
            node = node.setdefault(t, {})
        node.setdefault("", []).append(entry)

    def scan(self, tokens: list[tuple[int, int, str, str]], text: str, accept) -> list[tuple[int, int, _Entry]]:
        out = []
        n = len(tokens)
        for i in range(n):
            node = self.root.get(tokens[i][3])
            j = i
            best = None
            while node is not None:
                for e in node.get("", ()):
                    if accept(e, tokens, i, j):
                        best = (tokens[i][0], tokens[j][1], e)
                        break
                j += 1
                if j >= n:
                    break
                gap = text[tokens[j - 1][1] : tokens[j][0]]
                if not _GAP_RE.fullmatch(gap):
                    break
                node = node.get(tokens[j][3])
            if best:
                out.append(best)
        return out


@dataclass
class _Cand:
    start: int
    end: int
    source: str  # acronym | registry | discovered | generic | block
    actor_id: str | None
    surface: str = ""


# ----------------------------------------------------------------------------- word lists
_MIL_NOUNS = (
    r"armed forces|security forces|special forces|government forces|defen[cs]e forces|military forces|"
    r"military|militaries|army|forces|force|troops|troop|soldiers|air force|airforce|air ?strikes?|"
    r"air raids?|warplanes|jets|fighter jets|drones?|navy|marines|artillery|tanks|paratroopers|"
    r"commandos|border guards|border forces|gunships|helicopters|missiles?|commanders?|generals?|"
    r"officers|pilots|servicemen|sailors|conscripts"
)
_POLICE_NOUNS = r"police(?:men| officers?| forces?)?|policemen|gendarmes|gendarmerie"
_GOV_BODY = (
    r"government|governments|officials?|authorities|administration|regime|leaders|leadership|"
    r"diplomats|delegation|embassy|ministry|state media|cabinet|parliament|foreign ministry"
)
_GOV_NOUNS = (
    _GOV_BODY + r"|side|intelligence|"
    r"position|positions|stance|willingness|unwillingness|support|backing|role|involvement|"
    r"intervention|invasion|decision|policy|policies|response|reaction|demands?|refusal|efforts?|"
    r"attacks?|airstrikes?|air strikes?|strikes?|offensive|operations?|bombing|bombardment|shelling|"
    r"sanctions|pressure|recognition|proposal|plan|statement|announcement|threats?|warnings?|"
    r"approval|aid|assistance|help|interests|strategy|ambitions|claims|accusations|concerns|"
    r"condemnation|withdrawal|cooperation|engagement|influence|mediation|envoys?"
)
_CIV_NOUNS = (
    r"civilians|villagers|citizens|nationals|residents|people|population|farmers|worshippers|"
    r"worshipers|pilgrims|refugees|migrants|workers|journalists|aid workers|fishermen|students|"
    r"children|families|women|hostages|communities|community|villages"
)
_MIL_RE = re.compile(rf"\s+(?:{_MIL_NOUNS})\b", re.I)
_POLICE_RE = re.compile(rf"\s+(?:{_POLICE_NOUNS})\b", re.I)
_GOV_BODY_RE = re.compile(rf"\s+(?:{_GOV_BODY})\b", re.I)
_GOV_RE = re.compile(rf"\s+(?:{_GOV_NOUNS})\b", re.I)
# "<body> of <country>": "Government of Iraq", "the people of Syria", "forces of Turkey".
_OF_BEFORE_RE = re.compile(
    r"\b(?P<noun>government|ministry|ministries|minister|ministers|president|prime minister|embassy|"
    r"ambassador|authorities|parliament|people|peoples|citizens|population|civilians|residents|"
    r"forces|army|military|armed forces|police)(?:\s+of\s+(?:\w+\s+){0,3}?)?\s+of\s+(?:the\s+)?$",
    re.I,
)
_CIV_RE = re.compile(rf"\s+(?:{_CIV_NOUNS})\b", re.I)
# A state named right before an office or rank speaks for its government or army:
# "Iraqi Foreign Minister Ibrahim al-Jaafari", "Russian President", "Jordanian lieutenant X".
_OFFICE_NOUNS = (
    r"(?:(?:former|acting|interim|then|deputy|vice|foreign|defen[cs]e|interior|prime|finance|senior|top|"
    r"special|state|first)[\s-]+)*(?:ministers?|president|premier|secretary|ambassador|envoy|"
    r"spokes(?:man|woman|person)|representative|diplomats?|chancellor|consul|senators?|lawmakers?|"
    r"negotiators?|charg[e\u00e9]s? d['\u2019]affaires)"
)
_RANK_NOUNS = (
    r"(?:lieutenant|lt\.|colonel|col\.|captain|capt\.|major|maj\.|sergeant|sgt\.|admiral|adm\.|"
    r"brigadier|brig\.|general|gen\.|marshal)"
)
_OFFICE_RE = re.compile(rf"\s+{_OFFICE_NOUNS}(?![\w-])", re.I)
_RANK_RE = re.compile(rf"\s+{_RANK_NOUNS}(?![\w-])", re.I)
_POSS_OFFICE = re.compile(rf"{_OFFICE_NOUNS}(?![\w-])", re.I)
# "Iran-backed militias", "Saudi-led coalition": the state acts through its government.
_STATE_COMPOUND_RE = re.compile(
    r"[-\u2010\u2011](?:backed|led|supported|sponsored|funded|financed|armed|trained|allied|aligned|"
    r"brokered|linked)\b",
    re.I,
)
_LOCATIVE_BEFORE_RE = re.compile(r"\b(?:in|at|from|to|into|across|inside|within|throughout|near|visited|visiting)\s+$", re.I)
_THE_CAPITAL_BEFORE_RE = re.compile(r"\bcapital(?:\s+city)?,?\s+$", re.I)
_ALLY_BEFORE_RE = re.compile(r"\b(?:ally|allies|partner|partners|neighbou?rs?|adversary|rival|enemy)\s+$", re.I)
# "the Iran-Iraq war", "India-Pakistan clashes": two states joined by a hyphen name the warring parties.
_PAIR_GAP_RE = re.compile(r"[-\u2010\u2011\u2013]")
_PAIR_NOUN_RE = re.compile(r"\s+(?:(?:border|frontier)\s+)?(?:wars?|conflicts?|clashes|hostilities|fighting)\b", re.I)
_ANTI_PRO_RE = re.compile(r"\b(?:anti|pro)[-\u2010\u2011]$", re.I)
_POSS_RE = re.compile(r"(?:'s|\u2019s|'|\u2019)(?=\s)")
_POSS_MIL = re.compile(r"(?:military|army|armed forces|forces|troops|soldiers|air force|navy)\b", re.I)
_POSS_GOV = re.compile(rf"(?:{_GOV_NOUNS})\b", re.I)
_COORD_RE = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*&\s*)")
_SUBJECT_VERBS = re.compile(
    r"\s+(?:(?:has|have|had|is|was|were|are|would|will|could|should|may|might|must|can|did|does|"
    r"not|also|now|then|recently|reportedly|quickly|already|still)\s+)*"
    r"(?:said|says|say|has|have|had|is|was|were|are|would|will|could|should|may|might|must|can|"
    r"wants?|warned|warns|accused|accuses|denied|denies|launched|launches|sent|sends|refused|"
    r"rejected|announced|announces|claimed|claims|condemned|condemns|demanded|demands|insisted|"
    r"agreed|signed|blamed|threatened|called|calls|urged|urges|backed|backs|supports?|supported|"
    r"responded|ordered|deployed|imposed|vowed|pledged|struck|bombed|attacked)\b",
    re.I,
)
_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "agent_subj"})
_ACTOR_PREPS = frozenset({"with", "between", "by", "against", "among", "on"})
# Verbs whose direct object is a party, never a place: one urges, thanks or sanctions a state's
# government ("the UN urged Iran to", "London criticised Pakistan"), but visits a country.
_PARTY_OBJECT_VERBS = re.compile(
    r"(?:urg|thank|congratulat|critici[sz]|condemn|accus|blam|sanction|warn|prais|commend|persuad|pressur|"
    r"press|invit|brief|inform|told|tell|ask|encourag|lobb|reassur)\w*", re.I)

_IDENTITY = (
    r"Shiite|Shia|Shi'ite|Shi\u2019ite|Sunni|Hazara|Zikri|Christian|Yazidi|Yezidi|Alawite|Druze|"
    r"Ahmadi|Sikh|Hindu|Rohingya|Copt|Ismaili|Sufi|Assyrian|Chaldean|Uyghur|Uighur"
)
_CIVILIAN_RE = re.compile(
    rf"\b(?:(?P<dem>[A-Z][a-z]+)\s+)?(?:"
    rf"(?:{_IDENTITY})s\b|(?:{_IDENTITY})\s+(?:Muslims|Christians|worshippers|worshipers|pilgrims|"
    rf"villagers|civilians|families|community|communities|minority|residents)\b|"
    rf"civilians\b|villagers\b|worshippers\b|worshipers\b|peasants\b|pilgrims\b|mourners\b|"
    rf"bystanders\b|non-combatants\b|passengers\b|refugees\b|students\b|children\b|families\b|"
    rf"citizens\b|(?:aid|humanitarian|medical|health) workers\b|journalists\b|hostages\b|residents\b)"
)
_PEOPLE_RE = re.compile(
    r"\b(?:innocent|local|ordinary|vulnerable|displaced|unarmed|many|several|dozens of|hundreds of|"
    r"thousands of|millions of|at least \w+|some \w+|[\d,]+|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|\w+teen|\w+ty|hundred)\s+(?P<noun>people|persons|children|women and children)\b",
    re.I,
)
# Unnamed armed perpetrators, as wire reports name them ("TERRORISTS", "URBAN GUERRILLAS", "hitmen"):
# ACLED's "Unidentified Armed Group (country)"; the words a report used stay as the actor's aliases.
_UNIDENTIFIED_RE = re.compile(
    r"\b(?:(?:unidentified|unknown|masked|suspected|armed)\s+(?:gunmen|gunman|assailants?|"
    r"attackers?|militants|men|armed men|armed group|armed groups|perpetrators|persons|individuals|bandits|"
    r"jihadists|insurgents|terrorists|extremists)|gunm[ae]n|"
    r"unknown armed (?:men|group)|(?:urban\s+)?guerrillas|terrorists|subversives|narco-?terrorists|"
    r"hit\s?men|(?:paid\s+)?assassins|kidnappers|rebels|insurgents|militants|jihadists|bandits|extremists|"
    r"(?:islamist|jihadist|extremist|islamic)\s+(?:militants|fighters|insurgents|groups?|rebels)|"
    r"assailants|attackers|gang\s+members|gangsters|(?:armed|criminal|rival)\s+gangs|gangs|"
    r"(?:urban|guerrilla|rebel|terrorist|subversive)\s+(?:commandos?|fighters|columns?|units?|squads?|cells?)|"
    r"armed\s+(?:individuals|persons|civilians))\b",
    re.I,
)
# "a jihadist attack", "two terrorist assaults": the attack's own adjective names its unnamed author.
_ATTACK_ADJECTIVE_RE = re.compile(
    r"\b(?P<adj>jihadist|terrorist|insurgent|militant|rebel|bandit|islamist|extremist|guerrilla)\s+"
    r"(?=(?:attacks?|assaults?|ambush(?:es)?|raids?|offensives?|bombings?|incursions?)\b)",
    re.I,
)
# "an armed group attacked", "the terrorist group": one unnamed group, introduced or referred to
# (a plural "armed groups" or a quoted label "a 'terrorist group'" is talk about groups, no actor).
_UNNAMED_GROUP_RE = re.compile(
    r"\b(?:an?|the)\s+(?P<np>(?:armed\s+)?(?:armed|terrorist|jihadist|extremist|militant|criminal)\s+group)\b(?![\u2019']s)",
    re.I,
)
# Descriptions that point back to a group the article has named: "the Taliban ... the militants",
# "Islamic State ... the jihadists", "al-Shabaab ... the group". Only definite ones ("the", "these")
# are read as anaphora; "the group" alone names nobody when no group came before.
_DEFINITE_BEFORE_RE = re.compile(r"\b(?:the|these|those|such)\s+(?:(?:said|same|suspected|armed|alleged)\s+)?$", re.I)
_DEFINITE_GROUP_RE = re.compile(r"\b(?:the|this|that)\s+(?P<noun>(?:armed\s+|militant\s+|terrorist\s+|jihadist\s+|extremist\s+|insurgent\s+|rebel\s+)?group|outfit|"
                                r"organi[sz]ation|movement|militia)\b(?![\u2019']s)", re.I)
NON_STATE_ARMED_TYPES = frozenset({"rebel_group", "political_militia", "identity_militia"})
# Words news wraps around a group's name without naming anything else (``lookup_described``).
_DESCRIPTION_WORDS = frozenset(
    "the suspected alleged presumed armed militia militias militiamen group groups rebel rebels fighters "
    "militants insurgents terrorist terrorists jihadist jihadists members cell cells outfit".split())
# Crowds, as ACLED names them: "Protesters (Colombia)", "Rioters (Colombia)".
_PROTESTERS_RE = re.compile(
    r"\b(?:(?:anti-government|anti-govt|opposition|pro-democracy|student|angry|thousands of|hundreds of)\s+)?"
    r"(?:protesters|protestors|demonstrators|marchers|strikers)\b",
    re.I,
)
_RIOTERS_RE = re.compile(r"\b(?:rioters|looters|(?:an?\s+)?(?:angry|violent|irate)\s+mobs?|mobs)\b", re.I)
_POLICE_BARE_RE = re.compile(rf"\b(?:(?P<dem>[A-Z][a-z]+)\s+)?(?:{_POLICE_NOUNS})\b", re.I)
_MILITARY_BARE_RE = re.compile(
    r"\b(?:government (?:forces|troops|soldiers)|security forces|soldiers|troops|the army|"
    r"the military|armed forces)\b",
    re.I,
)
# Joint and unnamed state forces of press releases: "an Afghan and coalition security force",
# "an Afghan-led security force", "an Afghan-international security force", "the combined force",
# "the assault force".
_JOINT_FORCE_RE = re.compile(
    r"\b(?:(?P<dem>[A-Z][a-z]+)(?:-led|-international|\s+and\s+(?:coalition|international))\s+|(?:combined|joint|partnered)\s+|"
    r"(?P<det>(?:[Tt]he|[Aa]n?)\s+)(?=(?:security|assault)\s+force\b))"
    r"(?:security\s+|assault\s+|ground\s+|special\s+|coalition\s+)?(?:forces?|patrols?|teams?|troops)\b"
)
# "the government and people of Iraq", "Abadi and his government": an actor when the phrase says
# whose ("the government of Iraq" is a state reference already).
_GOV_BARE_RE = re.compile(
    r"\b(?P<det>the|his|her|their)\s+(?P<noun>government)\b(?![-\u2010\u2011]|\s+(?:forces|troops|soldiers|of)\b)",
    re.I,
)
# A generic phrase that names its own place: "police in Baghdad", "the government and people of
# Iraq", "civilians in northern Syria".
_NP_PLACE_AFTER_RE = re.compile(
    r"(?:\s+and\s+(?:the\s+)?[a-z]+)?\s+(?:of|in)\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west|central|northern|southern|eastern|western|north-?(?:east|west)(?:ern)?|"
    r"south-?(?:east|west)(?:ern)?)\s+)?(?:(?:city|province|town|village|district)\s+of\s+)?",
    re.I,
)
# A place after these words is where someone goes or comes from, or where parties meet ("talks in
# Caracas"), not where the phrase happens.
_AWAY_BEFORE_RE = re.compile(
    r"\b(?:(?:to|into|towards?|from|via|visit(?:ed|ing|s)?|fled|returned|travell?ed)|(?:talks|negotiations|"
    r"meetings?|summit|conference|dialogue)(?:\s+[\w-]+){0,3}?\s+(?:in|at))\s+(?:the\s+)?$",
    re.I,
)
# A gazetteer name abroad counts only right after a locative word ("in Mosul"), not inside a
# longer name ("Pul-e 'Alam", "killing Malawi Sahib").
_LOCATIVE_AT_RE = re.compile(
    r"\b(?i:in|at|near|outside|around|inside|within|across|throughout)\s+(?:the\s+)?"
    r"(?:[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)?(?:,\s*|\s+and\s+))?$"
)
_NAME_GOES_ON_RE = re.compile(r"[ \t]+(?:[A-Z][a-z]|of\s+[A-Z])")  # "Westminster International University"
# Sentence ends when no parse is given; a single line break is hard wrapping (wire copy), not an end.
_SCENE_REACH = 100  # characters: a place further off in a long sentence is another clause's scene
_SENT_END_RE = re.compile(r"(?<=[.!?])[\"\u201d']?\s+(?=[\"\u201c]?[A-Z0-9])|\n[ \t]*\n\s*")
# Capitalised names headed by a group noun, for armed groups NER misses ("Saray al-Jihad Group").
_GROUP_NAME_RE = re.compile(
    r"(?<![\w-])((?:(?:al-|el-|Al-)?[A-Z][\w'\u2019-]+\s+(?:(?:of|the|for|al|wal)\s+){0,2}){1,6}"
    r"(?:Brigades?|Battalions?|Army|Front|Movement|Group|Corps|Legion|Division|Militia|Regiment))\b"
)
# A named tribe or clan ("the Al Bu Nimr tribe", "the Al-Karabla clan"): a communal party.
_TRIBE_RE = re.compile(
    r"(?<![\w-])((?:Al[- ]|Bani |Banu |Beni |Ait |Ahl )?[A-Z][\w'\u2019-]+"
    r"(?:\s+(?:(?:al|el|bu|bin|ibn|bani|abu)\s+)?[A-Z][\w'\u2019-]+){0,3}\s+(?:tribe|clan|Tribe|Clan))(?![\w-])"
)
_CREDIT_RE = re.compile(r"(?:Photo|Image|Picture|Credit|Photograph|File photo)s?\s*:[^\n]*", re.I)
_ACRONYM_RE = re.compile(r"\(\s*([A-Z][A-Za-z0-9&\-]{1,11})\s*\)")
_CONNECTORS = frozenset(
    "of the and for de del la las los al el in on e i y du des wal wa ul ud ash as an &".split()
)
_TITLES = re.compile(
    r"^(?:(?:Lieutenant|Lt\.?|Major|Maj\.?|Brigadier|Brig\.?|General|Gen\.?|Colonel|Col\.?|"
    r"Captain|Capt\.?|Commander|Admiral|Marshal|Field|Senior|President|Vice|Deputy|Prime|"
    r"Foreign|Defen[cs]e|Interior|Minister|Secretary|State|Special|Envoy|Ambassador|Chief|"
    r"Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Sir|Sheikh|Mufti|Maulana|Mawlawi|Senator|Sen\.?|Rep\.?|"
    r"Governor|Gov\.?|Mayor|Judge|Justice|King|Queen|Prince|Crown|Emir|Sergeant|Sgt\.?|"
    r"Spokesman|Spokesperson|High|Representative|Commissioner|UN|U\.N\.)\s+)+"
)
_ORG_KEYWORDS: tuple[tuple[str, re.Pattern], ...] = (
    (
        "rebel_group",
        re.compile(
            r"\b(?:front|army|brigades?|battalions?|militias?|liberation|resistance|mujahideen|"
            r"mujahidin|jihad|jaish|jaysh|lashkar|harakat|movement|guerrillas?|insurgents|"
            r"legion|rebels|fighters|jamaat|ansar|katiba|tehreek|tehrik|hezb|hizb|ahrar|sham)\b",
            re.I,
        ),
    ),
    (
        "state_forces",
        re.compile(r"\b(?:police|gendarmerie|guard|corps|command|intelligence|directorate|forces?)\b", re.I),
    ),
    (
        "government",
        re.compile(
            r"\b(?:ministry|government|council|department|parliament|assembly|cabinet|presidency|"
            r"commission|office|embassy|branch|senate|congress|administration)\b",
            re.I,
        ),
    ),
    (
        "international_org",
        re.compile(r"\b(?:united nations|international|union|league|alliance|coalition|mission)\b", re.I),
    ),
    (
        "other",
        re.compile(
            r"\b(?:institute|university|cent(?:er|re)|foundation|watch|society|association|party|"
            r"organi[sz]ation|group|network|agency|committee|observatory|fund|programme|program|"
            r"bank|company|trust|initiative|bureau|court|tribunal)\b",
            re.I,
        ),
    ),
)
_TITLE_BEFORE_RE = re.compile(
    r"\b(?:Minister|Secretary|President|General|Gen\.|Colonel|Col\.|Commander|Ambassador|Envoy|Mr\.?|"
    r"Mrs\.?|Ms\.?|Dr\.?|Senator|Governor|Premier|Chancellor|Sheikh|Mullah|Lieutenant|Captain|Admiral|"
    r"Spokesman|Prime Minister|Foreign Minister|Representative)\s+$"
)
_PLACE_FIRST = frozenset("Al Tel Jabal Jebel Jabāl Wadi Ras Bab Ain Deir Kafr Mount Lake Camp Fort Port".split())
_PLACE_WORDS = frozenset(
    "barrage dam river mountain mountains camp hospital university center centre street road province "
    "district city airport bridge mosque church square lake valley village town base county island "
    "desert plain gate market school prison palace stadium hotel".split()
)
# A rank or title cut off from its holder ends an ORG span in bylines: "U.S. Army Capt. Aaron Smith".
_TRAILING_RANK_RE = re.compile(
    r"(?:\s+(?:1st|2nd|3rd|Staff|Master|First|Sgt|Lt|Col|Gen|Capt|Maj|Cpl|Pvt|Spc|Adm|Cmdr|Brig|Sgt|Lieutenant|"
    r"Colonel|General|Captain|Major|Sergeant|Corporal|Private|Specialist|Admiral|Commander|Brigadier|"
    r"Chief|Petty|Officer|Warrant|Airman|Seaman|Marine)\.?)+$"
)
_GENERIC_FORCE_RE = re.compile(rf"(?:{_MIL_NOUNS}|{_POLICE_NOUNS})", re.I)
# A name right before a place noun, or after a place preposition, is a place the tagger took
# for a person ("in Baraki Barak district", "the village of Aq Shakh").
_PLACE_NOUN_AFTER_RE = re.compile(
    r"(?:\s+(?:district|village|province|valley|city|town|area|region|bazaar|river|mountains?|pass|county|"
    r"neighbou?rhood|camp|base|road|highway)s?\b|[-\u2010\u2011]based\b)",
    re.I,
)
_PLACE_PREP_BEFORE_RE = re.compile(
    r"\b(?:in|near|into|outside(?:\s+of)?|(?:village|villages|town|city|district|province|area|outskirts|vicinity)\s+of|"
    r"(?:the\s+)?(?:countryside|capital(?:\s+city)?))\s+$",
    re.I,
)
# An organisation named for what it publishes is an outlet: it reports events, it takes no part.
_OUTLET_HEADS = frozenset(
    "news agency television tv radio times post tribune herald gazette journal press media broadcasting "
    "broadcaster channel daily observer telegraph chronicle newspaper magazine".split()
)
# An "organisation" headed by a place noun is a place the tagger took for one ("Hindi Police Station").
_ORG_PLACE_HEADS = frozenset(
    "station barracks checkpoint camp base airport airfield hospital market prison mosque church bridge road "
    "highway district province village town county".split()
)
_HEADLINE_SMALL_WORDS = frozenset("a an the of in on at to for and or by with from as into over after vs".split())
_BYLINE_RE = re.compile(r"^\s*(?:By|Written by|Story by|Photos? by|Report by)\s+[A-Z]")
_SINGLE_WORD_JUNK = frozenset(
    "photo photos image video reuters afp ap said report reports news today update breaking "
    "monday tuesday wednesday thursday friday saturday sunday covid ceo pdf url html faq gmt utc "
    "usd eur isbn".split()
)


# ----------------------------------------------------------------------------- registry
@dataclass
class _State:
    iso3: str
    name: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]


def _country_display_name(iso3: str, override: str | None = None) -> str:
    if override:
        return override
    c = pycountry.countries.get(alpha_3=iso3)
    if c is None:
        raise ValueError(f"unknown ISO3 country code: {iso3}")
    return getattr(c, "common_name", None) or c.name


def _generic_name(kind: str, country: str, iso3: str) -> str:
    the = "the " if iso3 in _THE_COUNTRIES else ""
    return {
        "military": f"Military Forces of {the}{country}",
        "police": f"Police Forces of {the}{country}",
        "government": f"Government of {the}{country}",
        "civilians": f"Civilians ({country})",
        "unidentified": f"Unidentified Armed Group ({country})",
        "protesters": f"Protesters ({country})",
        "rioters": f"Rioters ({country})",
    }[kind]


_GENERIC_PREFIX = {
    "military": ("military-forces", "state_forces"),
    "police": ("police-forces", "state_forces"),
    "government": ("government", "government"),
    "civilians": ("civilians", "civilians"),
    "unidentified": ("unidentified-armed-group", "political_militia"),
    "protesters": ("protesters", "other"),
    "rioters": ("rioters", "other"),
}


class ActorRegistry:
    """The canonical actors plus the compiled matchers built from them (build once, reuse)."""

    def __init__(self, data: dict[str, Any]):
        self.actors: dict[str, ActorDefinition] = {}
        self.states: dict[str, _State] = {}
        self.ambiguous: dict[str, dict[str, Any]] = {}
        self.alias_index: dict[str, set[str]] = {}  # normalised alias -> actor ids
        self._trie = _Trie()
        self._state_index: dict[str, str] = {}  # normalised state name/capital/demonym -> iso3
        self._not_actor_keys: set[str] = set()
        self._generic_ids: dict[str, tuple[str, str]] | None = None  # built on first lookup

        for row in data.get("states") or []:
            iso3 = row["iso3"]
            name = _country_display_name(iso3, row.get("name"))
            c = pycountry.countries.get(alpha_3=iso3)
            pc_names = {name}
            if c is not None:
                pc_names |= {c.name, getattr(c, "common_name", None) or c.name}
                if getattr(c, "official_name", None):
                    pc_names.add(c.official_name)
            names = tuple(dict.fromkeys([name, *sorted(pc_names - {name}), *(row.get("names") or [])]))
            self.states[iso3] = _State(
                iso3, name, names, tuple(row.get("demonyms") or ()), tuple(row.get("capitals") or ())
            )

        # Every other country pycountry knows (territories, micro-states): its names only, matched
        # as written, so that its government and military exist for every ISO 3166 code.
        generated: set[str] = set()
        for c in pycountry.countries:
            if c.alpha_3 not in self.states:
                name = getattr(c, "common_name", None) or c.name
                self.states[c.alpha_3] = _State(c.alpha_3, name, tuple(dict.fromkeys((name, c.name))), (), ())
                generated.add(c.alpha_3)

        for row in data.get("actors") or []:
            aliases = tuple(dict.fromkeys(a for a in (row.get("aliases") or []) if a))
            self._add_actor(
                ActorDefinition(
                    actor_id=row["actor_id"],
                    name=row["name"],
                    actor_type=row["actor_type"],
                    aliases=aliases,
                    country_iso3=row.get("country_iso3"),
                    parent_actor_id=row.get("parent_actor_id"),
                    wikidata_id=row.get("wikidata_id"),
                ),
                case_sensitive=set(row.get("case_sensitive") or ()),
            )
        # Generated state actors, unless the actors list defines them.
        for st in self.states.values():
            for kind in ("government", "military"):
                d = self._build_generic(kind, st.iso3)
                if d.actor_id not in self.actors:
                    self._add_actor(d, set())
        # Government/military definitions also carry the state's metonyms as aliases (for
        # consumers comparing names); these are matched through the state logic, not the trie.
        for st in self.states.values():
            slug = slugify_actor_name(st.name)
            dems = [d for d in st.demonyms if d[0].isupper()] or [st.name]
            self._extend_aliases(f"government-{slug}", (*st.names, *st.capitals, *st.demonyms,
                                 *(f"{d} {n}" for d in dems for n in ("government", "officials", "authorities"))))
            self._extend_aliases(f"military-forces-{slug}", tuple(
                f"{d} {n}" for d in dems for n in ("forces", "troops", "soldiers", "military", "army")))
            plurals = tuple(d + "s" for d in st.demonyms if d[-1] not in "sh" and not d.endswith("ese") and " " not in d)
            for kind, names in (("name", st.names), ("demonym", st.demonyms), ("capital", st.capitals),
                                ("people", plurals)):
                for nm in names:
                    self._state_index.setdefault(normalise_alias(nm), st.iso3)
                    short = len(nm.replace(".", "")) <= 3 and nm.replace(".", "").isupper()
                    self._trie.add(
                        nm,
                        _Entry("state", st.iso3, tuple(_TOKEN_RE.findall(nm)),
                               case_sensitive=short and "." not in nm or st.iso3 in generated,
                               state_kind=kind, country=st.iso3),
                    )

        for alias, spec in (data.get("ambiguous_aliases") or {}).items():
            key = normalise_alias(alias)
            self.ambiguous[key] = {
                "candidates": list(spec.get("candidates") or []),
                "by_country": dict(spec.get("by_country") or {}),
                "default": spec.get("default"),
                "reason": spec.get("reason", ""),
                "alias": alias,
            }
            self._trie.add(alias, _Entry("ambiguous", key, tuple(_TOKEN_RE.findall(alias)),
                                         case_sensitive=bool(spec.get("case_sensitive"))))
            for cid in dict.fromkeys((*self.ambiguous[key]["candidates"], *self.ambiguous[key]["by_country"].values())):
                self._extend_aliases(cid, (alias,))
        # Communities whose armed men are named by the community: "Fulani militia" -> ethnic militia.
        # "herders" and "farmers" are livelihoods, not arms: "Hema herders" is the community.
        self.ethnic_groups: dict[str, str] = {}  # normalised variant -> canonical name
        for row in data.get("ethnic_groups") or []:
            for variant in (row["name"], *(row.get("variants") or ())):
                self.ethnic_groups[normalise_alias(variant)] = row["name"]
        variants = sorted({v for row in data.get("ethnic_groups") or [] for v in (row["name"], *(row.get("variants") or ()))},
                          key=len, reverse=True)
        self.ethnic_militia_re = re.compile(
            rf"(?<![\w-])(?P<group>{'|'.join(map(re.escape, variants))})[-\s]+(?:ethnic\s+)?(?:armed\s+)?"
            rf"(?P<noun>militias?|militiamen|militants|fighters|gunmen|herdsmen|youths|vigilantes|"
            rf"self-defen[cs]e\s+groups?|armed\s+groups?)\b") if variants else None
        # The community itself, named by what its people are: "Hema people", "Lendu communities",
        # "Fulani herders" -> ACLED's "<Group> Ethnic Group (<country>)", a civilian identity.
        self.ethnic_group_re = re.compile(
            rf"(?<![\w-])(?P<group>{'|'.join(map(re.escape, variants))})[-\s]+"
            rf"(?P<noun>people|peoples|communities|community|herders|farmers|villagers|civilians|residents|"
            rf"families|pastoralists|population|minority)\b") if variants else None
        for name in data.get("not_actors") or []:
            self._not_actor_keys.add(normalise_alias(name))
            self._trie.add(name, _Entry("block", "", tuple(_TOKEN_RE.findall(name)), case_sensitive=True))

    # -- construction helpers
    def _extend_aliases(self, actor_id: str, extra: tuple[str, ...]) -> None:
        """Add names to a definition without making them matchable (metonyms, descriptions)."""
        d = self.actors.get(actor_id)
        if d is None:
            return
        self.actors[actor_id] = ActorDefinition(
            d.actor_id, d.name, d.actor_type, tuple(dict.fromkeys((*d.aliases, *extra))),
            d.country_iso3, d.parent_actor_id, d.wikidata_id,
        )

    def _add_actor(self, d: ActorDefinition, case_sensitive: set[str]) -> None:
        self.actors[d.actor_id] = d
        for alias in dict.fromkeys((d.name, *d.aliases)):
            key = normalise_alias(alias)
            if not key:
                continue
            self.alias_index.setdefault(key, set()).add(d.actor_id)
            local = alias == alias.lower() and d.country_iso3 is not None
            self._trie.add(
                alias,
                _Entry("alias", d.actor_id, tuple(_TOKEN_RE.findall(alias)), case_sensitive=alias in case_sensitive,
                       local_only=local, country=d.country_iso3),
            )

    def _build_generic(self, kind: str, iso3: str) -> ActorDefinition:
        st = self.states.get(iso3)
        country = st.name if st else _country_display_name(iso3)
        prefix, atype = _GENERIC_PREFIX[kind]
        return ActorDefinition(
            actor_id=f"{prefix}-{slugify_actor_name(country)}",
            name=_generic_name(kind, country, iso3),
            actor_type=atype,
            aliases=(),
            country_iso3=iso3,
        )

    # -- public lookups
    def get(self, actor_id: str) -> ActorDefinition | None:
        """The registry definition for an id (None when unknown). Every generic actor's id
        resolves ("rioters-colombia"), whether or not an article named it in so many words."""
        known = self.actors.get(actor_id)
        if known is not None:
            return known
        if self._generic_ids is None:
            self._generic_ids = {self._build_generic(kind, iso3).actor_id: (kind, iso3)
                                 for iso3 in self.states for kind in _GENERIC_PREFIX}
        spec = self._generic_ids.get(actor_id)
        return self._build_generic(*spec) if spec else None

    def country_name(self, iso3: str) -> str:
        """Common short English name ("Syria", not "Syrian Arab Republic")."""
        st = self.states.get(iso3)
        return st.name if st else _country_display_name(iso3)

    def _communal(self, group: str, country_iso3: str, label: str, actor_type: str) -> ActorDefinition:
        """``<Group> <label> (<Country>)`` with the group's canonical spelling; the registry's entry when it has that id."""
        canonical = self.ethnic_groups.get(normalise_alias(group), group)
        country = self.country_name(country_iso3)
        d = ActorDefinition(slugify_actor_name(f"{canonical} {label} {country}"),
                            f"{canonical} {label} ({country})", actor_type, (), country_iso3)
        return self.actors.get(d.actor_id, d)

    def ethnic_militia(self, group: str, country_iso3: str) -> ActorDefinition:
        """ACLED-style communal militia: ("Fulani", "MLI") -> Fulani Ethnic Militia (Mali)."""
        return self._communal(group, country_iso3, "Ethnic Militia", "identity_militia")

    def ethnic_group(self, group: str, country_iso3: str) -> ActorDefinition:
        """ACLED-style communal identity: ("Hema", "COD") -> Hema Ethnic Group (Democratic Republic of Congo)."""
        return self._communal(group, country_iso3, "Ethnic Group", "civilians")

    def generic_actor(self, kind: str, country_iso3: str) -> ActorDefinition:
        """ACLED-style actor for a kind and country; the registry's entry when it has one."""
        if kind not in _GENERIC_PREFIX:
            raise ValueError(f"unknown generic actor kind: {kind}")
        d = self._build_generic(kind, country_iso3)
        return self.actors.get(d.actor_id, d)

    def resolve_ambiguous(self, key: str, country: str | None) -> str | None:
        spec = self.ambiguous[key]
        if country and country in spec["by_country"]:
            return spec["by_country"][country]
        for cid in spec["candidates"]:
            a = self.actors.get(cid)
            if a and country and a.country_iso3 == country:
                return cid
        return spec["default"]

    def lookup(self, surface: str) -> ActorDefinition | None:
        """Resolve a name as written to a registry actor (exact alias, then state name)."""
        key = normalise_alias(surface)
        if key.startswith("the "):
            key = key[4:]
        if key in self.ambiguous:
            aid = self.resolve_ambiguous(key, None)
            return self.actors.get(aid) if aid else None
        ids = self.alias_index.get(key)
        if ids and len(ids) == 1:
            return self.actors[next(iter(ids))]
        iso3 = self._state_index.get(key)
        if iso3:
            return self.generic_actor("government", iso3)
        return None

    def lookup_described(self, surface: str) -> ActorDefinition | None:
        """A registry armed group under words that only describe it ("Suspected CODECO militia
        group", "the ADF rebels"): the group, so that a description never becomes a new actor."""
        words = [w for w in normalise_alias(surface).split() if w not in _DESCRIPTION_WORDS]
        if not words or len(words) == len(normalise_alias(surface).split()):
            return None
        known = self.lookup(" ".join(words))
        return known if known is not None and known.actor_type in NON_STATE_ARMED_TYPES else None

    def is_not_actor(self, surface: str) -> bool:
        return normalise_alias(surface) in self._not_actor_keys

    # -- mention finding
    def find_mentions(
        self, text: str, doc: Any = None, country_hint: str | None = None
    ) -> tuple[list[ActorMention], list[ActorDefinition]]:
        """All actor mentions of an article body, in text order, non-overlapping, longest first.

        Returns the mentions and the definitions created for this article (generic and
        discovered actors that the registry does not hold).
        """
        return _ArticleResolver(self, text, doc, country_hint).run()


# ----------------------------------------------------------------------------- per article
class _ArticleResolver:
    """State for one article: learned acronyms, people named so far, created actors."""

    def __init__(self, reg: ActorRegistry, text: str, doc: Any, country_hint: str | None):
        self.reg = reg
        self.text = text
        self.doc = None
        if doc is not None:
            from pipeline.extraction.nlp import doc_text  # a parse exists, so spaCy is loaded already

            self.doc = doc if doc_text(doc) == text else None
        self.hint = country_hint
        self.shouting = _is_shouting(text)
        self.tokens = [(m.start(), m.end(), m.group(), _norm_token(m.group())) for m in _TOKEN_RE.finditer(text)]
        self.masked = [(m.start(), m.end()) for m in _CREDIT_RE.finditer(text)]
        self.created: dict[str, ActorDefinition] = {}
        self.surfaces: dict[str, list[str]] = {}
        self.cands: list[_Cand] = []
        self.dyn = _Trie()
        self.dyn_count = 0
        self.titled: list[tuple[int, int, str]] = []
        self.headlines = _headline_spans(text)
        self.state_hits: list[tuple[int, int, _Entry]] = []
        self.state_class: dict[int, str | None] = {}
        self._sents: list[tuple[int, int]] | None = None
        self._scenes: dict[int, list[tuple[int, str, bool]]] = {}
        self._places_here: dict[str, bool] = {}

    # -- helpers
    def _in_mask(self, start: int, end: int) -> bool:
        return any(s <= start < e for s, e in self.masked)

    def _in_headline(self, start: int) -> bool:
        return any(s <= start < e for s, e in self.headlines)

    def _accept(self, e: _Entry, tokens, i: int, j: int) -> bool:
        if e.case_sensitive:
            if self.shouting:
                return False
            if tuple(t[2] for t in tokens[i : j + 1]) != e.tokens:
                return False
        if e.local_only and e.country != self.context:
            return False
        if tokens[i][0] < e.min_start:
            return False
        return True

    def _define(self, d: ActorDefinition) -> ActorDefinition:
        if d.actor_id in self.reg.actors:
            return self.reg.actors[d.actor_id]
        if d.actor_id not in self.created:
            self.created[d.actor_id] = d
        return self.created[d.actor_id]

    def _generic(self, kind: str, iso3: str) -> ActorDefinition:
        return self._define(self.reg.generic_actor(kind, iso3))

    def _infer_country(self, state_hits: list[tuple[int, int, _Entry]]) -> str | None:
        if self.hint:
            return self.hint
        counts = Counter(e.country for _, _, e in state_hits if e.country)
        if not counts:
            return None
        top = counts.most_common()
        best = top[0][1]
        firsts = {}
        for s, _, e in state_hits:
            firsts.setdefault(e.country, s)
        return min((c for c, n in top if n == best), key=lambda c: firsts[c])

    # -- pipeline
    def run(self) -> tuple[list[ActorMention], list[ActorDefinition]]:
        self.context = None
        # First pass only to learn the article's country (case rules need no context).
        hits = self.reg._trie.scan(self.tokens, self.text, lambda e, *a: e.kind == "state" and self._case_ok(e, *a))
        self.context = self._infer_country(hits)
        hits = self.reg._trie.scan(self.tokens, self.text, self._accept)
        for s, e, ent in hits:
            if self._in_mask(s, e):
                continue
            if ent.kind == "alias":
                self.cands.append(_Cand(s, e, "registry", ent.target))
            elif ent.kind == "block":
                self.cands.append(_Cand(s, e, "block", None))
            elif ent.kind == "ambiguous":
                aid = self.reg.resolve_ambiguous(ent.target, self.context)
                if aid:
                    self.cands.append(_Cand(s, e, "registry", aid))
        self.state_hits = [h for h in hits if h[2].kind == "state" and not self._in_mask(h[0], h[1])]
        self._state_refs(self.state_hits)
        self._acronyms()
        self._generic_phrases()
        if not self.shouting:
            self._group_names()
            self._tribes()
        if self.doc is not None and not self.shouting:
            self._entities()
        accepted = self._resolve(self.cands)
        self._surnames(accepted)
        if self.dyn_count:
            dyn_hits = self.dyn.scan(self.tokens, self.text, self._accept)
            for s, e, ent in dyn_hits:
                if not self._in_mask(s, e):
                    self.cands.append(_Cand(s, e, ent.kind, ent.target))
            accepted = self._resolve(self.cands)
        return self._emit(self._anaphora(accepted))

    def _named_armed(self, c: _Cand) -> bool:
        """A named non-state armed group (not an unnamed description)."""
        if not c.actor_id or c.source in ("block", "generic") or c.actor_id.startswith("unidentified-"):
            return False  # a description ("Fulani militia") is no name a later description points back to
        d = self.reg.actors.get(c.actor_id) or self.created.get(c.actor_id)
        return d is not None and d.actor_type in NON_STATE_ARMED_TYPES

    def _anaphora(self, accepted: list[_Cand]) -> list[_Cand]:
        """Unnamed armed actors that point back to a named group are that group.

        "the militants", "the jihadists", "the group" after "the Taliban" name the group the article
        has just named (the most recent one); a bare "militants" or "insurgents" does too when the
        article names one non-state armed group only, and names it first. Without such a group the
        description stays the country's unidentified armed group ("gunmen attacked ...")."""
        named = [c for c in accepted if self._named_armed(c)]
        if not named:
            return accepted
        groups = {c.actor_id for c in named}
        taken = [(c.start, c.end) for c in accepted]
        extra = []
        for m in _DEFINITE_GROUP_RE.finditer(self.text):
            s, e = m.start("noun"), m.end()
            if self._in_mask(s, e) or any(s < b and a < e for a, b in taken):
                continue
            if re.match(r"\s+(?:of|for|that|which|who|said|says)\b", self.text[e:e + 8], re.I) and \
                    not re.match(r"\s+said", self.text[e:e + 8], re.I):
                continue  # "the group of villagers", "the movement for ...": not a reference back
            extra.append(_Cand(s, e, "anaphora", None, "group"))
        out = []
        for c in sorted([*accepted, *extra], key=lambda c: c.start):
            unnamed = c.source == "anaphora" or c.source == "generic" and (c.actor_id or "").startswith("unidentified-")
            if unnamed:
                before = [n for n in named if n.end <= c.start]
                definite = c.source == "anaphora" or _DEFINITE_BEFORE_RE.search(self.text, max(0, c.start - 30), c.start)
                if before and definite:
                    c = _Cand(c.start, c.end, "registry", before[-1].actor_id)
                elif before and len(groups) == 1:
                    c = _Cand(c.start, c.end, "registry", before[-1].actor_id)
                elif c.source == "anaphora":
                    continue
            out.append(c)
        return out

    def _case_ok(self, e: _Entry, tokens, i: int, j: int) -> bool:
        if e.case_sensitive:
            return not self.shouting and tuple(t[2] for t in tokens[i : j + 1]) == e.tokens
        return True

    def _resolve(self, cands: list[_Cand]) -> list[_Cand]:
        order = sorted(cands, key=lambda c: (-(c.end - c.start), _PRIORITY.get(c.source, 9), c.start))
        taken: list[tuple[int, int]] = []
        out = []
        for c in order:
            if any(c.start < e and s < c.end for s, e in taken):
                continue
            taken.append((c.start, c.end))
            out.append(c)
        return sorted(out, key=lambda c: c.start)

    def _emit(self, accepted: list[_Cand]) -> tuple[list[ActorMention], list[ActorDefinition]]:
        mentions = []
        used: dict[str, None] = {}
        for c in accepted:
            if c.source == "block" or not c.actor_id:
                continue
            d = self.reg.actors.get(c.actor_id) or self.created.get(c.actor_id)
            if d is None:
                continue
            surface = self.text[c.start : c.end]
            mentions.append(
                ActorMention(c.start, c.end, surface, d.actor_id, d.name, d.actor_type, d.country_iso3, c.source)
            )
            if d.actor_id in self.created:
                used.setdefault(d.actor_id)
                self.surfaces.setdefault(d.actor_id, []).append(surface)
        defs = []
        for aid in used:
            d = self.created[aid]
            if aid.startswith(("civilians-", "unidentified-", "protesters-", "rioters-")) or d.actor_type == "person" \
                    or "-ethnic-militia-" in aid or "-ethnic-group-" in aid:
                extra = tuple(s for s in dict.fromkeys(self.surfaces.get(aid, ())) if normalise_alias(s) != normalise_alias(d.name))
                d = ActorDefinition(d.actor_id, d.name, d.actor_type, tuple(dict.fromkeys((*d.aliases, *extra))),
                                    d.country_iso3, d.parent_actor_id, d.wikidata_id)
            defs.append(d)
        return mentions, defs

    # -- state references
    def _state_refs(self, refs: list[tuple[int, int, _Entry]]) -> None:
        refs = sorted(refs, key=lambda h: h[0])
        classes: list[tuple[str | None, int]] = [(None, 0)] * len(refs)
        for k in range(len(refs) - 1, -1, -1):
            s, e, ent = refs[k]
            cls, end = self._classify_state(s, e, ent)
            if cls is None and k + 1 < len(refs):
                m = _COORD_RE.match(self.text, e)
                if m and m.end() == refs[k + 1][0] and m.end() > e:
                    nxt = classes[k + 1][0]
                    if nxt is not None:
                        cls, end = nxt, e
            classes[k] = (cls, end)
        for k in range(1, len(refs)):
            if classes[k][0] is None and classes[k - 1][0] is not None and refs[k][2].state_kind != "demonym":
                m = _COORD_RE.match(self.text, refs[k - 1][1])
                if m and m.end() == refs[k][0] and m.end() > refs[k - 1][1]:
                    classes[k] = (classes[k - 1][0], refs[k][1])
        for k in range(len(refs) - 1):
            (_s1, e1, _), (s2, e2, _) = refs[k], refs[k + 1]
            if _PAIR_GAP_RE.fullmatch(self.text[e1:s2]) and _PAIR_NOUN_RE.match(self.text, e2):
                classes[k], classes[k + 1] = ("government", e1), ("government", e2)
        self.state_class = {s: cls for (s, _e, _ent), (cls, _end) in zip(refs, classes, strict=True)}
        for (s, _e, ent), (cls, end) in zip(refs, classes, strict=True):
            if cls is None:
                continue
            d = self._generic(cls, ent.country)
            self.cands.append(_Cand(s, end, "generic", d.actor_id))

    def _place_only_line(self, s: int) -> bool:
        """A line of nothing but state names and capitals ("KIGALI, Rwanda" over a report) is a
        dateline: where the report was filed, never a party."""
        text = self.text
        a = text.rfind("\n", 0, s) + 1
        b = text.find("\n", s)
        b = len(text) if b < 0 else b
        line = list(text[a:b])
        for hs, he, _ent in self.state_hits:
            if a <= hs and he <= b:
                line[hs - a:he - a] = [" "] * (he - hs)
        return not re.search(r"[^\W\d_]", "".join(line))

    def _classify_state(self, s: int, e: int, ent: _Entry) -> tuple[str | None, int]:
        text = self.text
        if self._place_only_line(s):
            return None, e
        pm = _POSS_RE.match(text, e)
        if pm:
            rest = text[pm.end() : pm.end() + 60]
            window = re.split(r"[.,;:()\n\u2013\u2014\"]", rest, maxsplit=1)[0]
            wtoks = window.split()[:3]
            for k in range(len(wtoks)):
                tail = " ".join(wtoks[k:])
                if _POSS_MIL.match(tail):
                    return "military", e
                if _POSS_GOV.match(tail) or _POSS_OFFICE.match(tail):
                    return "government", e
            return None, e
        if _STATE_COMPOUND_RE.match(text, e) or _ANTI_PRO_RE.search(text, max(0, s - 5), s):
            return "government", e
        if ent.state_kind == "people":
            return "civilians", e
        after = e + 1 if text[e : e + 1] == "." and "." in text[s:e] else e  # "U.S." ends on its dot
        for kind, rx in (("military", _MIL_RE), ("police", _POLICE_RE), ("government", _GOV_BODY_RE),
                         ("government", _GOV_RE), ("civilians", _CIV_RE)):
            m = rx.match(text, after)
            if m:
                return kind, (m.end() if rx is not _GOV_RE else e)
        if not (ent.state_kind != "demonym" and _LOCATIVE_BEFORE_RE.search(text, max(0, s - 12), s)):
            for kind, rx in (("government", _OFFICE_RE), ("military", _RANK_RE)):
                if rx.match(text, after):
                    return kind, e  # the office stays outside the span: it links the person to the state
        if _ALLY_BEFORE_RE.search(text, max(0, s - 20), s):
            return "government", e  # "our ally Turkey": a state as a party
        ob = _OF_BEFORE_RE.search(text, max(0, s - 60), s)
        if ob:
            noun = ob.group("noun").lower()
            if noun in ("people", "peoples", "citizens", "population", "civilians", "residents"):
                return "civilians", e
            if noun in ("forces", "army", "military", "armed forces"):
                return "military", e
            if noun == "police":
                return "police", e
            return "government", e
        if ent.state_kind == "demonym":
            return None, e
        if ent.state_kind == "capital" and _THE_CAPITAL_BEFORE_RE.search(text, max(0, s - 20), s):
            return None, e  # "an attack on the capital Damascus": the city, not the government
        if self.doc is not None:
            if self._subject_in_doc(s, e):
                return "government", e
            return None, e
        if _SUBJECT_VERBS.match(text, e):
            return "government", e
        return None, e

    def _subject_in_doc(self, s: int, e: int) -> bool:
        span = self.doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            return False
        tok = span.root
        for _ in range(4):
            if tok.dep_ in _SUBJ_DEPS:
                return True
            if tok.dep_ == "pobj" and tok.head.lower_ in _ACTOR_PREPS:
                return True  # "talks with Turkey", "an attack by Russia", "pressure on Iran"
            if tok.dep_ == "dobj" and tok.head.pos_ == "VERB" and _PARTY_OBJECT_VERBS.fullmatch(tok.head.text):
                return True  # "the UN urged Iran to stop"
            if tok.dep_ in ("conj", "appos") and tok.head.i != tok.i:
                tok = tok.head
                continue
            return False
        return False

    # -- acronyms defined in the text
    def _acronyms(self) -> None:
        text = self.text
        for m in _ACRONYM_RE.finditer(text):
            acr = m.group(1)
            letters = [c for c in acr if c.isalpha()]
            if sum(c.isupper() for c in letters) < 2 or len(letters) < 2:
                continue
            long_span = self._long_form(m.start(), acr)
            if long_span is None:
                self._translated_long_form(m.start(), acr)
                continue
            ls, le = long_span
            long = text[ls:le]
            d = self.reg.lookup(long)
            if d is None:
                stripped = self._strip_state_prefix(long)
                d = self.reg.lookup(stripped) if stripped != long else None
            if d is None:
                name = re.sub(r"^(?:the|The)\s+", "", long)
                d = self._define(
                    ActorDefinition(slugify_actor_name(name), name, _org_type(name), (acr,), self._org_country(name))
                )
                self.cands.append(_Cand(ls, le, "discovered", d.actor_id))
                self._add_dynamic(name, d.actor_id, "discovered", case_sensitive=False)
            self._add_dynamic(acr, d.actor_id, "acronym", case_sensitive=not self.shouting)

    def _strip_state_prefix(self, long: str) -> str:
        words = long.split()
        while words and (words[0].lower() == "the" or normalise_alias(words[0]) in self.reg._state_index):
            words = words[1:]
        return " ".join(words)

    def _translated_long_form(self, paren_start: int, acr: str) -> None:
        """'the National Liberation Army (ELN)': an English name before a Spanish acronym. When the
        registry knows the acronym and its canonical name begins with the capitalised words before
        the parenthesis, those words name the same actor."""
        known = self.reg.lookup(acr)
        if known is None:
            return
        before = re.search(r"((?:[A-Z][\w'’-]*\s+(?:(?:of|the|for|and|de|del|la)\s+)?)*[A-Z][\w'’-]*)\s*$",
                           self.text[max(0, paren_start - 120):paren_start])
        if before is None:
            return
        words = before.group(1)
        if len(words.split()) >= 2 and normalise_alias(known.name).startswith(normalise_alias(words)):
            start = paren_start - len(self.text[max(0, paren_start - 120):paren_start]) + before.start(1)
            self.cands.append(_Cand(start, start + len(words), "registry", known.actor_id))

    def _long_form(self, paren_start: int, acr: str) -> tuple[int, int] | None:
        pre_start = max(0, paren_start - 160)
        words = [(pre_start + w.start(), pre_start + w.end(), w.group()) for w in re.finditer(r"\S+", self.text[pre_start:paren_start])]
        if not words:
            return None
        if words[-1][2][-1] in ",;:.":
            return None
        want = [c.upper() for c in acr if c.isalpha()]
        chain: list[tuple[int, int, str]] = []
        for w in reversed(words):
            core = w[2].strip("\"'\u201c\u201d\u2018\u2019")
            if not core:
                break
            if chain and core[-1] in ",;:.!?":
                break
            if core[0].isupper() or core.lower() in _CONNECTORS or core[0].isdigit():
                chain.insert(0, w)
                if len(chain) > 12:
                    break
            else:
                break
        for k in range(len(chain) - 1, -1, -1):
            first = chain[k][2].strip("\"'\u201c\u201d\u2018\u2019")
            if not first[:1].isupper():
                continue
            parts = [p for w in chain[k:] for p in re.split(r"[-\u2010\u2011\s/]+", w[2].strip("\"'\u201c\u201d\u2018\u2019()")) if p]
            initials = [p[0].upper() for p in parts if p[0].isalnum()]
            content = [p[0].upper() for p in parts if p.lower() not in _CONNECTORS and p[0].isalnum()]
            if not content or content[0] != want[0]:
                continue
            if _is_subsequence(want, initials) and len(content) >= max(1, len(want) - 2):
                return chain[k][0], chain[-1][1]
        return None

    def _add_dynamic(self, surface: str, actor_id: str, source: str, case_sensitive: bool, min_start: int = 0) -> None:
        self.dyn.add(
            surface,
            _Entry(source, actor_id, tuple(_TOKEN_RE.findall(surface)), case_sensitive=case_sensitive, min_start=min_start),
        )
        self.dyn_count += 1

    def _org_country(self, name: str) -> str | None:
        for tok in _TOKEN_RE.findall(name):
            iso = self.reg._state_index.get(_norm_token(tok))
            if iso:
                return iso
        return self.context

    # -- whose a generic phrase is
    def _sentence(self, pos: int) -> tuple[int, int]:
        if self._sents is None:
            if self.doc is not None:
                self._sents = [(x.start_char, x.end_char) for x in self.doc.sents]
            else:
                cuts = [0, *(m.end() for m in _SENT_END_RE.finditer(self.text)), len(self.text)]
                self._sents = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
        k = bisect_right(self._sents, (pos, len(self.text) + 1)) - 1
        if k >= 0 and self._sents[k][0] <= pos < self._sents[k][1]:
            return self._sents[k]
        return pos, pos + 1

    def _scene(self, s0: int, s1: int) -> list[tuple[int, str, bool]]:
        """(offset, iso3, elsewhere) of every place named as a place: a country or capital ("in
        Iraq", "the attack in Baghdad"), a state's police ("Iraqi police" serve at home), a
        gazetteer place other than a small town (abroad only a country or a big city, after "in"/"at"/
        "near", never inside a longer name). ``elsewhere`` marks a destination or origin ("fled to Turkey"). State
        references that act (governments, armies), civilians (refugees live abroad) and bare adjectives
        ("Pakistani money") are no places. Computed per sentence, only for sentences that need it."""
        if s0 in self._scenes:
            return self._scenes[s0]
        text = self.text
        refs: list[tuple[int, str, bool]] = []
        taken: list[tuple[int, int]] = []
        for s, e, ent in self.state_hits:
            if not s0 <= s < s1:
                continue
            cls = self.state_class.get(s)
            taken.append((s, e))
            away = bool(_AWAY_BEFORE_RE.search(text, max(0, s - 24), s))
            if cls == "police" or cls is None and \
                    ent.state_kind in ("name", "capital") and (ent.country == self.context or away or self._locative(s)):
                refs.append((s, ent.country, away))
        from pipeline.extraction.places import SMALL_TOWN_POPULATION, load_gazetteer  # avoids a cycle at import

        gaz = load_gazetteer()
        actor_spans = [(c.start, c.end) for c in self.cands
                       if c.source in ("registry", "acronym", "block") and s0 <= c.start < s1]
        for pm in gaz.find_place_mentions(text[s0:s1], offset=s0, country_hint=self.context, exclude_spans=actor_spans):
            iso = pm.place.country_iso3
            if not iso or any(pm.start < e and s < pm.end for s, e in taken) or _NAME_GOES_ON_RE.match(text, pm.end):
                continue
            if pm.place.precision == "point" and not gaz.is_major_city(pm.place, SMALL_TOWN_POPULATION):
                continue
            if iso != self.context and pm.place.precision != "country" and not gaz.is_major_city(pm.place):
                continue  # a province or town abroad is mostly a namesake ("La Paz", "Colon", "San Pedro")
            away = bool(_AWAY_BEFORE_RE.search(text, max(0, pm.start - 24), pm.start))
            if iso == self.context or away or self._locative(pm.start):
                refs.append((pm.start, iso, away))
        self._scenes[s0] = sorted(refs)
        return self._scenes[s0]

    def _locative(self, start: int) -> bool:
        """A name right after "in"/"at"/"near"/"across", or after a comma of a list of such places."""
        before = self.text[max(0, start - 40):start]
        return bool(_LOCATIVE_AT_RE.search(before))

    def _np_country(self, end: int) -> str | None:
        """The country a phrase names right after itself: "police in Baghdad", "people of Iraq"."""
        m = _NP_PLACE_AFTER_RE.match(self.text, end)
        if not m:
            return None
        at = m.end()
        chain = []
        for s, e, ent in self.state_hits:
            if s == at and ent.state_kind in ("name", "capital") and not _NAME_GOES_ON_RE.match(self.text, e):
                chain.append(ent.country)
                more = _COORD_RE.match(self.text, e)
                at = more.end() if more else -1
        if chain:  # "citizens from Jordan and Iraq": the article's country when it is one of them
            return self.context if self.context in chain else chain[0]
        s0, s1 = self._sentence(at)
        scene = self._scene(s0, s1)
        for s, iso, _away in scene:
            if s == at and (iso == self.context or not any(c == self.context for _s, c, _a in scene)):
                return iso  # a gazetteer name abroad is ambiguous where the sentence names home too
        return None

    def _owner_country(self, start: int, peoples: bool) -> str | None:
        """'Prime Minister Abadi and his government', 'the Afghan people and their government': the
        nearest registry person with a country (or, for "their", people of a state) before the pronoun
        in its sentence."""
        s0, _ = self._sentence(start)
        owners = [(c.start, self.reg.actors[c.actor_id].country_iso3) for c in self.cands
                  if c.source == "registry" and s0 <= c.start and c.end <= start and c.actor_id in self.reg.actors
                  and self.reg.actors[c.actor_id].actor_type == "person"]
        if peoples:
            owners += [(s, ent.country) for s, _e, ent in self.state_hits
                       if s0 <= s < start and self.state_class.get(s) == "civilians"]
        owners = [o for o in owners if o[1]]
        return max(owners)[1] if owners else None

    def _phrase_country(self, start: int, end: int) -> str | None:
        """The country a generic phrase is about: its own noun phrase ("police in Baghdad"), else the
        nearest country its sentence names within ``_SCENE_REACH``, among places (not destinations or
        origins: "fled to Turkey") and any mention of the article's country; else the article's country."""
        own = self._np_country(end)
        if own:
            return own
        s0, s1 = self._sentence(start)
        ctx = self.context
        refs = [(s, iso) for s, iso, away in self._scene(s0, s1) if not away or iso == ctx]
        refs += [(s, ent.country) for s, _e, ent in self.state_hits if ent.country == ctx]
        gaps = [(start - s if s < start else s - end, s, iso) for s, iso in refs if s0 <= s < s1 and not start <= s < end]
        gaps = [g for g in gaps if g[0] <= _SCENE_REACH]
        return min(gaps)[2] if gaps else ctx

    # -- generic phrases
    def _generic_phrases(self) -> None:
        text = self.text

        for m in _CIVILIAN_RE.finditer(text):
            dem = m.group("dem")
            dem_iso = self.reg._state_index.get(normalise_alias(dem)) if dem else None
            start = m.start() if dem_iso or not dem else _skip_space(text, m.end("dem"))
            iso = dem_iso or (self._phrase_country(start, m.end()) if self.context else None)
            if iso and not self._in_mask(start, m.end()):
                d = self._generic("civilians", iso)
                self.cands.append(_Cand(start, m.end(), "generic", d.actor_id))
        if self.context:
            for m in _PEOPLE_RE.finditer(text):
                if not self._in_mask(m.start(), m.end()):
                    d = self._generic("civilians", self._phrase_country(m.start(), m.end()))
                    self.cands.append(_Cand(m.start("noun"), m.end("noun"), "generic", d.actor_id))
            for m in _UNIDENTIFIED_RE.finditer(text):
                d = self._generic("unidentified", self._phrase_country(m.start(), m.end()))
                self.cands.append(_Cand(m.start(), m.end(), "generic", d.actor_id))
            for m in _ATTACK_ADJECTIVE_RE.finditer(text):
                if not self._in_mask(m.start(), m.end()):
                    d = self._generic("unidentified", self._phrase_country(m.start(), m.end()))
                    self.cands.append(_Cand(m.start("adj"), m.end("adj"), "generic", d.actor_id))
            for m in _UNNAMED_GROUP_RE.finditer(text):
                d = self._generic("unidentified", self._phrase_country(m.start("np"), m.end()))
                self.cands.append(_Cand(m.start("np"), m.end(), "generic", d.actor_id))
            if self.reg.ethnic_militia_re is not None:
                for rx, build in ((self.reg.ethnic_militia_re, self.reg.ethnic_militia),
                                  (self.reg.ethnic_group_re, self.reg.ethnic_group)):
                    for m in rx.finditer(text):
                        if not self._in_mask(m.start(), m.end()):
                            d = self._define(build(m.group("group"), self._phrase_country(m.start(), m.end())))
                            self.cands.append(_Cand(m.start(), m.end(), "generic", d.actor_id))
            for kind, rx in (("protesters", _PROTESTERS_RE), ("rioters", _RIOTERS_RE)):
                for m in rx.finditer(text):
                    if not self._in_mask(m.start(), m.end()):
                        d = self._generic(kind, self._phrase_country(m.start(), m.end()))
                        self.cands.append(_Cand(m.start(), m.end(), "generic", d.actor_id))
            for m in _GOV_BARE_RE.finditer(text):
                if self._in_mask(m.start(), m.end()):
                    continue
                det = m.group("det").lower()
                owner = self._owner_country(m.start(), peoples=det == "their") if det != "the" else None
                iso = owner or self._np_country(m.end())
                if iso:  # only when the phrase says whose: a bare "the government" stays unread
                    d = self._generic("government", iso)
                    self.cands.append(_Cand(m.start("noun"), m.end(), "generic", d.actor_id))
        for m in _POLICE_BARE_RE.finditer(text):
            dem = m.group("dem")
            dem_iso = self.reg._state_index.get(normalise_alias(dem)) if dem else None
            start = m.start() if dem_iso or not dem else _skip_space(text, m.end("dem"))
            iso = dem_iso or (self._phrase_country(start, m.end()) if self.context else None)
            if not iso:
                continue
            d = self._generic("police", iso)
            self.cands.append(_Cand(start, m.end(), "generic", d.actor_id))
        for m in _JOINT_FORCE_RE.finditer(text):
            dem = m.group("dem")
            dem_iso = self.reg._state_index.get(normalise_alias(dem)) if dem else None
            iso = dem_iso or (self._phrase_country(m.start(), m.end()) if self.context else None)
            if iso and not self._in_mask(m.start(), m.end()):
                start = m.end("det") if m.group("det") else m.start()
                d = self._generic("military", iso)
                self.cands.append(_Cand(start, m.end(), "generic", d.actor_id))
        if self.hint:
            for m in _MILITARY_BARE_RE.finditer(text):
                d = self._generic("military", self._phrase_country(m.start(), m.end()))
                self.cands.append(_Cand(m.start(), m.end(), "generic", d.actor_id))

    def _tribes(self) -> None:
        for m in _TRIBE_RE.finditer(self.text):
            s, e = m.span(1)
            surface = m.group(1)
            if self._in_mask(s, e) or "\n" in surface or self._in_headline(s):
                continue
            if normalise_alias(surface.split()[0]) in self.reg._state_index:
                continue  # "the Afghan tribe": a description, not a name
            head, last = surface.rsplit(None, 1)
            name = f"{head} {last.capitalize()}"
            known = self.reg.lookup(surface)
            if known is not None:
                self.cands.append(_Cand(s, e, "registry", known.actor_id))
                continue
            d = self._define(ActorDefinition(slugify_actor_name(name), name, "identity_militia", (),
                                             self._org_country(name) or self.context))
            self.cands.append(_Cand(s, e, "discovered", d.actor_id))
            self._add_dynamic(surface, d.actor_id, "discovered", case_sensitive=False)

    def _group_names(self) -> None:
        for m in _GROUP_NAME_RE.finditer(self.text):
            s, e = m.span(1)
            surface = m.group(1)
            lead = re.match(r"(?:(?:The|the|A|An|This|These|Their|Its|Our)\s+|[A-Z][\w.-]*['\u2019]s\s+)+", surface)
            if lead:
                s += lead.end()
                surface = surface[lead.end():]
            words = surface.split()
            if len(words) < 2 or self._in_mask(s, e) or "\n" in surface or self._in_headline(s):
                continue
            if any(normalise_alias(w) in self.reg._state_index for w in words[:1]):
                continue  # "Syrian Army", "Pakistan Army": state forces, handled elsewhere
            if self.reg.is_not_actor(surface):
                continue
            known = self.reg.lookup(surface) or self.reg.lookup_described(surface)
            if known is not None:
                self.cands.append(_Cand(s, e, "registry", known.actor_id))
                continue
            d = self._define(ActorDefinition(slugify_actor_name(surface), surface, _org_type(surface) or "other",
                                             (), self._org_country(surface)))
            self.cands.append(_Cand(s, e, "discovered", d.actor_id))
            self._add_dynamic(surface, d.actor_id, "discovered", case_sensitive=False)

    # -- spaCy entities
    def _entities(self) -> None:
        for ent in self.doc.ents:
            if ent.label_ not in ("PERSON", "ORG"):
                continue
            s, e = ent.start_char, ent.end_char
            if self._in_mask(s, e) or self._in_headline(s):
                continue  # headline case says nothing about names
            surface = self.text[s:e]
            cut = re.search(r"\s*,?\s*[(\[]", surface)
            if cut and cut.start() > 0:  # "Abboud Qanbar(Arabic", "Abu Haidar,[1": a gloss or footnote glued on
                e = s + cut.start()
                surface = surface[:cut.start()]
            # trim leading article and trailing possessive
            m = re.match(r"(?:the|The|an?|An?)\s+", surface)
            if m:
                s += m.end()
                surface = surface[m.end():]
            pm = re.search(r"(?:'s|\u2019s|'|\u2019)$", surface)
            if pm:
                e -= len(pm.group())
                surface = surface[: pm.start()]
            if ent.label_ == "PERSON":
                self._person(s, e, surface)
            else:
                self._org(s, e, surface)
        for s, e, surname in self.titled:
            if not surname[:1].isupper() or len(surname) < 3 or surname.isupper() or self._looks_like_place(s, e) \
                    or self._is_place_here(surname):
                continue
            key = normalise_alias(surname)
            if key in self.reg._state_index or self.reg.is_not_actor(surname):
                continue
            owners = {d.actor_id for d in self.created.values() if d.actor_type == "person"
                      and normalise_alias(d.name).split()[-1:] == [key]}
            known = self.reg.lookup(surname)
            if known is not None and known.actor_type == "person":
                owners = {known.actor_id}
            if len(owners) > 1:
                continue
            if owners:
                aid = next(iter(owners))
            else:
                aid = self._define(ActorDefinition(slugify_actor_name(surname), surname, "person", (), self.context)).actor_id
            self.cands.append(_Cand(s, e, "discovered", aid))

    def _looks_like_place(self, s: int, e: int) -> bool:
        return bool(_PLACE_NOUN_AFTER_RE.match(self.text, e) or _PLACE_PREP_BEFORE_RE.search(self.text, max(0, s - 30), s))

    def _is_place_here(self, surface: str) -> bool:
        """A place is never an actor: the gazetteer knows the whole name, or the article itself uses
        it as a place somewhere ("Garm Ser district", "in Garm Ser"), wherever the tagger saw a person."""
        key = normalise_alias(surface)
        if key in self._places_here:
            return self._places_here[key]
        here = _is_gazetteer_name(surface) or any(
            self._looks_like_place(m.start(), m.end())
            for m in re.finditer(rf"(?<![\w-]){re.escape(surface)}(?![\w-])", self.text))
        self._places_here[key] = here
        return here

    def _person(self, s: int, e: int, surface: str) -> None:
        tm = _TITLES.match(surface)
        if tm:
            s += tm.end()
            surface = surface[tm.end():]
        words = surface.split()
        if len(words) == 1 and _TITLE_BEFORE_RE.search(self.text, max(0, s - 40), s):
            self.titled.append((s, e, surface))  # "Minister Ellwood": resolved after full names
            return
        if len(words) < 2 or len(words) > 5 or any(ch.isdigit() for ch in surface):
            return
        if words[0] in _PLACE_FIRST or any(w.strip(".,").lower() in _PLACE_WORDS for w in words):
            return
        if self._looks_like_place(s, e) or self._is_place_here(surface):
            return  # "warplanes raid on Jisr al-Shughur": the model's PERSON is a town
        if _org_type(surface, default=None) is not None or "(" in surface:
            return
        if surface.isupper() or "\n" in surface:
            return
        if not all(w[0].isupper() or w.lower() in _CONNECTORS or w[:3].lower() in ("al-", "el-") for w in words):
            return
        if self.reg.is_not_actor(surface):
            return
        if any(normalise_alias(w) in self.reg._state_index for w in words):
            return
        known = self.reg.lookup(surface)
        if known is not None:
            if known.actor_type == "person":
                self.cands.append(_Cand(s, e, "registry", known.actor_id))
            return
        d = self._define(ActorDefinition(slugify_actor_name(surface), surface, "person", (), self.context))
        self.cands.append(_Cand(s, e, "discovered", d.actor_id))
        self._add_dynamic(surface, d.actor_id, "discovered", case_sensitive=False, min_start=s)

    def _org(self, s: int, e: int, surface: str) -> None:
        owner = re.match(r"^[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?['\u2019]s\s+", surface)
        if owner:  # "Iran's Revolutionary Guard": the possessor is its own mention, the org starts after it
            s += owner.end()
            surface = surface[owner.end():]
        if "(" in surface and ")" not in surface:
            cut = surface.index("(")
            surface = surface[:cut].rstrip()
            e = s + len(surface)
        rank = _TRAILING_RANK_RE.search(surface)
        if rank and rank.start() > 0:
            surface = surface[: rank.start()]
            e = s + len(surface)
        words = surface.split()
        if words and (words[-1].strip(".,").lower() in _OUTLET_HEADS or words[-1].strip(".,").lower() in _ORG_PLACE_HEADS
                      or any(normalise_alias(surface).startswith(k + " ") for k in self.reg._not_actor_keys)):
            if self.reg.lookup(surface) is None:
                return  # "Iraqi News Agency", "Associated Press news agency": an outlet; "Hindi Police Station": a place
        if _GENERIC_FORCE_RE.fullmatch(" ".join(w for w in words if normalise_alias(w) not in self.reg._state_index)):
            return  # "U.S. Army", "Security Forces": a state reference or a description, not a name
        if not words or any(ch.isdigit() for ch in surface) or "\n" in surface:
            return
        if self.reg.is_not_actor(surface) or normalise_alias(surface) in self.reg._state_index:
            return
        if len(words) == 1:
            # Single words are common nouns, places or noise, except a proper acronym ("OFAC").
            if not (surface.isalpha() and surface.isupper() and 3 <= len(surface) <= 6
                    and surface.lower() not in _SINGLE_WORD_JUNK and not self.shouting):
                return
            known = self.reg.lookup(surface)
            if known is not None:
                self.cands.append(_Cand(s, e, "registry", known.actor_id))
                return
            d = self._define(ActorDefinition(slugify_actor_name(surface), surface, "other", (), self.context))
            self.cands.append(_Cand(s, e, "discovered", d.actor_id))
            self._add_dynamic(surface, d.actor_id, "discovered", case_sensitive=True)
            return
        if surface.isupper():
            return  # shouting fragment of a headline
        if not surface[0].isupper():
            return
        known = self.reg.lookup(surface) or self.reg.lookup_described(surface)
        if known is not None:
            self.cands.append(_Cand(s, e, "registry", known.actor_id))
            return
        located = re.search(r"\s+(?:in|of)\s+", surface)
        prefix = self.reg.lookup(surface[: located.start()]) if located else None
        if prefix is not None:  # "the National Resistance Front in Imam Sahib": a known group and a place
            self.cands.append(_Cand(s, s + located.start(), "registry", prefix.actor_id))
            return
        atype = _org_type(surface, default=None)
        if atype is None or self._is_place_here(surface):
            return  # no organisational keyword, or a place: a mislabelled place or title
        d = self._define(ActorDefinition(slugify_actor_name(surface), surface, atype, (), self._org_country(surface)))
        self.cands.append(_Cand(s, e, "discovered", d.actor_id))
        self._add_dynamic(surface, d.actor_id, "discovered", case_sensitive=False)

    # -- surname repeats
    def _surnames(self, accepted: list[_Cand]) -> None:
        firsts: dict[str, tuple[int, str]] = {}
        for c in accepted:
            if not c.actor_id:
                continue
            d = self.reg.actors.get(c.actor_id) or self.created.get(c.actor_id)
            if d is None or d.actor_type != "person":
                continue
            firsts.setdefault(d.actor_id, (c.end, self.text[c.start : c.end]))
        by_surname: dict[str, list[tuple[str, int]]] = {}
        for aid, (end, surface) in firsts.items():
            d = self.reg.actors.get(aid) or self.created[aid]
            for nm in {surface, d.name}:
                parts = nm.split()
                if len(parts) < 2:
                    continue
                last = parts[-1].strip(".,")
                if len(last) < 3 or not last[0].isupper():
                    continue
                by_surname.setdefault(last, []).append((aid, end))
                if re.match(r"(?:al|el)-", last, re.I) and len(last) > 5:
                    by_surname.setdefault(last[3:], []).append((aid, end))
        for last, owners in by_surname.items():
            if len({a for a, _ in owners}) != 1:
                continue  # two people of the same surname: a bare surname is ambiguous
            key = normalise_alias(last)
            if key in self.reg._state_index or key in self.reg.alias_index:
                continue
            aid = owners[0][0]
            self._add_dynamic(last, aid, "registry" if aid in self.reg.actors else "discovered",
                              case_sensitive=not self.shouting, min_start=min(e for _, e in owners))


def _is_gazetteer_name(surface: str) -> bool:
    """A whole name the gazetteer knows as a place ("Jisr al-Shughur", "San Miguel")."""
    from pipeline.extraction.places import load_gazetteer  # avoids a cycle at import

    return load_gazetteer().is_place_name(surface)


def _headline_spans(text: str) -> list[tuple[int, int]]:
    """Lines whose case tells nothing about names: title-case headlines and bylines.

    "Afghan, Coalition Forces Detain Taliban Leader in Kandahar" capitalises verbs and nouns
    alike, so no new actor is discovered there (registry names and names the body introduces
    still match). A headline has no sentence-final full stop and capitalises nearly every word.
    """
    spans = []
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        if not stripped:
            continue
        if _BYLINE_RE.match(line) and len(stripped.split()) <= 10:
            spans.append((start, start + len(line)))
            continue
        if stripped[-1] in ".!?\"\u201d" and not re.search(r"\b[A-Z][a-z]{0,3}\.$", stripped):
            continue
        words = [w for w in re.findall(r"[^\W\d_][\w'\u2019.-]*", stripped) if w.lower() not in _HEADLINE_SMALL_WORDS]
        if len(words) < 3:
            continue
        if sum(w[0].isupper() for w in words) >= 0.85 * len(words):
            spans.append((start, start + len(line)))
    return spans


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _is_subsequence(needle: list[str], hay: list[str]) -> bool:
    it = iter(hay)
    return all(any(c == h for h in it) for c in needle)


def _org_type(name: str, default: str | None = "other") -> str | None:
    """Actor type of a discovered organisation from the words in its name."""
    for atype, rx in _ORG_KEYWORDS:
        if rx.search(name):
            return atype
    return default


@lru_cache(maxsize=4)
def _load(path: str) -> ActorRegistry:
    with open(path, encoding="utf-8") as fh:
        return ActorRegistry(yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))  # libyaml: 6x faster


def load_registry(path: Path | str | None = None) -> ActorRegistry:
    """The actor registry, parsed and compiled once per process."""
    return _load(str(path or REGISTRY_PATH))


def generic_actor(kind: str, country_iso3: str) -> ActorDefinition:
    """ACLED-style generic actor, e.g. ("military", "PAK") -> Military Forces of Pakistan."""
    return load_registry().generic_actor(kind, country_iso3)
