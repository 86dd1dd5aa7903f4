"""Quasi-identifiers: occupations, unique roles, rare conditions, memberships, notable events.

Every hit carries the category it may be generalised to in the de-identified text
(``span.QUASI_CATEGORIES``): "jobbet som kranfører" (YRKE), "den einaste tannlegen på øya"
(ROLLE), "har Huntingtons sykdom" (DIAGNOSE), "på landslaget i skiskyting" (MEDLEMSKAP),
"brannen på Nes" (HENDELSE). Ordinary health and welfare roles and the common conditions of
mental-health services are never flagged. A named place or organisation beside the detail is
left to its own recogniser. The word lists are ``occupations.txt``, ``occupations.yaml``,
``conditions.txt`` and ``events.yaml`` in ``deid/data``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from ..document import Document
from ..lexicon import read_list, read_yaml
from ..numbers import NUMBER_WORD
from ..span import Span
from .base import Recogniser, previous_word

WORD = r"[^\W\d_][\w-]*"
# A clause ends at punctuation, ", " or a coordinating "og"/"men".
END = r"(?=[.!?;:\n…()]|,\s|\s(?:og|men)\s|$)"
CLAUSE = r"[^.!?;:\n…«»()]"
ADVERB = r"(?:forresten|også|òg|jo|nok|vel|egentlig|eigentleg|faktisk|altså|liksom|eh|bare|berre)"
ARTICLE = r"(?:en|ein|ei|et|eit)"
# Leads that make the next word an occupation whatever it is ("jobbet som kranfører").
STRONG_LEAD = (
    r"(?:jobber|jobbar|jobbet|jobba|jobbe|arbeider|arbeidar|arbeidet|arbeidde|arbeida|arbeide|"
    r"begynte|byrja|starta|startet|ansatt|tilsett|utdannet|utdanna|omskolert|omskolerte)"
    r"\s+(?:(?:meg|seg)\s+(?:til\s+)?)?som"
    r"|(?:fikk|fekk|fått|fatt|søkte|hadde|har)\s+(?:en\s+|ein\s+)?(?:jobb|jobben|arbeid|"
    r"stilling|stillinga|stillingen)\s+som"
    r"|(?:jobben|jobbane|stillinga|stillingen|vikariatet)\s+(?:min|mi|sin|si|hans|hennar|hennes\s+)?"
    r"som"
    r"|(?:utdanner|utdannar|utdannet|utdanna)\s+(?:meg|seg|deg)\s+til"
    r"|(?:studerer|studerar|studerte|studera)\s+til"
    r"|(?:utdanning|utdanninga|utdannelse|fagbrev|svennebrev|sveinebrev)\s+som"
    r"|utdannet|utdanna"
)
# Leads after which only a known occupation counts ("er fisker", not "er sliten").
WEAK_LEAD = (
    r"(?:har|hadde)\s+(?:vært|vore|vori)|er|var|vart|ble|blei|blir|vert|blitt|vorte|være|vere"
    r"|som|(?<=æ\s)(?:e|va)|(?<=eg\s)(?:e|va)|(?<=han\s)(?:e|va)|(?<=ho\s)(?:e|va)"
)
# Titles that are also verbs: after "som" they are read as verbs ("han som fisker").
VERB_LIKE = frozenset(
    "fisker maler baker trener løper vever feier gjeter brygger bestyrer dykker sveiser sveisar "
    "murer kjører driver maker spiller speler synger".split()
)
# Kept inside the span: they say more about the person ("pensjonert lensmann", "kjent YouTuber").
DESCRIPTOR = (
    r"(?:pensjonert|pensjonerte|forhenværende|tidligere|tidlegare|kjent|kjend|berømt|"
    r"verdenskjent|profesjonell|lokal)"
)
LEAD_FILLER = rf"(?:(?:{ADVERB}|utdannet|utdanna|opprinnelig|opphavleg)\s+){{0,3}}"
# "jobbet som X": any X that is not an ordinary word. Only the lead is consumed (the rest is a
# lookahead), so a rejected word can still lead the next match.
STRONG_OCCUPATION_RE = re.compile(
    rf"\b(?P<strong>{STRONG_LEAD})\s+(?={LEAD_FILLER}(?P<article>{ARTICLE}\s+)?"
    rf"(?P<hit>(?:{DESCRIPTOR}\s+)?(?P<job>{WORD})))",
    re.IGNORECASE,
)
# A known occupation is looked up word by word; this says whether a weak lead or a descriptor
# stands just before it ("var pensjonert |lensmann", "er |fisker").
TOKEN_RE = re.compile(WORD)
WEAK_LEAD_BEFORE_RE = re.compile(
    rf"(?:(?<![\w-])(?P<weak>{WEAK_LEAD})\s+|(?<![\w-])(?={DESCRIPTOR}\s)){LEAD_FILLER}"
    rf"(?:(?P<article>{ARTICLE}\s+)(?:[^\W\d_]+\s+)??)?(?P<descriptor>{DESCRIPTOR}\s+)?\Z",
    re.IGNORECASE,
)
LOOK_BACK = 80
# "… i tretti år", "… på glassverket" after an occupation.
EXTENSION_RE = re.compile(
    rf"\s+(?:i\s+)?(?:{NUMBER_WORD}|\d+)\s+år\b"
    r"|\s+(?P<prep>på|i|ved|hos|for)\s+(?:(?:den|det|dei|de)\s+)?"
    r"(?:(?:gamle|store|lille|vesle|nye|lokale|eneste|einaste)\s+)?(?P<place>(?-i:[a-zæøå][\w-]*))",
    re.IGNORECASE,
)
DEFINITE = ("en", "et", "a", "ne", "ane", "ene")
# Endings tried to find the base form of an inflected title ("lensmannen", "fiskarane").
ENDINGS = ("en", "n", "a", "e", "ne", "er", "ar", "ene", "ane", "erne", "arne", "s")
# "ordførerens datter": someone known through a relative's position.
RELATION_RE = re.compile(
    r"\b(?:er|var|vart|ble|blei)\s+(?P<hit>(?P<owner>[a-zæøå]+)s\s(?:datter|dotter|sønn|son|"
    r"kone|mann|kjæreste|bror|søster|syster|barn|enke)"
    r"|(?:datter|dotter|sønn|son|kone|enke|barnebarn)\s+(?:av|til)\s+(?P<owner2>[a-zæøå]+))\b",
    re.IGNORECASE,
)
ORDINAL = r"(?:eneste|einaste|ene|første|fyrste|siste)"
PERSON_ADJECTIVE = (
    r"(?:kvinnelige|mannlige|kvinnelege|mannlege|samiske|svarte|mørkhudede|unge|gamle|norske|"
    r"utenlandske|utanlandske|homofile|lesbiske|skeive|blinde|døve)"
)
# "er den eneste …", "er han som …": a role that only one person has.
LEAD_ROLE_RE = re.compile(
    rf"\b(?P<hit>(?:den|han|hun|ho|hu|dei|de)\s+{ORDINAL}\s{CLAUSE}{{2,70}}?"
    rf"|(?:han|hun|ho|hu)\s+(?:som|fra|frå|med)\s{CLAUSE}{{3,70}}?){END}",
    re.IGNORECASE,
)
ROLE_LEAD_BEFORE_RE = re.compile(
    r"(?<![\w-])(?:er|var|vart|ble|blei|blir|(?:har|hadde)\s+(?:vært|vore)|kjent\s+som|"
    rf"kjend\s+som)\s+(?:{ADVERB}\s+){{0,2}}\Z",
    re.IGNORECASE,
)
# "den einaste jenta på laget", "første kvinnelige brannsjef i kommunen" without a lead.
ROLE_RE = re.compile(
    rf"\b(?P<hit>(?:(?:den|dei|de)\s+)?{ORDINAL}\s+(?:(?:{PERSON_ADJECTIVE}|[^\W\d_]+e)\s+){{0,2}}"
    rf"(?P<noun>{WORD})"
    rf"\s+(?:i|på|ved|blant|fra|frå|av|som|med|til)\s{CLAUSE}{{2,60}}?){END}",
    re.IGNORECASE,
)
ROLE_TAIL = re.compile(r"\b(?:i|på|ved|blant|fra|frå|av|her|der)\b", re.IGNORECASE)
WON_RE = re.compile(
    rf"\b(?:har|hadde)\s+(?P<hit>(?:vunne|vunnet|vant)\s{CLAUSE}{{3,60}}?){END}", re.IGNORECASE
)
PRIZE = (
    r"(?:\w*mesterskap\w*|\w*meisterskap\w*|\w*premie\w*|\w*prisen|pris|\w*konkurranse\w*|"
    r"\w*medalje\w*|gull|sølv|bronse|NM|VM|EM|\w*cup\w*|\w*turnering\w*|finalen|\w*stipend\w*)"
)
WON_PRIZE_RE = re.compile(
    rf"\b(?:jeg|eg|æ|du|han|hun|ho|hu|vi|dei|de)\s+(?:vant|vann|vinn|vinner)\s+"
    rf"(?:{ADVERB}\s+){{0,2}}(?P<hit>(?:{WORD}\s+){{0,2}}{PRIZE}(?:\s{CLAUSE}{{0,50}}?)?){END}",
    re.IGNORECASE,
)
EVENT_VERB = (
    r"(?:overlevde|overlevd|overlevet|reddet|redda|berget|berga|omkom|døde|druknet|drukna|"
    r"forsvant|forsvann|rømte|brant|tente\s+på|kjørte\s+ned|krasjet|krasja|kræsja|skjøt|stakk|"
    r"drepte|drap|ranet|rana|ble\s+funnet|vart\s+funnen|ble\s+skutt|vart\s+skoten|ble\s+påkjørt|"
    r"vart\s+påkøyrd)"
)
# "han som overlevde raset": one person known through an event.
EVENT_PERSON_RE = re.compile(
    rf"\b(?P<hit>(?:han|hun|ho|hu)\s+som\s+{EVENT_VERB}\b{CLAUSE}{{0,70}}?){END}",
    re.IGNORECASE,
)
HAPPENED_RE = re.compile(
    r"\b(?P<hit>det\s+som\s+(?:skjedde|skjedd|hendte|hende|hendt)\s+(?:på|i|ved|under)\s+"
    r"(?P<where>(?-i:[A-ZÆØÅ][\w-]*(?:\s[A-ZÆØÅ][\w-]*){0,2})|[a-zæøå][\w-]*))",
    re.IGNORECASE,
)
# A name after "bandet", "medlem av": capitalised words with small connectors.
CAPNAME = (
    r"(?-i:[\"«]?[A-ZÆØÅ0-9][\w'’&.-]*(?:\s+(?:(?:og|&|of|the|i|på|fra|frå)\s+)?"
    r"[A-ZÆØÅ][\w'’&.-]*){0,3}[\"»]?)"
)
MEMBER_OF_RE = re.compile(
    rf"\bmedlem(?:mer)?\s+(?:av|i)\s+(?:(?P<name>{CAPNAME})|(?P<noun>(?-i:[a-zæøå][\w-]*)))",
    re.IGNORECASE,
)
BOARD_RE = re.compile(
    rf"\b(?:i|inn\s+i)\s+(?P<hit>styret)\s+(?:i|for|til)\s+"
    rf"(?:(?P<name>{CAPNAME})|(?P<noun>(?-i:[a-zæøå][\w-]*)))",
    re.IGNORECASE,
)
DIAGNOSIS_LEAD = (
    r"(?:har|hadde|fikk|fekk|fått|fatt|med|lever\s+med|lider\s+av|diagnosen|diagnose|"
    r"født\s+med|fødd\s+med|er|var|ble|vart|blei|blitt|vorte|av|på\s+grunn\s+av|pga\.?)"
)
DIAGNOSIS_FILLER = (
    r"(?:en|ein|ei|et|eit|sjelden|sjeldan|sjeldne|alvorlig|alvorleg|medfødt|medfødd|arvelig|"
    r"arveleg|kronisk|tidlig|tidleg|også|òg|jo|nok|helt|heilt)"
)
# "fikk diagnosen X": an unlisted diagnosis is flagged unless it is common.
DIAGNOSED_RE = re.compile(
    r"\b(?:(?:fikk|fekk|fått|fatt|har|hadde|ga|gav|satte|stilte|stilt)\s+"
    r"(?:(?:meg|han|henne|ho|oss|deg)\s+)?(?:(?:en|ein)\s+)?(?:diagnosen|diagnosa|diagnose)"
    r"|diagnostisert\s+med|diagnostisert\s+som|påvist)\s+"
    rf"(?P<hit>{WORD}(?:\s+(?:sykdom|sjukdom|syndrom|lidelse|liding))?)",
    re.IGNORECASE,
)
EPONYM_RE = re.compile(
    r"\b(?P<hit>(?-i:[A-ZÆØÅ][\w-]{3,}s)\s+(?:sykdom|sjukdom|syndrom)"
    r"|[\wæøå-]{3,}-syndrom(?:et)?)\b",
    re.IGNORECASE,
)
WHEELCHAIR_RE = re.compile(
    r"\b(?P<hit>(?:sitter|sit|satt|sat|sitte|sete)\s+i\s+rullestol(?:en)?)\b", re.IGNORECASE
)
DRIVES_RE = re.compile(
    rf"\b(?:som|eg|jeg|han|hun|ho|hu|vi|me)\s+(?P<hit>(?:kjører|køyrer|kjørte|køyrde)\s+"
    r"(?:taxi|drosje|buss|skolebuss|skolebussen|trailer|vogntog|ferja|ferga|ferje|ferga|"
    r"brøytebil|brøytebilen|taxien|drosjen|drosja|bussen)"
    rf"|(?:driver|driv|dreiv|drev)\s+(?:(?:egen|eigen|eget|eige|min|mitt|mi|sin|sitt|si)\s+)?"
    rf"(?P<article>{ARTICLE}\s+)?(?P<business>{WORD}))",
    re.IGNORECASE,
)
CLEFT = frozenset({"det", "dette", "detta", "da", "så"})  # "det var hun som ringte"
# "huset vårt brant ned": a fire at one household.
BURNED_RE = re.compile(
    r"\b(?P<hit>(?:huset|hytta|hytten|gården|garden|låven|løa|fjøset|butikken|skolen|skulen|"
    r"kirka|kyrkja|blokka|leiligheten|leilegheita|bilen|båten)\s+(?:(?:vår|vårt|min|mitt|mi|"
    r"deres|dykkar|hans|hennes|hennar)\s+)?(?:brant|brann)(?:\s+ned)?)\b",
    re.IGNORECASE,
)
BORN_WITHOUT_RE = re.compile(
    r"\b(?P<hit>(?:født|fødd)\s+(?:uten|utan)\s+(?:(?:en|ein|ei|et|eit)\s+)?(?:arm|armer|armar|"
    r"armene|bein|ben|beina|hand|hånd|hender|hendene|fingre|fingrer|fot|føtter|øre|ører|øyre|"
    r"øyrer|øye|øyne|auge|auga|syn|hørsel|nyre|nese|gane))\b",
    re.IGNORECASE,
)
KNOWN_FROM_RE = re.compile(
    r"\b(?P<hit>(?:kjent|kjend|kjendis)\s+fra\s+(?:TV|tv|fjernsynet|NRK|TV\s?2|avisa|avisene|"
    r"radio|radioen|YouTube|Youtube|TikTok|Instagram)|(?:kjent|kjend|kjente)\s+(?:youtuber|"
    r"influencer|tiktoker|blogger|artist|kjendis|person|profil|ansikt))\b",
    re.IGNORECASE,
)
MEMBERSHIP_NAME_SCORE = 0.45  # below an organisation recogniser's score: its span wins


@dataclass(frozen=True)
class QuasiLists:
    """The word lists of this recogniser, case-folded."""

    occupations: frozenset[str]
    heads: tuple[str, ...]
    offices: tuple[str, ...]
    staff_roles: frozenset[str]
    not_jobs: frozenset[str]
    conditions: tuple[str, ...]
    common_conditions: frozenset[str]
    event_nouns: tuple[str, ...]
    teams: tuple[str, ...]
    groups: tuple[str, ...]
    councils: tuple[str, ...]
    tv_shows: tuple[str, ...]
    person_nouns: frozenset[str]
    not_role_nouns: frozenset[str]
    generic_places: frozenset[str]


def _folded(words: Iterable[str]) -> frozenset[str]:
    return frozenset(str(w).casefold() for w in words)


@cache
def quasi_lists() -> QuasiLists:
    """Load the lists once per process."""
    occupations = read_yaml("occupations.yaml")
    events = read_yaml("events.yaml")
    return QuasiLists(
        occupations=_folded(read_list("occupations.txt")),
        heads=tuple(h.casefold() for h in occupations.get("suffixes", ())),
        offices=tuple(o.casefold() for o in occupations.get("offices", ())),
        staff_roles=_folded(occupations.get("staff_roles", ())),
        not_jobs=_folded(occupations.get("not_jobs", ())),
        conditions=tuple(read_list("conditions.txt")),
        common_conditions=_folded(events.get("common_conditions", ())),
        event_nouns=tuple(events.get("event_nouns", ())),
        teams=tuple(events.get("teams", ())),
        groups=tuple(events.get("groups", ())),
        councils=tuple(events.get("councils", ())),
        tv_shows=tuple(str(show) for show in events.get("tv_shows", ())),
        person_nouns=_folded(events.get("person_nouns", ())),
        not_role_nouns=_folded(events.get("not_role_nouns", ())),
        generic_places=_folded(events.get("generic_places", ())),
    )


def _alternation(entries: Iterable[str], case_sensitive_upper: bool = True) -> str:
    """A regex alternation built as a trie (fast on long lists, longest match first).

    All-capital acronyms ("ALS") match only as written; the rest are case-folded for a pattern
    compiled with IGNORECASE (``case_sensitive_upper=False`` keeps every entry as written).
    """
    entries = {str(entry) for entry in entries if entry}
    acronyms = {e for e in entries if case_sensitive_upper and e.isupper() and len(e) <= 5}
    rest = entries - acronyms
    if case_sensitive_upper:
        rest = {entry.casefold() for entry in rest}
    parts = [f"(?-i:{re.escape(a)})" for a in sorted(acronyms, key=len, reverse=True)]
    if rest:
        parts.append(_trie_regex(rest))
    return "|".join(parts)


def _trie_regex(words: set[str]) -> str:
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_node(root)


def _trie_node(node: dict) -> str:
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_node(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if "" in node else body


def _definite_forms(noun: str) -> set[str]:
    """Definite singular forms, bokmål and nynorsk ("ulykke" → "ulykken", "ulykka")."""
    if noun.endswith("e"):
        return {noun + "n", noun[:-1] + "a"}
    forms = {noun + "en", noun + "et", noun + "a"}
    if len(noun) <= 5 and noun[-1] in "mnpt" and noun[-2] in "aeiouyæøå":
        forms |= {noun + noun[-1] + "en", noun + noun[-1] + "a", noun + noun[-1] + "et"}
    if noun.endswith("ing"):
        forms.add(noun + "a")
    return forms


GATE_WORD_RE = re.compile(r"\w+")


def _key_words(entries: Iterable[str]) -> frozenset[str]:
    """The longest word of each entry, lower case: a pattern can only match if one occurs."""
    return frozenset(
        max(GATE_WORD_RE.findall(str(entry).lower()), key=len) for entry in entries if entry
    )


# Words a text must contain for a pattern to match at all: a set test per text instead of a
# regex pass (None: always run).
STATIC_GATES: dict[re.Pattern, frozenset[str]] = {
    ROLE_RE: frozenset("eneste einaste ene første fyrste siste".split()),
    STRONG_OCCUPATION_RE: frozenset(
        "jobber jobbar jobbet jobba jobbe arbeider arbeidar arbeidet arbeidde arbeida arbeide "
        "begynte byrja starta startet ansatt tilsett utdannet utdanna omskolert omskolerte "
        "jobb jobben arbeid stilling stillinga stillingen utdanner utdannar studerer studerar "
        "studerte studera utdanning utdanninga utdannelse fagbrev svennebrev sveinebrev".split()
    ),
    WON_RE: frozenset({"vunne", "vunnet", "vant"}),
    WON_PRIZE_RE: frozenset({"vant", "vann", "vinn", "vinner"}),
    RELATION_RE: frozenset(
        "datter dotter sønn son kone mann kjæreste bror søster syster barn enke barnebarn".split()
    ),
    EVENT_PERSON_RE: frozenset(
        "overlevde overlevd overlevet reddet redda berget berga omkom døde druknet drukna forsvant "
        "forsvann rømte brant tente kjørte krasjet krasja kræsja skjøt stakk drepte drap ranet rana "
        "ble vart".split()
    ),
    HAPPENED_RE: frozenset("skjedde skjedd hendte hende hendt".split()),
    MEMBER_OF_RE: frozenset({"medlem", "medlemmer"}),
    BOARD_RE: frozenset({"styret"}),
    DIAGNOSED_RE: frozenset("diagnosen diagnosa diagnose diagnostisert påvist".split()),
    EPONYM_RE: frozenset("sykdom sjukdom syndrom syndromet".split()),
    WHEELCHAIR_RE: frozenset({"rullestol", "rullestolen"}),
    BORN_WITHOUT_RE: frozenset({"uten", "utan"}),
    KNOWN_FROM_RE: frozenset("kjent kjend kjente kjendis".split()),
    BURNED_RE: frozenset({"brant", "brann"}),
    DRIVES_RE: frozenset("kjører køyrer kjørte køyrde driver driv dreiv drev".split()),
}


@dataclass(frozen=True)
class QuasiPatterns:
    """The regexes that depend on the word lists, compiled once, and every pattern's gate."""

    office: re.Pattern
    condition: re.Pattern
    event: re.Pattern
    survived: re.Pattern
    team: re.Pattern
    group: re.Pattern
    tv: re.Pattern
    council: re.Pattern
    gates: dict[int, frozenset[str]]

    def find(self, regex: re.Pattern, text: str, words: frozenset[str]) -> Iterator[re.Match]:
        """``regex.finditer(text)``, skipped when none of the pattern's gate words occur."""
        gate = self.gates.get(id(regex))  # by identity: hashing a pattern is slow
        if gate is None or not gate.isdisjoint(words):
            yield from regex.finditer(text)


