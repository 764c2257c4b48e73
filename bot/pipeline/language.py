"""English word lists and patterns the engine reads questions with: data, in one place.

(General stopwords, chat fillers and abbreviations live with the tokenizer in
embeddings/text.py; job-title head nouns with role discovery in knowledge/roles.py.)
"""

from __future__ import annotations

import re

from knowledge.roles import OF_TITLE_HEADS, TITLE_HEADS

# "who…", "which role…", "which of the two roles…", "what position…": the answer is a role.
WHO = re.compile(
    r"^\s*(?:who|whose|whom|(?:which|what)\s+(?:of\s+(?:the|these|those)\s+(?:two\s+)?)?"
    r"(?:role|person|people|one|job|title|position)s?)\b",
    re.IGNORECASE,
)
# "define…", "explain…", "tell me about…": how the question asks, not what it asks about.
REQUEST = re.compile(
    r"^\s*(?:please\s+)?(?:define|explain|describe|summari[sz]e|tell\s+me(?:\s+about)?|"
    r"give\s+me\s+(?:an?\s+)?(?:overview|summary)(?:\s+of)?)\b",
    re.IGNORECASE,
)
# "tl;dr", "in one sentence", "in a nutshell", "one-liner": how short the answer should be.
FORMAT = re.compile(
    r"\b(?:tl;?dr|eli5|in\s+(?:one|a|1|a\s+single)\s+(?:sentence|line|word|nutshell)|"
    r"one[\s-]?liner|in\s+short|(?:the\s+)?short\s+version)\b",
    re.IGNORECASE,
)
# Where a question told in several clauses breaks: a dash, the end of a sentence or an emoji
# ("Just got promoted 🎉 do I still…"), or a comma before a question word ("…around here, who
# handles…").
CLAUSE_BREAK = re.compile(
    r"\s+[-–—]+\s+|(?<=[.;:!?\u2600-\u27bf\U0001f300-\U0001faff])\s+|"
    r",\s+(?=(?:who|whose|which|what|how|is|are|does|do|should|can|would|where|why|when)\b)",
    re.IGNORECASE,
)
# A clause that asks opens, after "so", "but"…, with a question word or an auxiliary verb.
LEAD_INS = frozenset("so but and then ok okay well also anyway".split())
QUESTION_OPENERS = tuple(
    "who whom whose which what what's whats how why when where is are was were am do does did "
    "should shall can could would will may might must has have".split()
)
COMPARE = re.compile(
    r"\b(?:vs\.?|versus|differ\w*|compar\w*|distinguish\w*|separat\w*|unlike|both|same|"
    r"between)\b",
    re.IGNORECASE,
)

