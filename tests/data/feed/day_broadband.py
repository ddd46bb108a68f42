"""Day 1: Brightline Broadband, a home and business internet provider, Tuesday 10 November 2026.

Labels are a busy CEO's judgement: what she must see this morning. Ten incidents: the Leeds
outage wave, a presenter's viral speed complaint, a father's care alarm cut off, another
customer's bank details on screen, a double direct debit, an Ofcom threat after eight weeks, a
VIP business leaving, a viral thank-you for an engineer, a third missed engineer visit with
unpaid days off, and a smoking router.
"""

from __future__ import annotations

import random
from datetime import date

from build_days import Day, E, T
from filler import noise, routine_emails, routine_tweets

# fmt: off
rng = random.Random(1)
CO, DOM, H = "Brightline", "brightline.net", "brightlinebb"
CEO = "dana.okafor@brightline.net"

OUT = "leeds-outage"
outage = [
    T("mattkirkby", "Matt Kirkby", 412, "@brightlinebb internet down in Leeds since 6am, no "
      "ETA on your status page. Working from home today, great", at="06:31", likes=3,
      incident=OUT),
    T("sarahjlee", "Sarah Lee", 230, "Brightline broadband completely down in LS6. Router just "
      "flashing red. Anyone else?", at="06:40", likes=5, replies=4, incident=OUT),
    T("gavhydes", "Gav Hydes", 1650, "No internet again @brightlinebb LS7. Third outage this "
      "month. What am I paying for?", at="06:52", likes=12, rts=2, incident=OUT),
    T("leedsmum_of3", "Jen", 88, "@brightlinebb kids can't do homework, internet down in "
      "Headingley since early this morning", at="07:05", likes=1, incident=OUT),
    T("ollie_codes", "Ollie", 2400, "Brightline outage in Leeds, whole street has no "
      "internet. Tethering off my phone to get to standup", at="07:18", likes=22, rts=3,
      incident=OUT),
    T("priyanka_d", "Priyanka D", 310, "@brightlinehelp still no broadband in Leeds, your "
      "chat just loops. Any update on the outage?", at="07:44", likes=2, incident=OUT),
    T("hydeparkchippy", "Hyde Park Chippy", 3100, "Card machine offline because @brightlinebb "
      "internet is down in Leeds. Cash only today, sorry folks", at="08:10", likes=64, rts=19,
      incident=OUT),
    T("drtomwalsh", "Dr Tom Walsh", 980, "GP surgery in Leeds running on paper because our "
      "Brightline line is down. Outage since 6am @brightlinebb", at="08:26", likes=41, rts=11,
      incident=OUT),
    T("beckyfromleeds", "Becky", 150, "Is Brightline down for everyone in Leeds? No internet "
      "since 6", at="08:49", incident=OUT),
    T("stevo_m", "Steve M", 77, "@brightlinebb 4 hours with no internet in LS6 and the status "
      "page says all fine. Sort it out", at="10:02", likes=2, incident=OUT),
    T("annaclarke_", "Anna Clarke", 540, "Brightline internet down again in Leeds. Cancelling "
      "as soon as my contract ends", at="11:30", likes=9, incident=OUT),
    T("kofi_a", "Kofi A", 260, "Still no broadband in Leeds @brightlinebb, 6 hours now. "
      "Compensation?", at="12:15", likes=4, incident=OUT),
    E("m.haworth@gmail.com", "Mark Haworth", "Internet down in Leeds - no update",
      "Hello, my broadband has been down since about 6am today (LS6 3AB). Your status page "
      "says there are no known issues, but my whole street is out. I work from home and "
      "have lost a day's work. When will it be fixed?", at="09:15", incident=OUT),
    E("info@kirkstallflorist.co.uk", "Kirkstall Florist", "Broadband outage - business line",
      "Our business broadband has been down all morning in Leeds. We cannot take card "
      "payments or online orders. Please tell us when service will be restored.",
      at="10:40", incident=OUT),
]