@cache
def quasi_patterns() -> QuasiPatterns:
    """Compile the list-based patterns once per process."""
    lists = quasi_lists()
    offices = {form for office in lists.offices for form in {office} | _definite_forms(office)}
    offices |= {office + "en" for office in lists.offices if office.endswith(("er", "ar"))}
    nouns = [noun.casefold() for noun in lists.event_nouns]
    definite_events = {form for noun in nouns for form in _definite_forms(noun)}
    definite_events |= {noun for noun in nouns if noun.endswith(("en", "inga"))}
    all_events = definite_events | {noun.casefold() for noun in lists.event_nouns}
    flags = re.IGNORECASE
    patterns = QuasiPatterns(
        office=re.compile(
            rf"\b(?P<hit>{_alternation(offices)})(?=\s+(?:i|på|for)\s+(?:(?-i:[A-ZÆØÅ])"
            r"|(?P<place>[a-zæøå][\w-]*)))",
            flags,
        ),
        condition=re.compile(
            rf"\b{DIAGNOSIS_LEAD}\s+(?:{DIAGNOSIS_FILLER}\s+){{0,3}}"
            rf"(?P<hit>{_alternation(lists.conditions)})(?![\w-])(?!\s+for\b)",
            flags,
        ),
        event=re.compile(
            # "brannen på Nes", or "den store brannen" without a detail
            r"\b(?P<hit>(?:(?P<adj>store|forferdelige|tragiske|kjente|grusomme|fæle)\s+)?"
            rf"(?:{_alternation(definite_events)}))\b(?(adj)|(?=\s+(?:i|på|ved|under|utenfor|"
            r"utanfor|der|da|som|med|mellom|langs|nord\s+for|sør\s+for)\b))",
            flags,
        ),
        survived=re.compile(
            r"\b(?P<hit>(?:overlevde|overlevd|overlevet|berget\s+fra|berga\s+frå|reddet\s+fra|"
            r"redda\s+frå|(?:omkom|døde|døydde|druknet|drukna|mistet\s+livet|mista\s+livet|"
            r"ble\s+skadd|ble\s+skadet|vart\s+skadd|vart\s+skada|skadd|skada)\s+(?:i|under)|"
            r"(?:dømt|dømd|domfelt|tiltalt|sonet|sona|frifunnet|frifunnen|anmeldt|siktet|sikta)"
            r"\s+(?:for|etter))\s+(?:(?:en|ein|ei|et|eit|den|det)\s+)?"
            rf"(?:{WORD}\s+)?(?:{_alternation(all_events)}))\b",
            flags,
        ),
        team=re.compile(
            rf"\b(?:på|i|for|med)\s+(?P<hit>(?:{_alternation(lists.teams)})"
            r"(?:\s+(?:i|for)\s+(?-i:[a-zæøå][\w-]*))?)\b",
            flags,
        ),
        group=re.compile(
            rf"\b(?:i|med|på)\s+(?P<hit>(?:{_alternation(lists.groups)})\s+{CAPNAME})", flags
        ),
        tv=re.compile(
            r"\b(?:med|deltok|deltatt|vant|vann|vunnet|vunne|var|vært|vore|kom|kjent|kjend)\s+"
            r"(?:i|på|fra|frå)\s+(?:(?:programmet|tv-programmet|serien|tv-serien|realityserien|"
            r"realityprogrammet|konkurransen|sesongen)\s+)?"
            rf"(?P<hit>(?-i:{_alternation(lists.tv_shows, False)}))(?![\w-])",
            flags,
        ),
        council=re.compile(
            r"\b(?:sitter|sit|satt|sat|sitte|sete|valgt\s+inn|valt\s+inn|representant|medlem|"
            rf"plass|med)\s+(?:i|på)\s+(?P<hit>{_alternation(lists.councils)})\b",
            flags,
        ),
        gates={id(regex): gate for regex, gate in STATIC_GATES.items()},
    )
    list_gates = {
        patterns.office: _key_words(offices),
        patterns.condition: _key_words(lists.conditions),
        patterns.event: _key_words(definite_events),
        patterns.survived: _key_words(all_events),
        patterns.team: _key_words(lists.teams),
        patterns.group: _key_words(lists.groups),
        patterns.tv: _key_words(lists.tv_shows),
        patterns.council: _key_words(lists.councils),
    }
    patterns.gates.update({id(regex): gate for regex, gate in list_gates.items()})
    return patterns