# "how many…", "how much does…", "how long…", "what is the ratio…": the answer is a figure.
# ("How much coding…" asks for a degree, which prose can answer, so "much" needs a verb next.)
FIGURE_QUESTION = re.compile(
    r"\bhow\s+(?:many|long|big|large|old|much\s+(?:do|does|did|is|are|was|were|will|would|"
    r"should|can|could|money))\b"
    r"|\b(?:what|which)(?:'s|s|\s+is|\s+are)?\s+(?:the\s+|a\s+)?(?:\w+\s+)?"
    r"(?:percentage|ratio|proportion|salary|salaries|number\s+of)\b"
    # "how much more does a TPM earn", "how much extra do we get paid": money, whatever comes
    # between (of all labelled questions, three match beyond the rest, all three to decline)
    r"|\bhow\s+much\s+(?:[\w'-]+\s+){0,5}?(?:paid|pay|earns?|makes?|costs?|budget)\b"
    r"|\bhow\s+much\s+(?:equity|salary|bonus|stipend|allowance|compensation|money)\b",
    re.IGNORECASE,
)
# "how much does a PM need to know…", "how much are juniors expected to work on their own…":
# a degree again,
# when the verb follows the subject (an auxiliary and up to three words).
DEGREE_QUESTION = re.compile(
    r"\bhow\s+much\s+(?:[\w']+\s+){1,4}?"
    r"(?:needs?\s+to|know|understand|care|matters?|expected\s+to|supposed\s+to)\b",
    re.IGNORECASE,
)
NUMBER_WORDS = (
    # not "two": "the two roles" is no figure
    "three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
    "fifty hundred hundreds thousand thousands million millions dozen dozens half percent"
).split()
# A number naming a level after a title or a level word ("Senior 2", "Engineer 3", "Level 4")
# is no figure either.
LEVEL_WORDS = (
    *TITLE_HEADS,
    "senior",
    "junior",
    "principal",
    "staff",
    "associate",
    "level",
    "grade",
)
LEVEL_NUMBER = re.compile(
    r"\b(?:" + "|".join(LEVEL_WORDS) + r")s?\s+\d{1,2}\b(?![.,]?\d|\s*[%$€£+])", re.IGNORECASE
)
# A digit glued to letters is a level code ("S2", "IC4", "L5"), not a figure.
# "one" and "two" count before a unit of time ("within two business days", "a two-week
# shadow run"), not alone ("the two roles").
_SMALL_COUNT = (
    r"\b(?:one|two)[\s-]+(?:business\s+|working\s+)?(?:minute|hour|day|week|month|year)s?\b"
)
# Quantities told in words answer "how many" as well as a number ("a few initiatives",
# "once a quarter").
_VAGUE_COUNT = r"\b(?:a\s+few|several|a\s+couple|a\s+handful|once|twice)\b"
FIGURE = re.compile(
    r"(?<![A-Za-z])\d(?![A-Za-z])|[$€£%~]|\b(?:"
    + "|".join(NUMBER_WORDS)
    + r")\b|"
    + _SMALL_COUNT
    + "|"
    + _VAGUE_COUNT,
    re.IGNORECASE,
)

# "how many people…" counts something other than time: a span of time ("20 minutes", "two to
# three business days") is no answer to it.
COUNTED = re.compile(r"\bhow\s+many\s+([a-z]+)", re.IGNORECASE)
_TIME_UNIT = r"(?:minute|min|hour|hr|day|week|month|year|sec|second)"
# A counted noun that is time, or a stretch of it ("how many sprints…")
TIME_WORDS = re.compile(rf"(?:{_TIME_UNIT}|quarter|time|sprint|shift)s?$", re.IGNORECASE)
TIME_SPAN = re.compile(
    r"(?:\d[\d,.]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty)\b)(?:\s*(?:-|–|to)\s*\S+)?\s*(?:business\s+|working\s+)?"
    + _TIME_UNIT
    + r"s?\b",
    re.IGNORECASE,
)

# A figure question about money ("what's the salary range…", "how much is the on-call
# allowance?") and the figures that answer one: an amount of money.
MONEY_ASK = re.compile(
    r"\b(?:salar(?:y|ies)|pay|paid(?!\s+(?:vacation|time\s+off|leave|holidays?|sick))|earns?|"
    r"wages?|costs?|budget|stipends?|allowances?|"
    r"bonus(?:es)?|equity|compensation|dollars?|euros?|pounds?)\b|[$€£]",
    re.IGNORECASE,
)
MONEY_FIGURE = re.compile(
    r"[$€£¥]\s?\d|\d\s?[$€£]|\b\d[\d,.]*\s?[km]\b|\b(?:dollars|euros|pounds|usd|eur|gbp)\b",
    re.IGNORECASE,
)

# "17 times 23", "what's 12*7", "2 + 2", "square root of 81": sums, whatever the knowledge says
# ("-" and "/" are left out: "2-3 years", "3/4 of the time" are no sums).
_OPERATOR = r"(?:[+*x×÷^]|times|plus|minus|divided\s+by|multiplied\s+by|to\s+the\s+power\s+of)"
ARITHMETIC = re.compile(
    rf"\b\d+(?:[.,]\d+)?\s*{_OPERATOR}\s*\d+(?:[.,]\d+)?\b"
    r"|\b(?:square|cube)\s+root\s+of\s+\d+|\b\d+\s*(?:squared|cubed|factorial)\b",
    re.IGNORECASE,
)

