"""Day 2: Forkful, a food-delivery app, Wednesday 11 November 2026.

Ten incidents a busy CEO must see: a child's allergic reaction to a "nut-free" order, a viral
doorstep video of a courier eating an order, the checkout failing in the dinner rush (charged
without an order), a cockroach reported to environmental health, a journalist asking about
courier pay cuts, a blind customer locked out by the app update (to the CEO), other customers'
receipts emailed out, a corporate client cancelling, a courier hero going viral, and a wave of
late orders in the storm.
"""

from __future__ import annotations

import random
from datetime import date

from build_days import Day, E, T
from filler import noise, routine_emails, routine_tweets

# fmt: off
rng = random.Random(2)
CO, DOM, H = "Forkful", "forkful.com", "forkful"
CEO = "sam.reyes@forkful.com"

PAY = "checkout-failure"
checkout = [
    T("jordyn_eats", "Jordyn", 340, "@forkful app keeps crashing at checkout, tried 5 times. "
      "Starving", at="18:42", likes=6, incident=PAY),
    T("mikeyb", "Mikey B", 1200, "Forkful payment failed but I've been charged £27 anyway and "
      "no order. @forkful sort this out", at="18:49", likes=18, rts=4, incident=PAY),
    T("chloe_t", "Chloe T", 210, "is @forkful down? payment won't go through", at="18:51",
      likes=9, replies=5, incident=PAY),
    T("deano1988", "Dean", 95, "Charged twice by Forkful tonight, payment error then took the "
      "money anyway. Refund please @forkfulsupport", at="18:58", likes=2, incident=PAY),
    T("sofiamakes", "Sofia", 2800, "Forkful checkout broken for anyone else? Card declined "
      "error but bank shows the payment", at="19:03", likes=35, rts=6, incident=PAY),
    T("raj_pat", "Raj", 150, "@forkful payment failed 3 times, money taken 3 times. £81 "
      "gone and no food", at="19:10", likes=14, rts=3, incident=PAY),
    T("emilyyyy", "Emily", 60, "forkful app crashing at checkout again", at="19:16",
      incident=PAY),
    T("tonyg", "Tony G", 480, "@forkfulsupport payment error at checkout and my card charged. "
      "Support chat not loading either", at="19:25", likes=4, incident=PAY),
    T("kezia_w", "Kezia", 330, "Switching to another app, Forkful checkout has been broken "
      "for an hour and took my money", at="19:40", likes=11, incident=PAY),
    E("harry.lund@gmail.com", "Harry Lund", "Charged but no order",
      "Tonight at about 7pm your app said payment failed, but £34.50 has left my account "
      "and there's no order. I'd like my money back please.", at="19:55", incident=PAY),
    E("b.ahmed@outlook.com", "Bilal Ahmed", "Payment taken twice, order never placed",
      "Your checkout failed twice and I have been charged twice, £52 in total. No food "
      "arrived. Please refund.", at="20:30", incident=PAY),
]

STORM = "storm-late-orders"
storm = [
    T("bristol_bex", "Bex", 210, "@forkful order 1h 40 late and still no sign of the "
      "rider. Food will be stone cold", at="20:05", likes=3, incident=STORM),
    T("samwhite", "Sam White", 88, "Forkful delivery in Bristol now 2 hours late, tracker "
      "hasn't moved", at="20:22", incident=STORM),
    T("lucy_bristol", "Lucy", 400, "2 hours waiting for @forkful, app keeps pushing the "
      "time back. Cancelled and no refund offered", at="20:40", likes=7, incident=STORM),
    T("gregor_r", "Gregor", 150, "@forkfulsupport order stuck on 'rider on the way' for 90 "
      "minutes in the storm, Bristol", at="20:48", likes=2, incident=STORM),
    T("neela_k", "Neela", 620, "Two hours late @forkful and then the order was cancelled. "
      "Kids went to bed hungry", at="21:05", likes=15, rts=2, incident=STORM),
    E("j.okafor@gmail.com", "Joy Okafor", "Order two hours late then cancelled",
      "My order from Bristol tonight was two hours late and was then cancelled by the app "
      "without explanation. I would like a refund and an explanation.", at="21:30",
      incident=STORM),
    T("marcus_b", "Marcus", 300, "@forkful delivery 2 hrs late in Bristol, arrived cold and "
      "soggy", at="21:45", likes=3, incident=STORM),
]

