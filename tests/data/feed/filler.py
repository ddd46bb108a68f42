"""The everyday bulk of a day: routine customer messages and noise, around the incidents.

Routine lines are written per company in the day files; this module gives them senders, times and
small audiences, and adds the noise every inbox gets (auto-replies, newsletters, bounces, vendor
pitches, job applications, spam, the company's own tweets and retweets of them).
"""

from __future__ import annotations

import random

from build_days import E, T

FIRST = "amy ben cara dev eli faye gus hana ivan jo kai lena milo nia omar pia raj sian tom una"
LAST = "ashby brook cole dunn ellis ford gray hale irwin jay kent lowe moss nash orr pryce"


def _person(rng: random.Random) -> tuple[str, str]:
    first, last = rng.choice(FIRST.split()), rng.choice(LAST.split())
    return f"{first}{last}{rng.randint(1, 99)}", f"{first.title()} {last.title()}"


def _clock(rng: random.Random, lo: int = 6, hi: int = 23) -> str:
    return f"{rng.randint(lo, hi - 1):02d}:{rng.randint(0, 59):02d}"


def routine_tweets(lines: list[str], rng: random.Random) -> list[T]:
    """Give each routine line an ordinary customer with a small audience."""
    out = []
    for text in lines:
        handle, name = _person(rng)
        out.append(
            T(handle, name, int(rng.lognormvariate(5, 1.3)), text, at=_clock(rng),
              likes=rng.choice([0, 0, 0, 1, 2, 4]), replies=rng.choice([0, 0, 1]))
        )  # fmt: skip
    return out


def routine_emails(items: list[tuple[str, str]], rng: random.Random, domain: str) -> list[E]:
    """Give each routine (subject, body) an ordinary sender."""
    out = []
    for subject, body in items:
        handle, name = _person(rng)
        host = rng.choice(["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com"])
        out.append(E(f"{handle}@{host}", name, subject, body, at=_clock(rng, 7, 22)))
    return out


def noise(company: str, domain: str, handle: str, own_lines: list[str], rng: random.Random):
    """Return the noise of a day: mail nobody needs to read and the company's own tweets."""
    to = f"help@{domain}"
    msgs: list[T | E] = [
        E("j.patel@harwoodlegal.co.uk", "Jay Patel", "Automatic reply: Your account update",
          "I am out of the office until Monday 16 November with limited access to email. "
          "For urgent matters please contact my colleague.", at="07:02",
          headers={"Auto-Submitted": "auto-replied"}),
        E("noreply@helpdesk.larkfield.org", "", "Re: Your monthly statement is ready",
          "Thank you for your email. This is an automated response to confirm we received it. "
          "We aim to reply within 5 working days.", at="10:31",
          headers={"Auto-Submitted": "auto-generated", "Precedence": "auto_reply"}),
        E("news@cxweekly.com", "CX Weekly", f"5 ways {company} can cut complaints this winter",
          "This week: why customers churn, the refund paradox, and our webinar on angry "
          "customers. Register now, seats are limited!", at="06:15",
          headers={"List-Unsubscribe": "<mailto:unsub@cxweekly.com>", "Precedence": "bulk"}),
        E("offers@travelpoint-deals.com", "TravelPoint", "Black Friday: 40% off everything",
          "Our biggest sale ever. Don't miss out, prices this low won't last. Shop now.",
          at="05:40", headers={"List-Unsubscribe": "<https://travelpoint-deals.com/u>",
                                "Precedence": "list"}),
        E("MAILER-DAEMON@mx1.mailhost.net", "Mail Delivery System",
          "Undelivered Mail Returned to Sender",
          f"This is the mail system at host mx1.mailhost.net. Your message to "
          f"r.hughes@oldcompany.co.uk could not be delivered. The original message said: your "
          f"refund from {company} has been processed.", at="03:12", bounce=True),
        E("postmaster@outlook.com", "Postmaster", "Delivery Status Notification (Failure)",
          "Delivery to the following recipient failed permanently: k.lomas@btinternet.invalid",
          at="13:48", bounce=True),
        E("growth@scalemetrics.io", "Chloe from ScaleMetrics",
          f"Quick question about {company}'s support stack",
          f"Hi team, I noticed {company} gets a lot of complaints on social. Companies like "
          f"yours cut churn by 30% with our AI agent. Do you have 15 minutes this week for a "
          f"demo? Happy to send a case study.", at="09:12"),
        E("partnerships@brandlift.agency", "Tom Reeve", "Partnership opportunity",
          "We are a leading influencer marketing agency and would love to discuss how we can "
          "grow your reach. Book a call with our team.", at="14:20"),
        E("amelia.c.jones@gmail.com", "Amelia Jones", "Application for Customer Support Advisor",
          "Dear Hiring Manager, please find attached my CV and cover letter for the Customer "
          "Support Advisor vacancy. I have three years of experience in call centres.",
          at="11:05"),
        E("d.okoro.cv@outlook.com", "Daniel Okoro", "Job application - Operations Analyst",
          "Hello, I am writing to apply for the Operations Analyst position advertised on "
          "LinkedIn. My resume is attached. I look forward to hearing from you.", at="16:40"),
        E("winner-dept@prize-claims.top", "Claims Dept", "Congratulations! You have been selected",
          "You have WON a $1,000,000 prize. To claim, send your bank details and a processing "
          "fee today. Act now, this offer expires in 24 hours!!!", at="02:33"),
        E("seo.rank.expert@gmail.com", "Rank Expert", "Page 1 of Google guaranteed",
          f"Dear owner of {domain}, your website is not ranking. We guarantee first page "
          f"results for cheap price. Reply for free audit.", at="04:51"),
        E("crypto.returns@mailbox.ru", "", "Urgent: investment opportunity 300% return",
          "Dear friend, bitcoin investment guaranteed return. Click here to double your money.",
          at="01:19"),
    ]  # fmt: skip
    for k, line in enumerate(own_lines):
        msgs.append(T(handle, company, 184000, line, at=_clock(rng), likes=40 + k, rts=6,
                      verified=True))  # fmt: skip
    for line in own_lines[:3]:
        who, name = _person(rng)
        msgs.append(T(who, name, rng.randint(40, 900), f"RT @{handle}: {line}", at=_clock(rng),
                      retweet=True))  # fmt: skip
    for m in msgs:
        if isinstance(m, E) and not m.to:
            m.to = to
    return msgs
