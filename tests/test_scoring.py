"""Notability factors, one at a time, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from db.scoring import FOLLOWERS_WEIGHT, SEVERITY_WEIGHTS, Notability, score_message
from db.sentiment import compound, tokens
from db.signals import Context

CTX = Context.from_settings(
    {
        "own_handles": ["@Voltra", "voltracare"],
        "own_domains": ["voltra.example"],
        "ceo_addresses": ["erin.cole@voltra.example"],
        "vip_emails": ["gold@customer.example"],
        "vip_handles": ["bigfan"],
    }
)
SCREEN = "Help! my screen went black and the reset doesn't work. Return it and get my money back?"


def tweet(body: str, **kw) -> dict:
    return {"channel": "tweet", "sender": kw.pop("sender", "someone"), "body": body, **kw}


def email(body: str, subject: str = "Hello", **kw) -> dict:
    row = {"channel": "email", "sender": "ann@mail.example", "subject": subject, "body": body}
    return {**row, **kw}


def score(msg: dict, **kw) -> Notability:
    return score_message(msg, ctx=CTX, **kw)


def reasons(msg: dict, **kw) -> str:
    return " | ".join(score(msg, **kw).reasons)


# --- complaint intent and tone -------------------------------------------------------------


def test_vader_alone_calls_the_black_screen_complaint_positive():
    assert SentimentIntensityAnalyzer().polarity_scores(SCREEN)["compound"] > 0


def test_black_screen_refund_request_is_a_negative_complaint_with_churn_risk():
    n = score(tweet(SCREEN))
    assert n.complaint >= 0.9
    assert n.sentiment < 0
    assert any(r.startswith("complaint: went black") for r in n.reasons)
    assert any("asks for money back — churn risk" in r for r in n.reasons)


def test_plain_question_is_no_complaint_and_scores_nothing():
    n = score(tweet("How do I change my wifi password?"))
    assert (n.complaint, n.score, n.reasons) == (0.0, 0.0, [])


def test_still_and_again_make_a_complaint_stronger():
    mild = score(tweet("My order is late"))
    strong = score(tweet("My order is late again, still waiting after three hours"))
    assert strong.complaint > mild.complaint > 0


def test_negated_positive_counts_as_complaint():
    assert score(tweet("Honestly not happy with the new app")).complaint > 0


def test_lean_sentiment_agrees_in_sign_with_vader_on_plain_sentences():
    vader = SentimentIntensityAnalyzer()
    for text in ["I love this, great service", "This is terrible and awful", "not good at all"]:
        ours = compound(tokens(text), exclamations=text.count("!"))
        assert ours * vader.polarity_scores(text)["compound"] > 0, text


# --- severity ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The car lost power while driving on the motorway, so unsafe", "safety"),
        ("My router started smoking and melted", "safety"),
        ("I could see another customer's name and bank details in my account", "privacy"),
        ("I will take this to the ombudsman and report you to the regulator", "legal or"),
        ("Journalist here, looking for comment on the outage for a story tomorrow", "press"),
        ("You charged twice this month and I am overdrawn", "money lost"),
        ("The app update broke my screen reader, I am blind", "vulnerable"),
    ],
)
def test_each_severity_gives_its_reason_and_weight(text, label):
    n = score(tweet(text))
    hit = [r for r in n.reasons if r.startswith(label)]
    assert hit, n.reasons
    assert n.score >= min(SEVERITY_WEIGHTS.values())


def test_severity_outranks_a_mild_complaint():
    assert score(tweet("My charger caught fire")).score > score(tweet("app is a bit slow")).score


# --- churn ---------------------------------------------------------------------------------


def test_threat_to_leave_is_churn_risk_with_evidence():
    r = reasons(tweet("Switching to another provider as soon as my contract ends"))
    assert "threatens to leave — churn risk" in r


def test_cancelling_a_contract_is_churn_but_noise_cancelling_headsets_are_not():
    assert "threatens to leave — churn risk" in reasons(tweet("I'm cancelling my contract"))
    pitch = "Our noise-cancelling headsets cut handling time for contact centres"
    assert not any("churn" in r for r in reasons(tweet(pitch)))


def test_refund_request_is_churn_risk():
    assert "asks for money back — churn risk (refund)" in reasons(tweet("I want a refund"))


# --- reach and engagement ------------------------------------------------------------------


def test_reach_reason_shows_followers_and_likes_in_short_form():
    msg = tweet(SCREEN, followers=8_900_000, likes=21_000, reposts=3_000)
    assert "reach: 8.9M followers, 21k likes, 3k reposts" in reasons(msg)


def test_more_followers_score_higher_log_scaled():
    small, mid, big = (score(tweet(SCREEN, followers=f)).score for f in (100, 10_000, 1_000_000))
    assert small < mid < big
    assert big - mid == pytest.approx(2 * FOLLOWERS_WEIGHT)  # two factors of ten


def test_verified_author_adds_reach():
    plain = score(tweet(SCREEN, followers=50_000)).score
    assert score(tweet(SCREEN, followers=50_000, headers={"verified": True})).score > plain
    assert score(tweet(SCREEN, followers=50_000), contact={"verified": True}).score > plain


def test_big_audience_counts_less_on_a_neutral_question():
    question = score(tweet("What time do you open?", followers=1_000_000)).score
    complaint = score(tweet("Your app is broken again", followers=1_000_000)).score
    assert 0 < question < complaint


def test_viral_post_is_notable_whatever_its_tone():
    n = score(tweet("The courier ate my fries on the doorstep cam", likes=30_000, reposts=4_000))
    assert any(r.startswith("viral: 34,000 interactions") for r in n.reasons)
    assert n.score >= 4


# --- praise --------------------------------------------------------------------------------


def test_praise_with_reach_earns_a_place_and_says_so():
    text = "Huge thanks to the engineer who came out in the rain, absolute hero, wonderful"
    viral = score(tweet(text, followers=5_000, likes=40_000, reposts=5_000))
    quiet = score(tweet(text, followers=80))
    assert "praise with reach — worth sharing with the team" in viral.reasons
    assert viral.sentiment > 0.5 and viral.complaint == 0
    assert quiet.score == 0


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for nothing @voltra, what a great update",
        "Great, another week without a bin collection. Fantastic service",
        "Oh great, the screen went black again. Well done Voltra",
        "Love how my charger is always blocked by someone who finished hours ago. Brilliant",
        "Wow, 3 hours on hold with @voltra. Truly amazing customer service",
    ],
)
def test_sarcasm_is_a_complaint_and_never_praise_with_reach(text):
    vader = SentimentIntensityAnalyzer().polarity_scores(text)["compound"]
    n = score(tweet(text, followers=900_000, likes=20_000))
    assert vader > 0  # the lexicon alone reads these as praise
    assert n.complaint >= 0.3 and "praise" not in " ".join(n.reasons)
    assert any(r.startswith("complaint: ") for r in n.reasons)


@pytest.mark.parametrize(
    "text",
    [
        "Thank you so much for sorting out my broken charger, great job",
        "Great service, I love how easy the app is",
        "Well done to the team who fixed the charger in Leeds, brilliant work",
    ],
)
def test_thanks_for_a_fix_is_not_read_as_sarcasm(text):
    assert score(tweet(text)).sentiment > 0


# --- escalation and customer value ---------------------------------------------------------


def test_mail_to_the_ceo_is_flagged():
    msg = email("Please look at this", recipients=["Erin.Cole@voltra.example"])
    assert "addressed to the CEO" in reasons(msg)


def test_references_count_as_repeat_contact():
    msg = email("My line still drops", subject="Re: Re: line drops", references=["a", "b"])
    assert "repeat contact: third email about this" in reasons(msg)


def test_third_email_without_reply_is_read_from_the_text():
    msg = email("This is my fifth email and not one reply. My refund is still missing.")
    n = score(msg)
    assert "repeat contact: fifth email, no reply yet" in n.reasons
    assert n.score > score(email("My refund is missing.")).score


@pytest.mark.parametrize(
    ("msg", "contact"),
    [
        (email("Hello there", sender="gold@customer.example"), None),
        (tweet("hello there", sender="bigfan"), None),
        (email("Hello there", sender="x@y.example"), {"vip_tier": 2}),
    ],
)
def test_vip_customer_by_setting_or_contact_tier(msg, contact):
    n = score(msg, contact=contact)
    assert "VIP customer" in n.reasons and n.score >= 2.5


def test_long_standing_customer_adds_value_with_the_years_shown():
    msg = email("My bill is wrong", received_at=datetime(2026, 11, 20, tzinfo=UTC))
    assert (
        "customer for 9 years" in score(msg, contact={"customer_since": date(2017, 3, 1)}).reasons
    )
    assert not any("customer for" in r for r in score(msg, contact={}).reasons)


# --- noise ---------------------------------------------------------------------------------

NOISE = [
    (email("Out until Monday", headers={"auto_submitted": "auto-replied"}), "auto-reply"),
    (email("Away", subject="Automatic reply: your order"), "auto-reply"),
    (email("Sale now on", headers={"list_unsubscribe": "<mailto:u@x>"}), "bulk mail"),
    (email("Weekly digest", headers={"precedence": "bulk"}), "bulk mail"),
    (email("could not be delivered", headers={"content_type": "multipart/report"}), "bounce"),
    (email("Undelivered", sender="mailer-daemon@mx.example"), "bounce"),
    (email("You have won a prize! Click here to claim your bitcoin"), "spam"),
    (email("Dear Hiring Manager, my CV and cover letter are attached"), "job application"),
    (email("Companies like yours use our platform. Book a call for a demo?"), "vendor pitch"),
    (tweet("Our chargers are now in Leeds!", sender="voltracare"), "our own account"),
    (email("Internal note: the outage is fixed", sender="ops@mail.voltra.example"), "own address"),
    (tweet("RT @voltra: new chargers live", is_retweet=True), "retweet of our @voltra"),
    (tweet("RT @someone: this app is broken", is_retweet=True), "a retweet"),
]


@pytest.mark.parametrize(("msg", "kind"), NOISE)
def test_each_kind_of_noise_scores_zero_with_its_reason(msg, kind):
    n = score(msg)
    assert n.is_noise and n.score == 0
    assert n.reasons[0].startswith("noise:") and kind in n.reasons[0]


def test_one_spam_word_alone_is_not_noise():
    assert not score(email("I won't accept this broken router, give me a refund")).is_noise


def test_noise_beats_complaint_words():
    bounce = email(
        "Your refund failed, charged twice", headers={"content_type": "multipart/report"}
    )
    assert score(bounce).is_noise


# --- the result ----------------------------------------------------------------------------


def test_notability_is_frozen_and_reasons_are_strongest_first():
    n = score(tweet("My charger caught fire, I want a refund", followers=2_000))
    with pytest.raises(AttributeError):  # immutable
        n.score = 1.0  # type: ignore[misc]
    assert n.reasons[0].startswith("safety")


def test_context_from_settings_normalises_handles_and_case():
    assert CTX.own_handles == frozenset({"voltra", "voltracare"})
    assert CTX.is_own_address("a@sub.voltra.example") and not CTX.is_own_address("a@voltra.com")
