"""The rules that decline whatever the scores, and when the masked topic needs measuring."""

from __future__ import annotations

from dataclasses import replace

import pytest
from support.knowledge import knowledge_from
from support.queries import query_of as _query

from bot.abstain import AbstentionModel, Signals
from bot.pipeline.decide import (
    CodeBeyondSeries,
    Decider,
    ElsewhereTopic,
    FigureWithoutNumbers,
    HiringIntoRole,
    SignalBounds,
    TitleElsewhere,
    UnknownRole,
)
from bot.pipeline.parse import asking_clause
from bot.pipeline.rank import Scored

GUIDE = """# Roles

## Product Manager (PM)
A PM owns the product vision and works with engineers.

## Technical Product Manager (TPM)
A TPM owns the technical roadmap. Several teams ask the Staff Designer for reviews.
"""


@pytest.fixture(scope="module")
def rule(tmp_path_factory) -> UnknownRole:
    return UnknownRole(knowledge_from(tmp_path_factory.mktemp("k"), {"guide.md": GUIDE}))


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("What does a scrum master do?", "scrum master"),
        ("Is an engineering manager the same thing?", "engineering manager"),
        ("what does a product marketing manager do", "product marketing manager"),
        ("how is a technical program manager different?", "technical program manager"),
        ("What does a UX Researcher do?", "UX Researcher"),  # named as the asker wrote it
        ("what does a really great scrum master do?", "scrum master"),
        ("What is the VP of Engineering responsible for?", "VP of Engineering"),
        ("who does the head of data report to?", "head of data"),
        ("what's the refund limit for customer support agents?", "customer support agent"),
    ],
)
def test_titles_the_documents_never_use_are_unknown(rule, question: str, title: str) -> None:
    assert rule.unknown_title(question) == title


@pytest.mark.parametrize(
    "question",
    [
        "What does a product manager do?",
        "what is a prodct manager responsible for",  # a typo of a known role
        "Who works with the engineers?",  # a group, not a role asked about
        "Does a senior product manager code?",  # a known role with a seniority word
        "I'm a data engineer - which role would use my background?",  # the asker's own job
        "i was an architect before; is that useful for a TPM?",
        "what does the staff designer review?",  # no heading, but the text uses the title
        "what makes a good manager?",  # no particular role
        "what does a really strong engineer look like here?",
        "who's the go-between for the engineers and everyone else?",
        "before escalating a blocker to the architect, what should I try?",
        "who is the head of the on-call rota?",  # no field after "of"
        "should I get ahead of the roadmap?",
        "what does a technical prod manager own?",  # a shortened word of a known title
        "what does a T3 engineer do?",  # a level code is no part of the title
        "what's the on-call rota for product managers?",  # a known role, in the plural
    ],
)
def test_known_roles_titles_in_the_text_and_groups_are_not_unknown(rule, question: str) -> None:
    assert rule.unknown_title(question) is None


HANDBOOK = """# Levels

## Levels and roles
Every teammate has a role (for example Account Executive or Software Engineer) and a level.

## IC4
An IC4 leads projects across several teams.
"""


@pytest.fixture(scope="module")
def handbook(tmp_path_factory):
    return knowledge_from(tmp_path_factory.mktemp("h"), {"levels.md": HANDBOOK})


def _best(knowledge, heading: str) -> Scored:
    passage = next(p for p in knowledge.passages if p.section.heading == heading)
    return Scored(passage, 1.0, 1.0)


@pytest.mark.parametrize(
    ("heading", "declined"),
    [
        ("IC4", True),  # about levels: the title is used only on another page
        ("Levels and roles", False),  # the passage names the title
    ],
)
def test_a_title_used_only_elsewhere_declines_an_answer_from_a_section_without_it(
    handbook, heading: str, declined: bool
) -> None:
    rule = TitleElsewhere(handbook)
    query = _query("what's the career path for an account executive?")
    reason = rule.reason(query, _best(handbook, heading))
    assert (reason == "The documents don't describe the account executive role") is declined


def test_a_title_used_only_elsewhere_is_no_reason_in_a_comparison(handbook) -> None:
    query = replace(_query("how is an account executive different from an IC4?"), compares=True)
    assert TitleElsewhere(handbook).reason(query, _best(handbook, "IC4")) is None


def test_a_title_used_only_elsewhere_is_no_reason_when_a_known_role_is_named(handbook) -> None:
    rule = TitleElsewhere(handbook)
    query = _query("does the engineer work with an account executive?", named=("Engineer",))
    assert rule.reason(query, _best(handbook, "IC4")) is None