incidents: list[T | E] = [
    T("jessmarlowtv", "Jess Marlow", 2100000, "Paying @brightlinebb for 'ultrafast' 900Mb "
      "and getting 11Mb for three weeks. Engineer cancelled twice. Anyone recommend a "
      "provider that actually turns up?", at="07:55", likes=21400, rts=2300, replies=3100,
      quotes=410, verified=True, incident="celebrity-speed"),
    E("ruth.akins@btinternet.com", "Ruth Akins", "My father's care alarm has not worked for "
      "four days", "Dear Ms Okafor,\n\nMy father is 84 and lives alone. His personal care "
      "alarm runs over his Brightline phone line, which has been dead since Friday. If he "
      "falls he cannot call for help. I have called your helpline three times and been "
      "promised an engineer each time; nobody came. I am frightened for his safety. Please "
      "can someone act today.\n\nRuth Akins", at="07:20", to=CEO, incident="care-alarm"),
    E("l.brennan@outlook.com", "Liam Brennan", "I can see another customer's details",
      "When I logged into My Account this morning it showed another customer's name, home "
      "address and the last four digits of their bank account, not mine. This is a serious "
      "data breach. Who else can see my details? I expect an explanation.", at="08:05",
      incident="account-data-exposure"),
    T("nat_osei", "Nat Osei", 640, "Logged into my @brightlinebb account and it's showing "
      "someone else's address and bank details?! That's a data breach", at="08:40",
      likes=31, rts=12, incident="account-data-exposure"),
    E("g.fenwick@gmail.com", "Grace Fenwick", "Charged twice this month",
      "You have taken my direct debit twice this month, £45.99 on the 1st and again on the "
      "3rd. I am now overdrawn and my bank charged me £25. Please refund both the "
      "duplicate payment and the overdraft fee.", at="09:30", incident="double-debit"),
    T("tariqhassan", "Tariq Hassan", 420, "@brightlinebb why have you taken my direct debit "
      "twice this month? £45.99 x2. Want my money back", at="09:50", likes=6,
      incident="double-debit"),
    E("pauline.g@yahoo.co.uk", "Pauline Grant", "Double payment taken",
      "Brightline took two payments from my account this month. I want the duplicate "
      "refunded straight away, I am a pensioner and this has left me short.", at="11:10",
      incident="double-debit"),
    T("ed_marsh", "Ed Marsh", 190, "Anyone else been charged twice by @brightlinebb this "
      "month? Double direct debit taken", at="13:22", likes=3, replies=2,
      incident="double-debit"),
    E("c.whitfield@protonmail.com", "Colin Whitfield", "Re: Re: Complaint ref BL-448211 - "
      "eight weeks unresolved", "This is my third email. Eight weeks ago I reported that my "
      "line drops every evening. You have not replied to either of my previous emails. As "
      "you have failed to resolve this within eight weeks I will be referring my complaint "
      "to the Ombudsman and reporting you to Ofcom. I also expect my contract to be released "
      "without penalty.", at="08:30", refs=2, incident="ofcom-threat"),
    E("ops@haywardlogistics.co.uk", "Fiona Hayward", "Our 40 business lines",
      "Dana,\n\nWe have been a Brightline business customer for nine years with 40 lines "
      "across three depots. Since the network change last month our Wakefield depot has "
      "lost connection six times and scanners go offline mid-shift. Unless this is fixed "
      "this week we will move all 40 lines to another provider.\n\nFiona Hayward, COO",
      at="09:05", to=CEO, incident="vip-business-churn"),
    T("hollyreads", "Holly", 5200, "Shout out to the @brightlinebb engineer who climbed a "
      "pole in the pouring rain at 8pm so my mum could video call her grandkids. Absolute "
      "hero, thank you Jamal", at="08:12", likes=48200, rts=6100, replies=900, quotes=300,
      incident="engineer-praise"),
    E("kevin.doyle@gmail.com", "Kevin Doyle", "Third missed engineer appointment",
      "For the third time an engineer failed to turn up for my installation. I have taken "
      "three days off unpaid to wait in for you, that is over £300 in lost wages, and nobody "
      "called to say they weren't coming. I want compensation for my lost earnings.",
      at="10:15", incident="missed-engineer"),
    T("laurenpike", "Lauren Pike", 820, "My @brightlinebb hub just started smoking and the "
      "plastic melted round the power socket. Unplugged it. This could have caused a fire",
      at="19:40", likes=58, rts=21, incident="router-smoke"),
]

