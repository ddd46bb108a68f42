"""The phrase lists the notability score reads: complaint, severity, churn, escalation, noise.

Each phrase is lowercase words as `db.sentiment.tokens` splits them; `find_cues` looks up every
window of a text in one dict (a window grows only while it is the start of a
longer phrase), so the cost is a few dict lookups per word
whatever the size of the lists. Lists are business-neutral on purpose (an airline, an internet
provider and a delivery app all get "charged twice", "data breach" and "small claims").
"""

from __future__ import annotations

from collections import defaultdict
from itertools import compress

_LISTS: dict[str, str] = {
    "problem": """broken|down|outage|offline|crash|crashes|crashing|crashed|error|failed|fails|
        failing|fault|faulty|not working|doesn't work|doesnt work|didn't work|won't work|
        stopped working|no internet|no service|no signal|no connection|went black|dead|
        cancelled|canceled|late|delayed|lost|missing|stuck|never arrived|didn't arrive|
        no show|didn't turn up|failed to turn up|not turn up|wrong|stranded|bumped|
        overbooked|left us|left me|ignored|no eta|no update|no hotel|no food|disgrace|
        disgraceful|unacceptable|appalling|terrible|awful|worst|useless|rubbish|shocking|
        chaos|fed up|sort it out|sort this out|what am i paying|complaint|dissatisfaction|
        dissatisfied|disappointed|problem|slow|buffering|keeps dropping|drops|declined|
        refused|overcharged|locked out|can't|cannot|unable|not happy|not good enough|
        not acceptable|no help|not fixed|not resolved|unresolved|failed to resolve|
        downgraded|without explanation|no explanation|nobody came|broke|breaks|hungry|
        was left|were left|left on|left behind|left waiting|nobody brought|no one came|
        on hold|blocked|blocking""",
    # praise words said of a failure: VADER reads them as praise, a CEO reads a complaint
    "sarcasm": """thanks for nothing|cheers for nothing|thanks a lot for nothing|oh joy|
        just what i needed|another week without|another day without|another month without|
        what a surprise|surprise surprise|what a joke|slow clap|said no one|said nobody""",
    # praise frames that are sarcasm only around a recurring problem ("love how it's broken
    # again"); with a problem alone they are mostly thanks for a fix
    "irony": """love how|gotta love|got to love|you have to love|you've got to love|
        oh great|oh good|oh brilliant|oh wonderful|great job|well done|nice one|bravo|
        thanks a lot""",
    "intensifier": """still|again|yet again|yet another|every week|every time|every evening|
        hours|days|weeks|months|nobody|no one|no reply|no response|not one reply|three times|
        four times|for an hour|all morning|all day|absolute|completely|seriously""",
    "demand": """i want|i expect|i demand|please fix|fix this|sort this|explain|explanation|
        urgently|urgent|immediately|act today|straight away|i would like to know""",
    "safety": """fire|smoke|smoking|smoked|burning|burning smell|melted|melting|sparks|
        electric shock|injury|injured|hospital|a&e|ambulance|anaphylaxis|anaphylactic|
        allergic reaction|allergy|nut allergy|epipen|unsafe|not safe|not feel safe|
        dangerous|danger|hazard|lost power|brakes|collapsed|insulin|medical emergency|
        medication|care alarm|personal alarm|choking|carbon monoxide|cockroach|rats|
        food poisoning|poisoning|safety|diabetic""",
    "vulnerable": """wheelchair|disabled|disability|blind|deaf|elderly|pensioner|vulnerable|
        accessibility|screen reader|voiceover|carer|dementia|reduced mobility""",
    "privacy": """data breach|breach|someone else's|somebody else's|another customer's|
        another person's|another passenger's|other people's|stranger's|passport number|
        passport numbers|bank details|card details|personal data|personal details|gdpr|
        hacked|leaked|data leak|exposed|privacy|identity theft""",
    "legal": """ombudsman|ofcom|regulator|trading standards|lawyer|solicitor|legal action|
        court|small claims|sue|suing|civil aviation authority|environmental health|
        equality act|discrimination|reasonable adjustments|fca|ico|report you|
        reporting you|my rights|our rights|know our rights|obliged|legally""",
    "press": """journalist|reporter|for comment|story tomorrow|newspaper|article|
        going to the press|the press|bbc|watchdog""",
    "money": """charged twice|taken twice|double charge|double charged|double payment|
        duplicate payment|two payments|charged twice|overcharged|overdrawn|money taken|
        took the money|took my money|lost wages|unpaid|out of pocket|bank charged|
        no refund|been charged|charged|left my account|money gone|gone and no|
        lost a day's work|lost earnings|lost my earnings|paid for""",
    "refund": """refund|refunded|money back|my money|return it|chargeback|compensation|
        voucher|reimburse""",
    "leave": """cancel my|cancel our|cancelling my|canceling my|cancelling our|canceling our|
        i'm cancelling|i am cancelling|we're cancelling|we are cancelling|will be cancelling|
        cancelling the contract|cancelling my contract|switching to|switch provider|
        moving to another|moving our|move all|another provider|another airline|
        another app|to another|leave|leaving|i'm done|done with|never again|never use|
        never fly|recommend a provider|close my account|as soon as my contract""",
    "ultimatum": """unless|within 14 days|within 7 days|this week|or else|last chance""",
    "repeat": """second email|third email|fourth email|fifth email|sixth email|second time|
        third time|fourth time|fifth time|called three times|emailed twice|chased|
        still waiting|previous emails|previous email|follow up|following up|again and again|
        not one reply|no reply|weeks ago|five months|months and""",
    "spam": """you have won|have won|winner|prize|claim your|to claim|bitcoin|crypto|
        investment opportunity|guaranteed return|double your money|click here|act now|
        first page|page 1 of google|seo|lottery|processing fee|dear friend|viagra|
        expires in 24 hours|free audit|cheap price|overdue invoice|immediate payment|
        payment required|wire transfer|verify your account|account suspended|gift card|
        click the link|link in bio|for life""",
    "job": """hiring manager|my cv|cv|resume|cover letter|vacancy|apply for|application for|
        position advertised|job application|writing to apply|role advertised""",
    "vendor": """book a call|a demo|15 minutes|case study|partnership opportunity|influencer|
        our platform|companies like yours|schedule a call|grow your|leading|agency|webinar|
        our ai|happy to send|quick question about""",
}

ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _build() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = defaultdict(list)
    for kind, text in _LISTS.items():
        for phrase in text.split("|"):
            phrase = " ".join(phrase.split())
            if phrase and kind not in table[phrase]:
                table[phrase].append(kind)
    return {k: tuple(v) for k, v in table.items()}