@pytest.mark.parametrize(
    ("question", "team"),
    [
        ("my laptop won't connect to the VPN, who do I ping?", "IT support"),
        ("what's the wifi password for the 3rd floor?", "IT support"),
        ("anyone know if the printers are fixed yet", "IT support"),  # plural, never named
        ("do we get extra pay for being on call?", "the people team"),  # "paying attention"
        ("how do I get promoted to senior engineer?", "the people team"),
        ("what does the on-call engineer carry with them?", None),
        ("do I need my laptop with me when on call?", None),  # the documents use "laptop"
        # "interviewing" is used, in the best passage's section too
        ("what are the interview stages for joining the on-call rota?", None),
        # a people-team subject in the setting, not in what is asked
        ("I've got a salary review next week, which on-call skills matter most?", None),
        ("who runs customer interviews when the rota changes?", None),  # product work
        ("is there a learning budget for conferences?", "the people team"),
        ("what's the per diem when I travel?", "the people team"),
        ("what's the on-call allowance per week?", "the people team"),
        ("how much notice do I give if I quit?", "the people team"),
        ("who signs off the rota's budget?", None),  # a budget, not a learning budget
        ("what rating scale do performance reviews use?", "the people team"),
        ("who reads the customer ratings after an outage?", None),  # product work
    ],
)
def test_subjects_other_teams_own_are_declined_where_the_documents_never_mention_them(
    tmp_path, question: str, team: str | None
) -> None:
    text = (
        "# On call\n\n## Kit\nKeep your laptop and charger with you while on call.\n\n"
        "## Joining\nInterviewing for the rota happens twice a year.\n\n"
        "## Leaving\nInterviewing your successor is part of handing over.\n\n"
        "## Calls\nThe commander makes sure everyone is paying attention.\n"
    )
    knowledge = knowledge_from(tmp_path, {"oncall.md": text})
    query = replace(_query(question), clause=asking_clause(question))
    best = "Joining" if "joining" in question else "Kit"
    reason = ElsewhereTopic(knowledge).reason(query, _best(knowledge, best))
    if team is None:
        assert reason is None
    else:
        assert reason is not None and reason.startswith(f"That's one for {team}:")


@pytest.mark.parametrize(
    ("documents", "question", "declined"),
    [
        ("Each level sets a compensation band.", "what salary does a senior get?", False),
        ("Progression to the next level takes a year.", "how do I get promoted?", False),
        ("This career ladder sets what each level expects.", "how do I get promoted?", False),
        ("Moving up a level needs a growth review.", "when do I get promoted?", False),
        ("Seniors spend a day a week paying down tech debt.", "do seniors get paid more?", True),
        ("The role pays off when teams grow past ten people.", "what's the pay for a lead?", True),
        ("Leads take time off in turns over the summer.", "how much PTO do leads get?", False),
        ("Payroll runs monthly; pay it down early.", "how many days of paid leave a year?", True),
        ("Leads plan their days off in turns.", "how much paid leave do leads get?", False),
        ("The deputy covers when the lead is on leave.", "how many vacation days a year?", True),
        ("The deputy covers when the lead is on leave.", "who covers when I'm on PTO?", False),
        ("Leads plan the sprint with their team.", "can I work from home on fridays?", True),
        ("We are a remote team across four time zones.", "can leads work remotely?", False),
    ],
)
def test_a_word_of_the_subjects_family_covers_it_and_idioms_do_not(
    tmp_path, documents: str, question: str, declined: bool
) -> None:
    text = f"# Ladder\n\n## Levels\n{documents}\n\n## Leads\n{documents}\n"  # two passages
    knowledge = knowledge_from(tmp_path, {"ladder.md": text})
    reason = ElsewhereTopic(knowledge).reason(_query(question), _best(knowledge, "Levels"))
    assert (reason is not None) is declined


@pytest.mark.parametrize(
    ("text", "best", "declined"),
    [
        ("## Kit\nWrite it down: it is more resilient to PTO and life events.\n", "Kit", True),
        (
            "## Kit\nPTO is agreed with your lead.\n\n## Rota\nSwap shifts around PTO.\n",
            "Kit",
            False,
        ),
        ("## Kit\nBring a laptop.\n\n## Time off\nAgree it with your lead.\n", "Time off", False),
    ],
)
def test_a_subject_mentioned_once_in_passing_is_not_covered(tmp_path, text, best, declined) -> None:
    knowledge = knowledge_from(tmp_path, {"team.md": f"# Team\n\n{text}"})
    question = "how many PTO days do we get per year?"
    reason = ElsewhereTopic(knowledge).reason(_query(question), _best(knowledge, best))
    assert (reason is not None) is declined


