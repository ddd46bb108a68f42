"""Day 3: Skylark Air, a short-haul airline, Thursday 12 November 2026.

Ten incidents a busy CEO must see: a wheelchair user left on board for 90 minutes, a cancelled
Manchester-Alicante flight stranding families overnight, a fifth email about compensation with a
court threat, a smell of smoke the crew waved away, a lost bag with insulin in it, a famous chef
praising the crew, another passenger's passport number on the booking page, a long letter to the
CEO, a 14-year platinum flyer leaving, and a family bumped from an overbooked flight.
"""

from __future__ import annotations

import random
from datetime import date

from build_days import Day, E, T
from filler import noise, routine_emails, routine_tweets

# fmt: off
rng = random.Random(3)
CO, DOM, H = "Skylark Air", "skylarkair.com", "skylarkair"
CEO = "priya.nair@skylarkair.com"

CXL = "skl212-cancelled"
cancelled = [
    T("dannyp", "Danny P", 540, "@skylarkair SKL212 to Alicante cancelled at the gate after "
      "4 hours. No hotel, no food vouchers, nobody from Skylark at the desk", at="21:10",
      likes=25, rts=9, incident=CXL),
    T("becca_travels", "Becca", 1300, "Stranded at Manchester with two toddlers, Skylark "
      "cancelled SKL212 and just left us. No hotel offered. @skylarkair", at="21:25",
      likes=88, rts=40, incident=CXL),
    T("grumpyjim", "Jim", 70, "Skylark flight to Alicante cancelled, 180 of us sleeping on "
      "the airport floor", at="21:40", likes=10, rts=4, incident=CXL),
    T("saraht_mcr", "Sarah T", 260, "@skylarkhelp SKL212 cancelled, your phone line is "
      "closed and the app says the flight is on time?!", at="21:52", likes=15, incident=CXL),
    T("mo_hussain", "Mo Hussain", 890, "Skylark cancelled our flight to Alicante and there's "
      "no rebooking till Sunday. Missing my sister's wedding. @skylarkair", at="22:05",
      likes=64, rts=12, incident=CXL),
    T("karen_l", "Karen L", 120, "Cancelled SKL212 Manchester, no hotel, elderly parents "
      "sleeping on chairs. Disgraceful @skylarkair", at="22:20", likes=22, incident=CXL),
    T("paddy_c", "Paddy", 310, "@skylarkair where are the hotel vouchers for SKL212? "
      "Cancelled 3 hours ago", at="22:45", likes=8, incident=CXL),
    T("nina_rose", "Nina Rose", 2200, "Absolute chaos at Manchester, Skylark cancelled the "
      "Alicante flight and no staff anywhere. We know our rights, we want a hotel",
      at="23:05", likes=140, rts=33, incident=CXL),
    E("alan.reid@gmail.com", "Alan Reid", "SKL212 cancelled - no hotel or care",
      "Our flight SKL212 from Manchester to Alicante was cancelled tonight after a four "
      "hour delay. No hotel, meals or information were provided, which I understand you "
      "are obliged to give. Please rebook us and confirm you will pay for our hotel.",
      at="22:50", incident=CXL),
]