# A sum told in words ("if a clinic has 212 slots and 38 are empty, what percent is that?"):
# two numbers or more in a question that asks for a share or a total of them.
WORD_SUM = re.compile(
    r"\bwhat\s+(?:percent(?:age)?|fraction|share)\s+(?:is|are|was|of)\b"
    r"|\bhow\s+(?:many|much)\s+(?:is|are)\s+(?:that|left|in\s+total)\b"
    r"|\b(?:add|multiply|divide|subtract)\s+\d",
    re.IGNORECASE,
)
NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w.])")

# Small talk addressed to the bot itself: "tell me a joke", "what's your favourite colour?",
# "are you human?", "write me a poem".
SMALL_TALK = re.compile(
    r"\b(?:tell\s+(?:me|us)\s+a\s+joke|(?:what'?s|what\s+is)\s+your\s+(?:name|favou?rite)\b"
    r"|do\s+you\s+(?:like|love|dream|sleep|eat|have\s+feelings)\b"
    r"|are\s+you\s+(?:human|real|alive|sentient|conscious|happy|married|single)\b"
    r"|how\s+old\s+are\s+you|(?:sing|write)\s+(?:me\s+|us\s+)?a\s+(?:song|poem|story|haiku)\b"
    # Greetings and weekend chat addressed to the whole channel.
    r"|(?:happy|good)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"
    r"|\bgood\s+(?:morning|afternoon|evening)\s+(?:all|everyone|team|folks)\b"
    r"|how\s+(?:was|were)\s+(?:your|ur|everyone'?s|the)\s+(?:weekend|holidays?|vacation)\b"
    r"|\b(?:any|your|ur)\s+(?:fun\s+|big\s+)?(?:weekend|holiday)\s+plans\b"
    # The weather, as asked in chat ("what's the weather in Berlin tomorrow", "is it going to
    # rain today"), not a weather feed a team owns.
    r"|\b(?:what'?s|whats|what\s+is|how'?s|how\s+is)\s+the\s+weather\b"
    r"|\bweather\s+(?:like|today|tomorrow|forecast|this\s+weekend)\b"
    r"|\b(?:is\s+it|will\s+it)\s+(?:going\s+to\s+)?(?:rain|snow)\b"
    r"|\b(?:sunset|sunrise|sun\s+(?:set|rise)s?)\b)",
    re.IGNORECASE,
)