def _stems(word: str) -> Iterator[str]:
    """The word and the base forms its inflectional endings may hide."""
    yield word
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            yield word[: -len(ending)]


@lru_cache(maxsize=8192)
def is_occupation(word: str) -> bool:
    """Whether ``word`` (any inflection) is a listed occupation or a compound on a listed head.

    Staff roles ("sykepleier", "NAV-veilederen") are never occupations here.
    """
    lists = quasi_lists()
    stems = list(_stems(word.casefold()))
    if any(stem in lists.staff_roles for stem in stems):
        return False
    if any(stem in lists.occupations for stem in stems):
        return True
    staff_heads = tuple(role for role in lists.staff_roles if len(role) >= 4)
    for stem in stems:
        if stem.endswith(staff_heads):
            return False
        if any(stem.endswith(head) and len(stem) - len(head) >= 3 for head in lists.heads):
            return True
    return False


class QuasiRecogniser(Recogniser):
    """Occupations, unique roles, rare conditions, memberships and notable events."""

    name = "quasi"
    label = "QUASI"

    def analyse(self, doc: Document) -> Iterator[Span]:
        """Yield every quasi-identifier found, each with its category."""
        words = frozenset(GATE_WORD_RE.findall(doc.text.lower()))
        yield from self._occupations(doc, words)
        yield from self._roles(doc, words)
        yield from self._conditions(doc, words)
        yield from self._memberships(doc, words)
        yield from self._events(doc, words)

    # YRKE -------------------------------------------------------------------------------

    def _is_ordinary(self, doc: Document, word: str) -> bool:
        folded = word.casefold()
        return (
            len(folded) < 4
            or doc.lexicon.is_ordinary(folded)
            or folded in quasi_lists().staff_roles
        )

    def _is_workplace(self, doc: Document, word: str) -> bool:
        """A lower-case definite noun that names a particular workplace ("glassverket")."""
        folded = word.casefold()
        lists = quasi_lists()
        return (
            folded.endswith(DEFINITE)
            and folded not in lists.generic_places
            and folded not in lists.not_role_nouns
            and not doc.lexicon.is_ordinary(folded)
        )

    def _is_field(self, doc: Document, word: str) -> bool:
        """A trade, sport or subject after "i" ("norgesmester i kickboksing")."""
        folded = word.casefold()
        lists = quasi_lists()
        return (
            len(folded) >= 5
            and not self._is_ordinary(doc, folded)
            and folded not in lists.generic_places
            and folded not in lists.not_role_nouns
            and folded not in lists.not_jobs
        )

    def _extend(self, doc: Document, end: int) -> int:
        """Extend an occupation over "i tretti år" and "på glassverket" that follow it."""
        for _ in range(2):
            match = EXTENSION_RE.match(doc.text, end)
            if not match:
                break
            place = match.group("place")
            if place is not None and not (
                self._is_workplace(doc, place)
                or (match.group("prep") == "i" and self._is_field(doc, place))
            ):
                break
            end = match.end()
        return end

    def _occupations(self, doc: Document, words: frozenset[str]) -> Iterator[Span]:
        text = doc.text
        find = quasi_patterns().find
        for token in TOKEN_RE.finditer(text):
            job = token.group()
            if not is_occupation(job):
                continue
            lead = WEAK_LEAD_BEFORE_RE.search(
                text, max(0, token.start() - LOOK_BACK), token.start()
            )
            if lead is None:
                continue
            weak = (lead.group("weak") or "").casefold()
            if weak and previous_word(text, lead.start()) in CLEFT:
                continue  # "det var politi der"
            if weak == "som" and job.casefold() in VERB_LIKE:
                continue  # "han som fisker"
            start = lead.start("descriptor") if lead.group("descriptor") else token.start()
            end = self._extend(doc, token.end())
            why = f"an occupation that may be rare ('{job}')"
            yield self.span(start, end, 0.7, why, category="YRKE")
        for match in find(STRONG_OCCUPATION_RE, text, words):
            job = match.group("job")
            if is_occupation(job):
                score = 0.7
            elif match.group("article") or self._is_ordinary(doc, job):
                continue
            elif job.casefold() in quasi_lists().not_jobs:
                continue
            else:
                score = 0.6
            start, end = match.start("hit"), self._extend(doc, match.end("job"))
            why = f"an occupation named after 'jobber som' ('{job}')"
            yield self.span(start, end, score, why, category="YRKE")
        for match in find(quasi_patterns().office, text, words):
            place = match.group("place")
            if place is not None and not (place.islower() and self._is_workplace(doc, place)):
                continue
            start, end = match.span("hit")
            if place is not None:
                end = self._extend(doc, end)  # "lensmannen i bygda"
            yield self.span(start, end, 0.6, "a public office in a named place", category="YRKE")
        for match in find(DRIVES_RE, text, words):
            business = match.group("business")
            if business is not None and (
                self._is_ordinary(doc, business)
                or business.casefold() in quasi_lists().generic_places
                or not (match.group("article") or business.casefold().endswith(DEFINITE))
            ):
                continue
            start, end = match.span("hit")
            yield self.span(start, end, 0.5, "a business or route someone runs", category="YRKE")

    # ROLLE ------------------------------------------------------------------------------

    def _is_role_noun(self, doc: Document, noun: str) -> bool:
        folded = noun.casefold()
        lists = quasi_lists()
        if folded in lists.not_role_nouns:
            return False
        return (
            folded in lists.person_nouns
            or folded in {"fra", "frå"}  # "den eneste fra Eritrea i klassen"
            or is_occupation(folded)
            or (folded.endswith(("eren", "aren", "øren", "isten", "erinne")) and len(folded) > 6)
        )

    def _roles(self, doc: Document, words: frozenset[str]) -> Iterator[Span]:
        text = doc.text
        find = quasi_patterns().find
        for match in find(LEAD_ROLE_RE, text, words):
            hit = match.group("hit")
            lead = ROLE_LEAD_BEFORE_RE.search(text, max(0, match.start() - 40), match.start())
            if lead is None or previous_word(text, lead.start()) in CLEFT:
                continue  # no lead, or a cleft sentence: "det var hun som ringte"
            hit_words = hit.split()
            if hit_words[1].casefold() not in {"som", "fra", "frå", "med"}:
                # "den eneste/første …": a person noun, or "som"/a preposition, then a place
                noun = hit_words[2] if len(hit_words) > 2 else ""
                tail = " ".join(hit_words[3:] if noun.casefold() == "som" else hit_words[2:])
                not_roles = quasi_lists().not_role_nouns
                if any(w.casefold() in not_roles for w in hit_words[2:4]) or not ROLE_TAIL.search(
                    tail
                ):
                    continue
            start, end = match.span("hit")
            category = "HENDELSE" if self._mentions_event(hit) else "ROLLE"
            yield from self._phrase(doc, start, end, 0.65, "a unique role", category)
        for match in find(ROLE_RE, text, words):
            if not self._is_role_noun(doc, match.group("noun")):
                continue
            start, end = match.span("hit")
            yield from self._phrase(doc, start, end, 0.6, "a unique role", "ROLLE")
        for match in find(KNOWN_FROM_RE, text, words):
            start, end = match.span("hit")
            yield self.span(start, end, 0.6, "someone publicly known", category="ROLLE")
        for match in find(WON_RE, text, words):
            start, end = match.span("hit")
            yield from self._phrase(doc, start, end, 0.55, "something few have won", "ROLLE")
        for match in find(WON_PRIZE_RE, text, words):
            start, end = match.span("hit")
            yield from self._phrase(doc, start, end, 0.62, "a prize few have won", "ROLLE")
        for match in find(RELATION_RE, text, words):
            if not is_occupation(match.group("owner") or match.group("owner2")):
                continue
            start, end = match.span("hit")
            yield self.span(start, end, 0.6, "a relative of a known person", category="ROLLE")

    def _phrase(
        self, doc: Document, start: int, end: int, score: float, why: str, category: str
    ) -> Iterator[Span]:
        """A phrase span, split around the capitalised names inside it.

        The names ("… fra Eritrea i klassen", "han som reddet Kari …") keep their own spans, as
        the guidelines ask, and a place or person recogniser's higher score cannot drop the
        whole phrase in the merge.
        """
        piece_start = start
        for token in TOKEN_RE.finditer(doc.text, start, end):
            if token.start() > start and token.group()[:1].isupper():
                if doc.text[piece_start : token.start()].strip():
                    yield self.span(piece_start, token.start(), score, why, category=category)
                piece_start = token.end()
        if doc.text[piece_start:end].strip():
            yield self.span(piece_start, end, score, why, category=category)

    def _mentions_event(self, phrase: str) -> bool:
        patterns = quasi_patterns()
        return bool(
            patterns.event.search(phrase + " i")
            or patterns.survived.search(phrase)
            or EVENT_PERSON_RE.search(phrase)
        )

    # DIAGNOSE ---------------------------------------------------------------------------

    def _is_common_condition(self, phrase: str) -> bool:
        common = quasi_lists().common_conditions
        words = re.findall(r"[\w-]+", phrase.casefold())
        return any(
            " ".join(words[i:j]) in common
            for i in range(len(words))
            for j in range(i + 1, min(len(words), i + 3) + 1)
        )

    def _conditions(self, doc: Document, words: frozenset[str]) -> Iterator[Span]:
        text = doc.text
        find = quasi_patterns().find
        for match in find(quasi_patterns().condition, text, words):
            start, end = match.span("hit")
            yield self.span(start, end, 0.65, "a rare condition", category="DIAGNOSE")
        for match in find(EPONYM_RE, text, words):
            hit = match.group("hit")
            name = hit.split()[0]
            if (
                self._is_common_condition(hit.replace("-", " "))
                or doc.lexicon.is_ordinary(name)
                or doc.lexicon.is_ordinary(name[:-1])
                or doc.lexicon.is_name(name)
                or name[:-1].casefold() in doc.lexicon.relations
            ):
                continue
            start, end = match.span("hit")
            yield self.span(start, end, 0.6, "a named syndrome or disease", category="DIAGNOSE")
        for match in find(DIAGNOSED_RE, text, words):
            hit = match.group("hit")
            following = text[match.end() : match.end() + 40]
            if (
                self._is_ordinary(doc, hit.split()[0])
                or self._is_common_condition(f"{hit} {following}")
                or re.match(r"[A-Za-z]\d", hit)
            ):
                continue
            start, end = match.span("hit")
            yield self.span(start, end, 0.55, "a diagnosis that may be rare", category="DIAGNOSE")
        for match in find(BORN_WITHOUT_RE, text, words):
            start, end = match.span("hit")
            yield self.span(start, end, 0.55, "a visible feature", category="DIAGNOSE")
        for match in find(WHEELCHAIR_RE, text, words):
            start, end = match.span("hit")
            yield self.span(start, end, 0.55, "a visible feature", category="DIAGNOSE")

    # MEDLEMSKAP -------------------------------------------------------------------------

    def _memberships(self, doc: Document, words: frozenset[str]) -> Iterator[Span]:
        text = doc.text
        find = quasi_patterns().find
        patterns = quasi_patterns()
        for regex in (patterns.team, patterns.group, patterns.tv, patterns.council):
            for match in find(regex, text, words):
                start, end = match.span("hit")
                yield self.span(start, end, 0.6, "a team, band or programme", category="MEDLEMSKAP")
        for regex in (MEMBER_OF_RE, BOARD_RE):
            for match in find(regex, text, words):
                if "hit" in regex.groupindex:
                    start, end = match.span("hit")
                    noun = match.group("noun")
                    if noun is not None and self._is_workplace(doc, noun):
                        end = match.end("noun")
                    yield self.span(start, end, 0.55, "a board seat", category="MEDLEMSKAP")
                name, noun = match.group("name"), match.group("noun")
                if name and not doc.lexicon.is_ordinary(name):
                    start, end = match.span("name")
                    yield self.span(
                        start, end, MEMBERSHIP_NAME_SCORE, "a membership", category="MEDLEMSKAP"
                    )
                elif noun and "hit" not in regex.groupindex and self._is_workplace(doc, noun):
                    start, end = match.span("noun")
                    yield self.span(start, end, 0.5, "a membership", category="MEDLEMSKAP")

    # HENDELSE ---------------------------------------------------------------------------

    def _events(self, doc: Document, words: frozenset[str]) -> Iterator[Span]:
        text = doc.text
        find = quasi_patterns().find
        patterns = quasi_patterns()
        for match in find(patterns.event, text, words):
            start = match.start("hit")
            end = self._extend_event(doc, match.end("hit"))
            yield self.span(start, end, 0.6, "an event with a detail", category="HENDELSE")
        for regex in (patterns.survived, EVENT_PERSON_RE):
            for match in find(regex, text, words):
                start, end = match.span("hit")
                yield from self._phrase(doc, start, end, 0.6, "known for an event", "HENDELSE")
        for match in find(BURNED_RE, text, words):
            start, end = match.span("hit")
            yield self.span(start, end, 0.55, "a fire at one household", category="HENDELSE")
        for match in find(HAPPENED_RE, text, words):
            where = match.group("where")
            if where[:1].islower() and not self._is_workplace(doc, where):
                continue
            start, end = match.span("hit")
            yield from self._phrase(doc, start, end, 0.5, "an event at a place", "HENDELSE")

    def _extend_event(self, doc: Document, end: int) -> int:
        """Extend "brannen" over "på fabrikken"; a named place keeps its own span."""
        match = EXTENSION_RE.match(doc.text, end)
        if match and match.group("place") and self._is_workplace(doc, match.group("place")):
            return match.end()
        return end
