"""Greetings, thanks, goodbyes and asking for help: a message that only says hello, thank you
or "help" gets a short reply in kind, not a "not covered" answer (and is no knowledge gap)."""

from __future__ import annotations

import re

_EMOJI = re.compile(r":[a-z0-9_+'-]+:")  # Slack emoji codes such as :pray:
_TAIL = r"(?:\s+(?:so\s+much|a\s+lot|again|very\s+much|rolebot|bot|there|all|everyone|team))*"
_KINDS = {
    "greeting": r"hi|hello|hey|hiya|howdy|yo|good\s+(?:morning|afternoon|evening)|"
    r"how\s+are\s+(?:you|u|things)(?:\s+doing)?|how'?s\s+it\s+going|what'?s\s+up|sup",
    "thanks": r"thanks?|thank\s+you|thx|ty|cheers|much\s+appreciated|appreciate\s+it|"
    r"ok(?:ay)?|cool|great|nice|perfect|awesome|got\s+it",
    "goodbye": r"bye|goodbye|see\s+you|see\s+ya|cya",
    "help": r"help(?:\s+me)?|can\s+you\s+help(?:\s+me)?|what\s+(?:can|do)\s+you\s+do|"
    r"how\s+does\s+this\s+work|how\s+do\s+i\s+use\s+(?:this|you|it)|"
    r"(?:does|is)\s+(?:this|it)\s+(?:even\s+|thing\s+)?(?:work|working|on)|are\s+you\s+a\s+bot",
}
_PATTERNS = {
    kind: re.compile(rf"^[\W_]*(?:{words})(?:[\s,.!]+(?:{words}))*{_TAIL}[\W_]*$", re.IGNORECASE)
    for kind, words in _KINDS.items()
}


def courtesy_kind(text: str) -> str | None:
    """'greeting', 'thanks', 'goodbye' or 'help' when the message says nothing else, else
    None."""
    bare = " ".join(_EMOJI.sub(" ", text).split())
    if not bare or len(bare) > 60:
        return None
    return next((kind for kind, p in _PATTERNS.items() if p.match(bare)), None)


def courtesy_reply(kind: str, hint: str) -> str:
    """The reply in kind; `hint` says what the bot can be asked."""
    if kind == "thanks":
        return f"You're welcome! {hint}"
    if kind == "help":
        return f"I answer questions about the roles in my guide, quoting the passage. {hint}"
    if kind == "goodbye":
        return "Bye! Mention me or send me a message whenever you have a question about a role."
    return f"Hi! {hint}"