def test_a_covered_subject_is_declined_from_a_section_that_says_nothing_of_it(tmp_path) -> None:
    text = (
        "# Team\n\n## Developer levels\nDevelopers ship features and review code.\n\n"
        "## Time off\nAsk your lead before booking time off.\n"
    )
    knowledge = knowledge_from(tmp_path, {"team.md": text})
    rule = ElsewhereTopic(knowledge)
    question = _query("how many vacation days do developers get?")
    reason = rule.reason(question, _best(knowledge, "Developer levels"))
    assert (
        reason == "That's one for the people team: the closest sections say nothing of “vacation”"
    )
    assert rule.reason(question, _best(knowledge, "Time off")) is None


def test_a_title_within_a_known_role_name_is_that_role_not_an_unknown_one(tmp_path) -> None:
    text = "# Backend Engineer\n\n## Senior Backend Engineer\nSenior backend engineers lead.\n"
    rule = UnknownRole(knowledge_from(tmp_path, {"backend.md": text}))
    assert rule.unknown_title("what does a senior engineer do?") is None
    assert (
        rule.unknown_title("what does a senior frontend engineer do?") == "senior frontend engineer"
    )
    assert rule.unknown_title("what does a principal engineer do?") == "principal engineer"


# The model judges topic alone here: probability = sigmoid(10 * (topic - 0.5)), threshold 0.5.
TOPIC_ONLY = AbstentionModel(weights=(0.0, 10.0, 0.0), bias=-5.0, threshold=0.5)
TOPIC = frozenset({"topic"})
# Stray alone: probability = sigmoid(-10 * (stray - 0.5)), threshold 0.5.
STRAY_ONLY = AbstentionModel(weights=(0.0, 0.0, -10.0), bias=5.0, threshold=0.5)


@pytest.mark.parametrize(
    ("partial", "decided"),
    [(0.7, False), (0.2, None)],  # None: the unread words decide
)
def test_the_stray_bound_declines_when_the_words_read_already_decline(
    partial: float, decided: bool | None
) -> None:
    """The stray signal over all unknown words is at least that over the words read so far, and
    at most 1: a decline at the partial value stands; an answer could still fall."""
    sure = SignalBounds().sure(STRAY_ONLY, Signals(0.5, 0.5, partial), frozenset({"stray"}))
    if decided is None:
        assert sure is None
    else:
        assert sure is not None and (sure >= STRAY_ONLY.threshold) is decided


@pytest.mark.parametrize(
    ("estimate", "decided"),
    [(0.95, True), (0.05, False), (0.6, None), (0.3, None)],  # None: the masked pass decides
)
def test_topic_bounds_decide_only_when_no_masked_topic_could_change_the_outcome(
    estimate: float, decided: bool | None
) -> None:
    bounds = SignalBounds(fall=0.4, rise=0.3)
    sure = bounds.sure(TOPIC_ONLY, Signals(dense=0.5, topic=estimate, stray=0.0), TOPIC)
    if decided is None:
        assert sure is None
    else:
        assert sure is not None and (sure >= TOPIC_ONLY.threshold) is decided


def test_the_masked_topic_is_measured_only_when_the_bounds_do_not_decide() -> None:
    decider = Decider((), TOPIC_ONLY, SignalBounds(fall=0.4, rise=0.3))
    query = _query("what does the team lead own?")
    calls: list[float] = []

    def measured(topic: float):
        def measure() -> Signals:
            calls.append(topic)
            return Signals(dense=0.5, topic=topic, stray=0.0)

        return measure

    def no_clause(_clause: str) -> Signals:
        raise AssertionError("no clause to judge")

    sure = decider.decide(query, None, Signals(0.5, 0.95, 0.0), no_clause, measured(0.2), TOPIC)
    assert sure.answer and calls == []  # even a masked topic 0.4 lower is answered
    unsure = decider.decide(query, None, Signals(0.5, 0.6, 0.0), no_clause, measured(0.2), TOPIC)
    assert not unsure.answer and calls == [0.2]  # the masked topic decided