incidents: list[T | E] = [
    E("r.campbell@gmail.com", "Rachel Campbell", "My son had an allergic reaction",
      "Last night I ordered from Golden Wok through Forkful and ticked 'nut allergy' and "
      "wrote NO PEANUTS in the notes. My 9-year-old son had an anaphylactic reaction after "
      "two bites and we spent the night in A&E. The dish clearly contained peanuts. I want "
      "to know how this happened and what you will do so it never happens to another "
      "child.", at="07:45", to=CEO, incident="allergen-reaction"),
    T("rachcampbell", "Rachel Campbell", 1900, "Ordered nut-free via @forkful, son ended up "
      "in A&E with anaphylaxis. The allergy note is clearly pointless. Please be careful",
      at="08:10", likes=2600, rts=1400, replies=300, incident="allergen-reaction"),
    T("tashafoodie", "Tasha | Food & Life", 640000, "My @forkful courier ate my fries on my "
      "doorstep before ringing the bell, it's all on the doorbell cam. Unreal", at="12:30",
      likes=31000, rts=4200, replies=2500, quotes=900, verified=True,
      incident="courier-ate-food"),
    E("d.mills@hotmail.co.uk", "David Mills", "Cockroach in my food",
      "I found a cockroach in the curry delivered by Forkful from Spice Garden tonight. "
      "Photos attached. I have reported the restaurant to environmental health and I expect "
      "you to stop listing them. I also want a full refund.", at="21:10",
      incident="cockroach"),
    T("alexhayes_news", "Alex Hayes", 91000, "Forkful riders tell me their per-drop pay was "
      "cut by 30% overnight with no warning. @forkful, is that right? Story tomorrow",
      at="10:15", likes=3400, rts=1100, replies=420, verified=True,
      incident="courier-pay-press"),
    E("tom.ashworth@gmail.com", "Tom Ashworth", "Your app update locked me out",
      "Dear Mr Reyes,\n\nI am blind and use VoiceOver. Since Monday's app update the "
      "checkout button has no label, so I cannot order at all. I rely on Forkful for my "
      "groceries. Under the Equality Act you have a duty to make reasonable adjustments. "
      "Please fix this.\n\nTom Ashworth", at="09:20", to=CEO,
      incident="accessibility-lockout"),
    T("jb_access", "James B", 4300, "Forkful's new app update broke VoiceOver, blind users "
      "can't check out at all. @forkful please fix, this is basic accessibility", at="11:40",
      likes=210, rts=95, incident="accessibility-lockout"),
    T("fionaleigh", "Fiona Leigh", 700, "Just got an email from @forkful with someone "
      "else's order receipt: their full name, address and phone number. Data breach?",
      at="08:55", likes=44, rts=18, incident="receipt-data-leak"),
    E("m.chen@gmail.com", "Mei Chen", "I received another customer's receipt",
      "This morning I received a Forkful receipt for an order that isn't mine. It has "
      "another person's name, home address and phone number. Presumably someone else has "
      "mine. Please treat this as a data breach.", at="09:05", incident="receipt-data-leak"),
    E("catering@northwind-partners.com", "Helen Marsh", "Cancelling our corporate account",
      "Sam,\n\nThis is the third time a Forkful corporate order for our board meeting has "
      "not arrived. Today 14 directors sat without lunch. Unless you can explain what went "
      "wrong we will cancel our corporate catering contract at the end of the month.\n\n"
      "Helen Marsh, Office Director", at="14:05", to=CEO, incident="corporate-cancel"),
    T("mia_courtney", "Mia Courtney", 12000, "My nan fell outside her door and the @forkful "
      "rider stayed with her for an hour till the ambulance came, then brought her shopping "
      "in. His name is Kwame and he's a legend", at="15:20", likes=22500, rts=3800,
      replies=600, incident="courier-hero"),
]