incidents: list[T | E] = [
    T("zoe_on_wheels", "Zoe Marsh", 150000, "Landed at Gatwick on @skylarkair and was left "
      "on the plane for 90 minutes because nobody brought my wheelchair. Crew cleaning "
      "round me. This happens to disabled passengers every week", at="10:30", likes=18000,
      rts=5200, replies=1300, quotes=600, verified=True, incident="wheelchair-left"),
    E("p.obrien@gmail.com", "Peter O'Brien", "Re: Re: Re: Re: EU261 claim SK-99120",
      "This is my fifth email about my compensation claim for the 6 hour delay in June. "
      "Five months and not one reply. If I do not hear back within 14 days I will issue a "
      "claim in the small claims court and report you to the Civil Aviation Authority.",
      at="08:20", refs=4, incident="compensation-court"),
    T("fly_nervous_kate", "Kate", 530, "Strong smell of smoke in the cabin on @skylarkair "
      "SKL88 from Bristol and the crew just said it was normal. Terrifying", at="13:15",
      likes=120, rts=45, incident="smoke-in-cabin"),
    E("r.singh@outlook.com", "Ravi Singh", "Smell of burning on SKL88",
      "On today's SKL88 there was a strong burning smell for about twenty minutes. My "
      "daughter started coughing. When I asked, the crew said it was normal and walked "
      "off. I would like to know whether this was investigated, it did not feel safe.",
      at="16:40", incident="smoke-in-cabin"),
    E("hannah.wells@gmail.com", "Hannah Wells", "Lost bag with my insulin",
      "Your staff made me check my cabin bag at the gate in Edinburgh and now it is lost. "
      "It has my insulin in it and I only have one day of spare supply. I am diabetic. "
      "Please find it urgently, this is a medical emergency.", at="09:40",
      incident="insulin-bag"),
    T("chefmarco", "Marco Bellini", 1200000, "Huge respect to the @skylarkair crew on "
      "SKL340 tonight. A passenger collapsed, they were calm, fast and kind, and got him "
      "help on landing. That's what service looks like", at="20:15", likes=41000,
      rts=3900, replies=800, verified=True, incident="crew-praise"),
    E("d.kowalski@gmail.com", "Dorota Kowalski", "Manage booking shows a stranger's passport",
      "When I opened Manage Booking for my reference, I could see another passenger's "
      "passport number, date of birth and nationality. I did not download anything but "
      "this is a serious privacy problem.", at="11:05", incident="passport-exposure"),
    T("tech_tom_r", "Tom R", 2600, "@skylarkair your manage booking page is showing other "
      "people's passport numbers. Change one digit of the booking ref and there it is",
      at="12:30", likes=380, rts=210, incident="passport-exposure"),
    E("g.hartley@btinternet.com", "Gerald Hartley", "A letter to your Chief Executive",
      "Dear Ms Nair,\n\nI write as a loyal customer to express my profound dissatisfaction "
      "with the two hour delay to my flight to Faro last Friday. The lounge was crowded, "
      "the coffee was cold and the announcements were inaudible. I have flown with your "
      "airline many times. I believe the least you can offer is two free return flights "
      "for my wife and me, and I trust you will give this your personal attention.\n\n"
      "Yours sincerely,\nGerald Hartley", at="07:50", to=CEO, incident="ceo-letter"),
    E("m.ferrante@ferrante-group.com", "Marco Ferrante", "After 14 years, I'm done",
      "I have flown Skylark Platinum for 14 years. Last week I was downgraded from the "
      "business seat I paid for with no explanation and no refund of the difference. I "
      "am moving my company's travel, about 300 flights a year, to another airline unless "
      "someone senior calls me.", at="08:45", incident="platinum-leaving"),
    T("the_okekes", "The Okeke Family", 45000, "Bumped off an overbooked @skylarkair flight "
      "to Malaga with our two kids crying at the gate. First holiday in 3 years. They "
      "offered a £50 voucher", at="07:35", likes=8200, rts=2100, replies=700,
      incident="family-bumped"),
]