ROUTINE_TWEETS = [
    "@brightlinehelp how do I change my wifi name and password?",
    "What's the price of @brightlinebb fibre after the 18 month contract ends?",
    "Speeds a bit slow tonight @brightlinebb, anything going on?",
    "@brightlinebb do you do a social tariff?",
    "thanks @brightlinehelp for sorting my router so quickly",
    "Is there a Brightline shop in Bradford?",
    "@brightlinebb my new router arrived, when does the line go live?",
    "@brightlinehelp can I move my broadband to my new flat next month?",
    "wifi dropping in the back bedroom, any tips on a booster @brightlinebb",
    "@brightlinebb when is the price rise in April?",
    "Brightline wifi is fine for me today, Manchester",
    "switched to @brightlinebb last week, so far so good",
    "@brightlinehelp what time does your phone line open on Sunday",
    "Anyone know if Brightline does static IPs on home plans?",
    "@brightlinebb my bill is a bit higher this month, why?",
    "Hold music on the @brightlinebb helpline is a banger to be fair",
    "@brightlinehelp do I need to return my old router?",
    "Netflix buffering a bit tonight on brightline, probably my wifi",
    "@brightlinebb is the 500Mb package available in Harrogate yet",
    "@brightlinehelp how do I turn off the parental controls",
    "thanks to the brightline chat agent, quick answer",
    "@brightlinebb do you offer TV as well as broadband?",
    "@brightlinehelp upload speed slower than advertised, how do I run a proper test?",
    "Really happy with my brightline fibre, rock solid for gaming",
    "@brightlinebb my email setup stopped working on Outlook, what are the server settings?",
    "can I get a discount if I pay annually @brightlinebb",
    "@brightlinehelp router lights all blue, is that normal?",
    "Brightline app won't show my usage, not a big deal",
    "@brightlinebb landline number porting, how long does it take?",
    "engineer came on time and fitted everything neatly, cheers @brightlinebb",
    "@brightlinehelp what's the referral code scheme?",
    "@brightlinebb is there a student discount",
    "ping spiking a bit in the evenings on @brightlinebb",
    "@brightlinehelp how do I set up a guest network",
    "Got my first Brightline bill, all as expected",
    "@brightlinebb will the new hub support wifi 7?",
]

ROUTINE_EMAILS = [
    ("Moving house", "Hello, I am moving on 2 December. Can I take my broadband with me? "
     "New postcode is LS17 8QT."),
    ("Router password", "I have forgotten the admin password for my router. How do I reset "
     "it?"),
    ("Question about my bill", "My bill shows a £2 line I don't recognise called 'paper "
     "bill'. Can I switch to e-billing?"),
    ("Upgrade to faster package", "I'd like to upgrade to 500Mb. Will it change my contract "
     "end date?"),
    ("Thank you", "Just wanted to say thanks to Priya on your helpline who sorted my issue "
     "yesterday. Very patient."),
    ("Static IP", "Do you offer a static IP for home customers and what does it cost?"),
    ("Parental controls", "How do I block certain websites for my children's devices?"),
    ("Contract end date", "Could you tell me when my contract ends please? Account BL-20931."),
    ("Wifi extender", "Do you sell wifi extenders? Our signal upstairs is weak."),
    ("Change of name", "I got married and need to change the name on my account."),
    ("Speed question", "My speed test shows 310Mb on a 350Mb plan. Is that within range?"),
    ("Direct debit date", "Can I move my direct debit date to the 28th to match my payday?"),
    ("Old router", "Do I need to send back my old router now that the new one is working?"),
    ("Price rise", "Is the April price rise going to apply to my contract? Thanks."),
]

OWN = [
    "We're aware some customers in Leeds have no service this morning. Engineers are on it "
    "and we'll update here.",
    "Leeds update: service is being restored street by street. Thanks for your patience.",
    "Our 500Mb fibre is now live in Harrogate and Knaresborough!",
    "Need help? Our team is here 8am-8pm, 7 days a week.",
]

DAY = Day(
    slug="day1_broadband",
    day=date(2026, 11, 10),
    company=CO,
    domain=DOM,
    settings={
        "own_handles": ["brightlinebb", "brightlinehelp"],
        "own_domains": [DOM],
        "ceo_addresses": [CEO],
        "vip_emails": ["ops@haywardlogistics.co.uk"],
        "vip_handles": [],
    },
    messages=outage
    + incidents
    + routine_tweets(ROUTINE_TWEETS, rng)
    + routine_emails(ROUTINE_EMAILS, rng, DOM)
    + noise(CO, DOM, H, OWN, rng),
)