CUES: dict[str, tuple[str, ...]] = _build()
# every proper prefix of a multi-word phrase: a window only grows while it could still match
_PREFIXES = frozenset(
    " ".join(p.split()[:k]) for p in CUES for k in range(1, len(p.split())) if " " in p
)
# one lookup per window: (its kinds as a phrase, or (), whether a longer phrase starts with it)
_GRAMS = {g: (CUES.get(g, ()), g in _PREFIXES) for g in (*CUES, *_PREFIXES)}
_NOTHING: tuple[tuple[str, ...], bool] = ((), False)


def find_cues(words: list[str]) -> dict[str, list[str]]:
    """Return kind -> matched phrases (in order, no repeats) for a tokenised text."""
    found: dict[str, list[str]] = {}
    grams, n = _GRAMS, len(words)
    starts = list(map(grams.get, words))  # one C-level pass: most words start no phrase
    for i in compress(range(n), starts):
        kinds, longer = starts[i]
        gram = words[i]
        j = i + 1
        while True:
            for kind in kinds:
                hits = found.setdefault(kind, [])
                if gram not in hits:
                    hits.append(gram)
            if not longer or j >= n:
                break
            gram = gram + " " + words[j]
            j += 1
            kinds, longer = grams.get(gram, _NOTHING)
    return found