ROUTINE_TWEETS = [
    "@skylarkair what's the cabin bag size for the basic fare?",
    "@skylarkhelp can I add a bag after booking?",
    "Flying @skylarkair to Dublin tomorrow, any tips for Stansted security?",
    "@skylarkair when does online check-in open?",
    "Skylark flight 20 mins late but crew were lovely",
    "@skylarkhelp can I change the name on my booking?",
    "window seat, sunset, @skylarkair never disappoints",
    "@skylarkair do you fly to Porto in winter?",
    "@skylarkhelp is the app down? can't load boarding pass, works now actually",
    "@skylarkair how much is priority boarding?",
    "Coffee on skylark is still terrible lol",
    "@skylarkhelp travelling with a baby, can I take the pushchair to the gate?",
    "@skylarkair what's the pet policy?",
    "Boarding took ages at Luton but we left on time @skylarkair",
    "@skylarkhelp how do I get a receipt for my flight?",
    "@skylarkair any Black Friday sale?",
    "thanks @skylarkair for the smooth landing in that wind",
    "@skylarkhelp can I bring my guitar as cabin baggage?",
    "@skylarkair the seat pitch on the 737s is tight for a 6'4 guy",
    "Booked Skylark to Rome for March, cheaper than the train to London",
    "@skylarkhelp is lounge access included with Plus?",
    "@skylarkair why did my fare go up £20 while I was booking?",
    "@skylarkhelp do you sell travel insurance?",
    "Skylark crew singing happy birthday to a passenger, cute",
    "@skylarkair how early should I arrive at Manchester?",
    "@skylarkhelp my frequent flyer points haven't shown up yet",
    "@skylarkair can I pay for an extra legroom seat at the airport?",
    "@skylarkhelp what's the liquid allowance in cabin bags",
    "Skylark's new app is a big improvement",
    "@skylarkair flight delayed 40 minutes, any idea why?",
    "Plane food on @skylarkair was actually decent today",
    "@skylarkhelp can I take a power bank in my checked bag?",
    "@skylarkair do you do student fares?",
    "@skylarkhelp how do I request special assistance for my mum?",
]

ROUTINE_EMAILS = [
    ("Name change on booking", "I misspelled my surname on booking SK-55120. Can it be "
     "corrected without a fee?"),
    ("Receipt request", "Please send a VAT receipt for booking SK-44711."),
    ("Seat selection", "Can I choose seats together for my family without paying?"),
    ("Frequent flyer points", "My points from my October flight to Nice haven't been "
     "credited. Membership 99120331."),
    ("Travelling with a cello", "Can I buy a seat for my cello? How do I book that?"),
    ("Thank you to the crew", "Just wanted to thank the crew on SKL402 who looked after my "
     "nervous daughter."),
    ("Baggage allowance", "What is the checked baggage allowance on the Plus fare?"),
    ("Refund for cancelled trip", "We cancelled our trip due to illness, is any of the fare "
     "refundable? Booking SK-12004."),
    ("Special assistance", "My father uses a walking frame. How do I book assistance at "
     "Edinburgh?"),
    ("Change of flight date", "How much does it cost to move my flight from the 3rd to "
     "the 5th of December?"),
    ("Lost property", "I think I left my scarf on yesterday's SKL17 flight. Is there a lost "
     "property office?"),
    ("Group booking", "We are a choir of 24 flying to Vienna. Do you offer group rates?"),
    ("Delay question", "My flight was delayed 1 hour 45 minutes. Am I entitled to "
     "anything?"),
]

OWN = [
    "We're sorry to passengers on SKL212 Manchester-Alicante. Our team is arranging hotels "
    "and rebooking now.",
    "Winter sun sale: fly to the Canaries from £39!",
    "New route alert: Bristol to Porto from March.",
    "Travelling this weekend? Check in online 30 days before departure.",
]

DAY = Day(
    slug="day3_airline",
    day=date(2026, 11, 12),
    company=CO,
    domain=DOM,
    settings={
        "own_handles": ["skylarkair", "skylarkhelp"],
        "own_domains": [DOM],
        "ceo_addresses": [CEO],
        "vip_emails": ["m.ferrante@ferrante-group.com"],
        "vip_handles": [],
    },
    messages=cancelled
    + incidents
    + routine_tweets(ROUTINE_TWEETS, rng)
    + routine_emails(ROUTINE_EMAILS, rng, DOM)
    + noise(CO, DOM, H, OWN, rng),
)