PRIORITIES = "P1 tickets get an answer in 15 minutes, P2 in an hour and P4 in a day. An IC4 helps."
LEVELS = "Level 1 learns, level 2 delivers, Level 4 leads."


@pytest.mark.parametrize(
    ("documents", "question", "declined"),
    [
        (PRIORITIES, "what's the response time for a P5?", True),
        (PRIORITIES, "what does a p0 ticket mean?", True),
        (PRIORITIES, "what is the P2 response time?", False),
        (PRIORITIES, "is there a P3 rota?", False),  # inside the range, though the page skips it
        (PRIORITIES, "what does an L9 do?", False),  # no L series in the documents
        (PRIORITIES, "what does an IC5 do?", False),  # one IC code is no series
        (LEVELS, "what does a level 5 data engineer do?", True),  # "Level 5" is L5
        (LEVELS, "L5 data engineer skills?", True),
        (LEVELS, "what skills does a lvl 2 analyst need?", False),
    ],
)
def test_a_code_past_either_end_of_the_documents_series_is_declined(
    tmp_path, documents: str, question: str, declined: bool
) -> None:
    knowledge = knowledge_from(tmp_path, {"targets.md": f"# Targets\n\n## Targets\n{documents}\n"})
    reason = CodeBeyondSeries(knowledge).reason(_query(question), _best(knowledge, "Targets"))
    assert (reason is not None) is declined
    if declined:
        assert reason.startswith("The documents don't mention ")


@pytest.mark.parametrize(
    ("named", "best", "declined"),
    [
        (("Data Scientist",), "Analytics Engineer", True),  # another role's stipend
        (("Analytics Engineer",), "Analytics Engineer", False),
        ((), "Analytics Engineer", False),
        (("Data Scientist",), "Pay", False),  # a section about no role
    ],
)
def test_a_figure_of_another_role_than_the_one_named_is_no_answer(
    tmp_path, named: tuple[str, ...], best: str, declined: bool
) -> None:
    text = (
        "# Data team\n\n## Analytics Engineer\nOn call a week a month, with a $350 stipend.\n\n"
        "## Data Scientist\nBuilds forecasts.\n\n## Pay\nBands rise by 5% every April.\n"
    )
    knowledge = knowledge_from(tmp_path, {"team.md": text})
    query = replace(_query("what's the on-call stipend?", named), asks_figure=True)
    reason = FigureWithoutNumbers().reason(query, _best(knowledge, best))
    assert (reason is not None) is declined


@pytest.mark.parametrize(
    ("best", "declined"),
    [("Promotions", True), ("On-call", False), ("Bands", False)],
)
def test_a_question_about_money_wants_an_amount_not_any_figure(tmp_path, best, declined) -> None:
    text = (
        "# Ladder\n\n## Promotions\nMost people spend 2 to 3 years at each level.\n\n"
        "## On-call\nPrimary on-call earns $350 a week.\n\n## Bands\nBands run 90k to 120k.\n"
    )
    knowledge = knowledge_from(tmp_path, {"ladder.md": text})
    query = replace(
        _query("what's the salary range for a senior developer?"), asks_figure=True, asks_money=True
    )
    reason = FigureWithoutNumbers().reason(query, _best(knowledge, best))
    assert (reason is not None) is declined


@pytest.mark.parametrize(
    ("question", "best", "declined"),
    [
        ("what's the interview loop for engineering managers?", "Responsibilities", True),
        (
            "how many interview rounds does a backend candidate go through?",
            "Responsibilities",
            True,
        ),
        ("what's the interview loop for engineering managers?", "Hiring process", False),
        ("what's the interview loop for backend engineers?", "Deploying", False),  # run-in
        ("do I run interview panels as a senior?", "Responsibilities", False),  # a duty
    ],
)
def test_the_hiring_process_for_a_role_is_answered_only_from_a_section_about_it(
    tmp_path, question: str, best: str, declined: bool
) -> None:
    text = (
        "# Engineering Manager\n\n## Responsibilities\n"
        "Define efficient and effective interview processes for your team.\n\n"
        "## Hiring process\nCandidates meet a recruiter, then two engineers and a manager.\n\n"
        "## Deploying\nInterview loop: four stages, from a recruiter call to a values chat.\n"
    )
    knowledge = knowledge_from(tmp_path, {"em.md": text})
    reason = HiringIntoRole().reason(_query(question), _best(knowledge, best))
    assert (reason is not None) is declined