ROUTINE_TWEETS = [
    "@forkful is there a promo code for new users?",
    "Forkful order arrived 10 min late but still hot, no complaints",
    "@forkfulsupport how do I change my delivery address after ordering?",
    "Love the new Forkful dark mode",
    "@forkful can you add more vegan places in Leeds",
    "Forkful sushi night again, obsessed",
    "@forkful does Forkful Plus include free delivery on groceries?",
    "rider was lovely, thanks @forkful",
    "@forkfulsupport my promo code didn't apply, can you check?",
    "@forkful why is the service fee higher at weekends?",
    "Forkful missing my drink again, not a huge deal but annoying",
    "@forkful can I tip the rider after delivery?",
    "Anyone else think Forkful delivery fees have crept up?",
    "@forkfulsupport how do I delete a saved card",
    "Forkful pizza tonight, the usual",
    "@forkful is Nando's on Forkful in Cardiff?",
    "the forkful rider had to call me because the map pin was wrong, my fault",
    "@forkful can you schedule orders for later?",
    "got the wrong sauce from the burger place on forkful, meh",
    "@forkfulsupport where do I find my order history?",
    "Forkful app is so much faster than the others",
    "@forkful do you deliver to student halls?",
    "@forkful how do I become a rider?",
    "Fries a bit soggy tonight @forkful but the burger was great",
    "@forkfulsupport how long do refunds take to show?",
    "thank you @forkful for the birthday voucher!",
    "@forkful please add Apple Pay to the web checkout",
    "Forkful grocery delivery in 20 minutes, impressive",
    "@forkful is there a group order feature?",
    "@forkfulsupport rider left my order at the wrong door, found it though",
    "Forkful late again but only 15 mins, whatever",
    "@forkful what's the minimum order?",
    "Brilliant customer service from @forkfulsupport today, refund in 2 minutes",
    "@forkful do restaurants see my reviews?",
    "@forkful any deals for Black Friday?",
]

ROUTINE_EMAILS = [
    ("Promo code", "My code WELCOME10 says it has expired. I have never used it. Can you "
     "check?"),
    ("Missing item", "My order last night was missing a side of rice. Not a big deal but "
     "could I get a credit?"),
    ("Change email address", "Please change the email on my account to my new address."),
    ("Delete my account", "Please delete my account, I don't use the app any more. Thanks."),
    ("Rider feedback", "The rider today was very polite. Just wanted to pass that on."),
    ("Invoice for expenses", "Can I get a VAT invoice for my order on Monday for work "
     "expenses?"),
    ("Restaurant suggestion", "Could you add The Olive Tree in Didsbury? It's great."),
    ("Forkful Plus", "How do I cancel Forkful Plus before the trial ends?"),
    ("Wrong order", "I got someone else's pizza tonight. The app gave me a credit already, "
     "just letting you know."),
    ("Delivery area", "Do you deliver to Chorlton yet?"),
    ("Gift card", "Can I buy a Forkful gift card for my brother?"),
    ("Receipt", "Where can I download receipts for last month's orders?"),
    ("Slow refund", "I was told my refund would take 3-5 days, it's been 4. Just checking."),
]

OWN = [
    "We know some of you had trouble checking out this evening. Fixed now, and any double "
    "charges will be refunded automatically.",
    "Storm warning in Bristol tonight: deliveries may take longer, stay safe!",
    "Wednesday deal: 2 for 1 on burgers all evening",
    "Our riders are heroes. Tip them in the app!",
]

DAY = Day(
    slug="day2_delivery",
    day=date(2026, 11, 11),
    company=CO,
    domain=DOM,
    settings={
        "own_handles": ["forkful", "forkfulsupport"],
        "own_domains": [DOM],
        "ceo_addresses": [CEO],
        "vip_emails": ["catering@northwind-partners.com"],
        "vip_handles": [],
    },
    messages=checkout
    + storm
    + incidents
    + routine_tweets(ROUTINE_TWEETS, rng)
    + routine_emails(ROUTINE_EMAILS, rng, DOM)
    + noise(CO, DOM, H, OWN, rng),
)