# Workplace subjects a role handbook leaves to other teams: (who to ask instead, where the
# question must name the subject, what names it in a question, what in the documents covers
# it). A question naming one the documents don't cover is declined (bot.pipeline.decide.
# ElsewhereTopic). Equipment trouble counts anywhere in the question ("my vpn keeps dropping,
# how do I fix it?"), and only the device's own word covers it (None). Pay, leave,
# promotions, interviews and the like count only in what the question asks ("I've got an
# interview next week, which skills should I brush up on?" asks about skills), and any word of
# their family covers them: a ladder that speaks of "compensation" or "progression" (or is a
# "career ladder" at all) covers a question about salary or promotion. User and customer
# interviews are product work.
_PEOPLE = "the people team"
ELSEWHERE_TOPICS: tuple[tuple[str, str, re.Pattern[str], re.Pattern[str] | None], ...] = tuple(
    (team, scope, re.compile(asks, re.IGNORECASE), re.compile(covers) if covers else None)
    for team, scope, asks, covers in (
        (
            "IT support",
            "question",
            r"\b(vpn|wi-?fi|printers?|laptops?|passwords?|2fa|projectors?|routers?|chargers?|"
            r"keyboards?|headsets?|webcams?)\b",
            None,
        ),
        (
            _PEOPLE,
            "asked",
            r"\b(salar(?:y|ies)|pay|paid(?!\s+(?:leave|time\s+off))|payroll|bonus(?:es)?|equity|"
            r"stock\s+options?|wages?|allowances?)\b",
            # "paid vacation", "a paid tool" and "card payments" say nothing of anyone's pay
            r"\b(?:salar(?:y|ies)|pay|pays|paid(?!\s+(?:vacation|time off|leave|holidays?|"
            r"tools?|plans?|tiers?|accounts?|subscriptions?|versions?))|payroll|bonus(?:es)?|"
            r"equity|stock options?|compensat\w*|wages?|remunerat\w*|allowances?)\b",
        ),
        (
            _PEOPLE,
            "asked",
            # a budget for learning is the people team's; a director's budget is not
            r"\b((?:learning|training|conference|education(?:al)?|development|book|"
            r"certification)\s+(?:budget|allowance|stipend|fund)s?|per\s+diem)\b",
            r"\b(?:(?:learning|training|conference|education(?:al)?|development|book|"
            r"certification) (?:budget|allowance|stipend|fund)|per diem)",
        ),
        (
            _PEOPLE,
            "asked",
            # "customer ratings" and "app ratings" are product work
            r"\b((?<!customer\s)(?<!app\s)(?<!user\s)(?:performance\s+)?ratings?(?:\s+scales?)?)\b",
            r"\brating",
        ),
        (
            _PEOPLE,
            "asked",
            r"\b(notice\s+period|resign(?:ing|ation|s)?|quit(?:ting|s)?)\b",
            r"\b(?:notice period|resign|quit)",
        ),
        (
            _PEOPLE,
            "asked",
            # "when I'm on PTO, who covers?" asks about cover, not about leave
            r"\b(?<!on )(pto|vacations?|holidays?|parental|(?:paid|annual|sick|unpaid)\s+leave|"
            r"time\s+off|days?\s+off|sick\s+days?)\b",
            r"\b(?:pto\b|vacation|holiday|time off|days? off|in lieu|sick days|"
            r"(?:annual|sick|paid) leave|parental)",
        ),
        (
            _PEOPLE,
            "asked",
            r"\b(promot(?:ed|ion|ions|e|es|ing))\b",
            r"\b(?:promot|progression|advancement|level up|next level|mov(?:e|es|ing) up|"
            r"career (?:ladder|path|framework)|"
            r"levell?ing)",
        ),
        (
            _PEOPLE,
            "asked",
            r"\b((?<!customer\s)(?<!user\s)interview(?:s|ed|ing|ers?)?)\b",
            r"\b(?:interview|recruiter|recruitment|hiring (?:process|loop))",
        ),
        (
            _PEOPLE,
            "asked",
            r"\b(reimburse\w*|expenses?|stipends?|visas?|relocat\w*|insurance|pensions?)\b",
            None,
        ),
        (
            _PEOPLE,
            "asked",
            r"\b(remote(?:ly)?|wfh|work(?:ing)?\s+from\s+(?:home|another\s+country|abroad))\b",
            r"\b(?:remote|work(?:ing)? from home|wfh|hybrid|distributed team|on[ -]?site|"
            r"in[ -]office|office[ -]based)",
        ),
    )
)

# A question about the hiring process a candidate for a role goes through ("what's the
# interview loop for engineering managers?", "how many interview rounds does an SRE candidate
# go through?"), not about interviewing as a duty ("do I run interview panels at senior 1?").
HIRING_INTO = re.compile(
    r"\binterview(?:s|ing)?(?:\s+(?:loop|process|stages?|rounds?|steps?|questions?))?"
    r"\s+(?:for|to\s+join)\b|\binterview\w*\b.*\bcandidates?\b|\bcandidates?\b.*\binterview",
    re.IGNORECASE,
)
# Where a section is about that process: its headings, or a passage's first words (a run-in
# heading: "Interview loop The loop has four stages…"; not a duty, "Define efficient
# interview processes").
HIRING_PROCESS = re.compile(
    r"\b(?:interview|recruit\w*|hiring (?:process|loop|steps)|take-home)", re.IGNORECASE
)
HIRING_OPENING_WORDS = 3

# Phrases in the documents that use a subject's word for something else ("makes sure everyone
# is paying attention", "paying down tech debt", "pay it down", "it pays off", "paid-for
# tools" say nothing about pay): left out where ElsewhereTopic reads them.
NOT_THE_SUBJECT = re.compile(
    r"\bpa(?:y|ys|ying|id)\s+(?:it\s+|them\s+)?(?:attention|forward|off|down|back)\b|\bpaid-for\b",
    re.IGNORECASE,
)

# Words that ask about a role or a section as a whole ("what is expected of a senior?", "the
# duties of a scribe"): a question asking nothing else is answered with a whole list.
WHOLE_ASKS = frozenset(
    "do does doing role roles job jobs duty duties responsibility responsibilities responsible "
    "expected expectation expectations expect day look like looks involve involves overview "
    "summary typical typically main key list all everything".split()
)

# A code of a series: a level ("L5", "IC6", "E-4", "Level 3", "lvl 3": all "L"), a priority
# ("P2"), a severity ("SEV-1"). Group 1 the letters (none for a level word), group 2 the number.
CODE = re.compile(r"(?<![\w-])(?:([A-Za-z]{1,3})-?|(?:level|lvl)\s+)(\d{1,2})(?![\w-])", re.I)

# A question about "a/an <...> <job-title noun>": the role it asks about.
TITLE = re.compile(
    r"\b(?:a|an|the)\s+((?:[a-z][a-z0-9/&-]*\s+){0,3}(?:" + "|".join(TITLE_HEADS) + r"))s?\b",
    re.IGNORECASE,
)
# "the schedule for frontend engineers": titles in the plural need no article, after "for"
# or "of", one to three words before the head.
PLURAL_TITLE = re.compile(
    r"\b(?:for|of)\s+((?:[a-z][a-z0-9/&-]*\s+){1,3}(?:" + "|".join(TITLE_HEADS) + r"))s\b",
    re.IGNORECASE,
)
# "the VP of Engineering", "head of data": a head and the first word of its field.
OF_TITLE = re.compile(
    r"\b((?:"
    + "|".join(h.replace(" ", r"\s+") for h in OF_TITLE_HEADS)
    + r")\s+of\s+(?!(?:the|a|an|our|my|your|their|this|that|it)\b)[a-z][a-z-]*)\b",
    re.IGNORECASE,
)
# Words that come before a title without being part of the role's name ("a good manager").
TITLE_QUALIFIERS = frozenset(
    "good great bad new newly typical average successful effective strong real actual "
    "first-time first future current my our your their this that "
    "really very truly super pretty quite most more excellent outstanding solid decent".split()
)
# Words no job title holds: a title ends after the last of them ("a blocker to the architect",
# "the go-between for the engineers" name no role beyond "architect", "engineers").
TITLE_BREAKS = frozenset(
    "a an the to for between of with and or in on at from by about than into as vs versus "
    "who whom which that what".split()
)
# "I'm", "I am", "I was", "I've been" right before the title: the asker describes themselves.
SELF = re.compile(r"\bi(?:'m|’m|m|\s+am|\s+was|'ve\s+been|\s+have\s+been)\s+$", re.IGNORECASE)

# "what's an SME?", "what is the deputy, in incident response?", "define TPM", "what does IC
# stand for?": the question asks what a role is. Read on the question with its one role name
# replaced by ROLE_SLOT (and request verbs and format wishes removed); a few words of setting
# may follow ("in incident response", "here").
ROLE_SLOT = "\x00role\x00"
DEFINITION_ASK = re.compile(
    r"^\s*(?:(?:so|and|ok|okay)\s+)?"
    r"(?:(?:what(?:'s|’s|s|\s+is|\s+are)\s+)?(?:an?\s+|the\s+)?"
    + ROLE_SLOT
    + r"(?:\s+(?:in|at|on|within|for)\s+[\w'’&/ -]{1,40}?|\s+(?:here|exactly|really|anyway))?"
    r"|what\s+does\s+(?:an?\s+|the\s+)?" + ROLE_SLOT + r"\s+(?:stand\s+for|mean))"
    r"\s*[?.!]*\s*$",
    re.IGNORECASE,
)


def defining(alias: str) -> re.Pattern[str]:
    """A passage that says what the role is, opening with its name: "A Subject Matter Expert
    (SME), sometimes called a "Resolver", is a domain expert…", "The Deputy is a direct
    support role…" (not "The Scribe is expected to…")."""
    return re.compile(
        rf"^(?:an?\s+|the\s+)?{re.escape(alias)}s?(?:\s*\([^)]{{1,40}}\))?(?:,[^,.]{{1,80}},)?"
        r"\s+(?:is|are)\s+(?:an?|the|our|one)\b",
        re.IGNORECASE,
    )
