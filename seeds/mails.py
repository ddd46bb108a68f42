"""The demo's emails, written by hand: customers, colleagues, robots and the odd crook.

Times are (days before the anchor, "HH:MM" UTC); `tz` only sets the offset the Date header is
written in. `reply_to` names the key of the email answered, which `seeds/build.py` turns into
In-Reply-To and References. Every person, address and phone number here is invented.
"""

from __future__ import annotations

from typing import Any

CARE = ("Voltra Care", "care@voltra.example")
CEO = ("Erin Cole", "erin.cole@voltra.example")
CHARGE = ("Voltra Charge", "charging@voltra.example")
BINS = ("Voltra City Services", "bins@cityservices.voltra.example")
BINS_ROBOT = ("Voltra City Services", "no-reply@cityservices.voltra.example")
HOTELS = ("Voltra Hotels Guest Relations", "guests@hotels.voltra.example")
CINEMAS = ("Voltra Cinemas", "hello@cinemas.voltra.example")
AIR = ("Voltra Air Customer Relations", "customer.relations@air.voltra.example")
JOBS = ("Voltra Careers", "careers@voltra.example")
APP = ("Voltra App Support", "app@voltra.example")


def mail(
    key: str,
    day: int,
    hm: str,
    frm: tuple[str, str],
    to: tuple[str, str],
    subject: str,
    body: str,
    **kw: Any,
) -> dict[str, Any]:
    """Describe one email; kw: tz, html (also send HTML), html_only, reply_to, headers, attach."""
    return {
        "key": key,
        "day": day,
        "hm": hm,
        "from": frm,
        "to": to,
        "subject": subject,
        "body": body.strip("\n") + "\n",
        **kw,
    }


AUTO = {"Auto-Submitted": "auto-replied", "X-Autoreply": "yes", "Precedence": "auto_reply"}


def _bulk(list_id: str, unsubscribe: str) -> dict[str, str]:
    return {
        "List-Id": list_id,
        "List-Unsubscribe": f"<{unsubscribe}>",
        "Precedence": "bulk",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


_BIN_ROBOT_TEXT = """
Dear resident,

Thank you for reporting a missed collection at 14 Pendle Row, Ashcombe (reference {ref}).

Your {what} will be collected tomorrow.

This is an automated message. Please do not reply to this email.

Voltra City Services
"""

_FLIGHT_LETTER = """
Dear Ms Cole,

I am writing to you personally because I have given up on your "Customer Relations"
department, which appears to exist only to send me form letters.

I have flown Voltra Air eleven times in the past two years, mostly between Manchester and
Faro, and I have watched the experience decline on every single trip. Allow me to list what I
have had to put up with:

1. No pre-assigned seating. I am expected to queue at the gate like livestock and then fight
   for a seat, while passengers who paid a few pounds more stroll past me. Every other airline
   I use lets me choose my seat when I book.
2. On flight VA 318 on the 9th the "meal" was a bag of pretzels and a choice of two drinks.
   I did not ask for a banquet, but pretzels for a three-hour flight is an insult.
3. Legroom. I am 6'1". My knees were against the seat in front of me for the whole journey.
4. The boarding announcements at Manchester are inaudible, and the staff at the desk were
   chatting among themselves while the queue went back to the shop.
5. The in-flight magazine was last month's.
6. My return flight left 35 minutes late, and nobody apologised.
7. The cabin was too cold on the way out and too warm on the way back.

Other airlines would bend over backwards to keep a customer as loyal as I have been. I think
the least Voltra Air can do, given all of the above, is to offer me a complimentary return
flight to Faro in April, with a pre-assigned window seat at the front of the aircraft.

If I do not hear from you personally within fourteen days, I will never fly Voltra Air again,
and I will make sure my friends, my golf club and my neighbours know exactly why.

I look forward to your prompt reply.

Yours sincerely,

Gwendolyn Harbottle-Price
Flat 3, 27 Quarry Lane, Didsbury
Tel. 0161 496 0733
"""

# fmt: off
MAILS: list[dict[str, Any]] = [
    # --- charging stalls used as parking ------------------------------------------------
    mail("pk_e1", -8, "09:02", ("Alistair Fenwick", "a.fenwick@example.org"), CHARGE,
         "Fully charged cars left on the stalls at Brackley",
         """
Hello,

Three mornings this week I have arrived at the Brackley services Voltra Charge hub and found
cars sitting on the stalls long after they finished charging. On Wednesday the app said one
had been complete for 3 hours 20 minutes.

Is there a maximum stay? If not, could you introduce one? I pay for a Voltra Charge Plus
subscription precisely so I do not have to queue.

Regards,
Alistair Fenwick
""", tz="+0000"),
    mail("pk_e2", -6, "13:44", ("Sunita Baird", "sunita.baird@example.com"), CHARGE,
         "Queue at Harrowgate Retail Park caused by idle cars",
         """
Hi Voltra Charge team,

I waited 50 minutes at Harrowgate Retail Park on Saturday. Four of the six cars on the stalls
had finished charging. Two owners came back with shopping and laughed when I asked them to
move sooner next time.

Please consider an idle fee. Photo attached.

Sunita
""", attach=[("harrowgate-bays.jpg", "image/jpeg", 2_048)], html=True),
    mail("pk_e3", -4, "08:19", ("Declan O'Rourke", "declan.orourke@mail.test"), CHARGE,
         "Kettlebridge - cars parked on chargers overnight",
         """
Morning,

The Kettlebridge site is next to the Premier Lodge and guests clearly plug in at night and
leave their cars there until checkout. Anyone arriving before 10am cannot charge.

Could the stalls be limited to, say, 90 minutes when the site is busy?

Thanks,
Declan O'Rourke
07700 900 418
"""),
    mail("pk_e4", -3, "19:27", ("Bethany Crossley", "bethany.crossley@example.net"), CHARGE,
         "Please do something about charger hogging",
         """
Dear Voltra,

I have two small children and an hour's wait at a charger is not an inconvenience, it is a
meltdown. Yesterday at Castlegate a car sat finished on the only rapid stall for 40 minutes
while its owner shopped.

Other networks charge an overstay fee. Why don't you?

Bethany
""", html=True),
    mail("pk_e5", -2, "10:05", ("Fay Ockenden", "fay@ockenden-logistics.example"), CEO,
         "Fleet customer: lost driver hours at your charging sites",
         """
Dear Ms Cole,

Ockenden Logistics runs 14 Voltra vans. In the last fortnight our drivers have logged
11 hours queueing at Voltra Charge sites, nearly all of it behind cars that had finished
charging and were simply parked.

We are reviewing our fleet renewal in March. I would like to know what Voltra intends to do
about this.

Fay Ockenden
Operations Director, Ockenden Logistics
01632 960 512
"""),
    mail("pk_e6", -1, "07:38", ("Harriet Quill", "harriet.quill@example.org"), CHARGE,
         "Re: Fully charged cars left on the stalls",
         """
Hello again,

I wrote last week about Wexham Green and heard nothing back. This morning there were five
finished cars on six stalls at 7am. Please can somebody own this problem?

Harriet Quill
"""),
    mail("pk_e7", -1, "16:52", ("Mohammed Ashraf", "m.ashraf@example.com"), CHARGE,
         "App shows stalls as available when they're occupied",
         """
Hi,

The app said four stalls were free at Reigate. All were occupied by cars that had finished.
If the app counts a finished car as "available", it is sending people to full sites.

Please either fix the app or stop people parking on the chargers.

Mo
"""),
    mail("pk_e8", 0, "06:58", ("Kasia Wrenfield", "kasia@wrenfield-ventures.example"), CEO,
         "Your chargers are becoming car parks",
         """
Erin,

I tweeted this morning but wanted to write properly too. I drive a Voltra every day between
our offices and I love the car. The charging network, lately, is a different story: at
Bicester this morning five of six stalls had cars that finished hours ago, owners off
shopping. It is the same at Longhedge and Kettlebridge.

A fee after a short grace period would fix it. So would the app telling owners to move.
I am happy to talk it through.

Kasia Wrenfield
Founder, Wrenfield Ventures
""", html=True),
    mail("pk_e9", 0, "07:31", ("Ewan Mossgrove", "ewan.mossgrove@example.org"), CHARGE,
         "Thornbury stalls blocked again",
         """
Good morning,

Thornbury at 6am: every stall taken by a finished car. I had 11% and a long day ahead and had
to divert to a slow charger 8 miles away.

Ewan
"""),
    # --- the black screen ---------------------------------------------------------------
    mail("scr_e1", -8, "21:40", ("Oskar Lindgren", "oskar.lindgren@example.net"), CARE,
         "Centre screen went black while driving",
         """
Hello,

My Voltra's centre display went completely black at dusk on the A34 tonight. I could not
see my speed or the navigation, which frankly felt dangerous. A restart did nothing until
I pulled over and turned the car off.

I have since read that Night mode at 0% brightness can do this. Is that right, and is a fix
coming?

Oskar Lindgren
Car registration VX24 QLD
""", tz="+0100"),
    mail("scr_e2", -7, "10:15", ("Ruth Achterberg", "ruth.achterberg@example.com"), CARE,
         "Black screen - I want to return the car",
         """
To whom it may concern,

Twice this week my screen has gone black and a reset does not help. I did not buy an
expensive car to have it fail like this. Unless this is fixed permanently I want to return
the car and get my money back.

Ruth Achterberg
""", html=True),
    mail("scr_e3", -6, "09:30", ("Tobias Renner", "tobias@renner-reviews.example"), CEO,
         "Press enquiry: display blackout fix",
         """
Hello Erin,

Following your exchange with Marisol Vey: can you confirm the version and date of the
software update that keeps 0% brightness readable, and whether a reset will always restore
the display? I'm publishing a piece on Friday.

Best,
Tobias Renner
"""),
    # --- the missed bin collection: nobody takes ownership ------------------------------
    mail("bin_r1", -6, "18:02", BINS_ROBOT, ("David Tallis", "david.tallis@example.org"),
         "Missed collection report MC-48213",
         _BIN_ROBOT_TEXT.format(ref="MC-48213", what="food waste bin and small electricals"),
         headers={"Auto-Submitted": "auto-generated"}),
    mail("bin_e1", -5, "08:40", ("David Tallis", "david.tallis@example.org"), BINS,
         "Food bin and small electricals not collected",
         """
Hello,

Our food waste bin and the small electricals bag were not collected on Friday. I filled in
the online form and was told they would be collected "tomorrow". Nothing happened. I
reported it again this morning.

14 Pendle Row, Ashcombe.

David Tallis
"""),
    mail("bin_r2", -5, "08:41", BINS_ROBOT, ("David Tallis", "david.tallis@example.org"),
         "Missed collection report MC-48377",
         _BIN_ROBOT_TEXT.format(ref="MC-48377", what="food waste bin and small electricals"),
         headers={"Auto-Submitted": "auto-generated"}),
    mail("bin_e2", -4, "09:12", ("David Tallis", "david.tallis@example.org"), BINS,
         "Re: Food bin and small electricals not collected",
         """
Hello,

Still not collected. Another automated message yesterday said "tomorrow". The food bin is
now attracting foxes. Could someone tell me an actual date?

David Tallis
""", reply_to="bin_e1"),
    mail("bin_r3", -4, "09:13", BINS_ROBOT, ("David Tallis", "david.tallis@example.org"),
         "Missed collection report MC-48502",
         _BIN_ROBOT_TEXT.format(ref="MC-48502", what="food waste bin and small electricals"),
         headers={"Auto-Submitted": "auto-generated"}),
    mail("bin_e3", -3, "12:20", ("Philippa Strand", "pip.strand@example.com"), BINS,
         "Pendle Row food waste missed",
         """
Hi, the whole of Pendle Row has been missed for food waste this week. My neighbour says
she has had three "tomorrow" emails. Is there a problem with the round?

Philippa Strand, 22 Pendle Row
"""),
    mail("bin_e4", -2, "17:45", ("David Tallis", "david.tallis@example.org"), BINS,
         "Re: Food bin and small electricals not collected - fifth day",
         """
This is now the fifth day. I rang your line today and after a long wait on hold I was told:

- the "collected tomorrow" emails are automated and nobody can change them;
- the bins are "on the system" but there is a backlog;
- nobody can give me even a rough date, because "that's down to the crews".

I am not asking for miracles. I am asking for one person to own this and tell me when.

David Tallis
""", reply_to="bin_e2"),
    mail("bin_e5", -1, "07:20", ("Gwen Arkwright", "gwen.arkwright@example.net"), BINS,
         "Second week without food waste collection",
         """
Hello,

Second week in a row the food caddies on Pendle Row were skipped. Could you please just tell
us if the service has been suspended?

Gwen Arkwright
"""),
    mail("bin_e6", 0, "07:05", ("David Tallis", "david.tallis@example.org"), CEO,
         "Fw: Food bin and small electricals not collected - nobody owns this",
         """
Dear Ms Cole,

I am sorry to write to you directly, but I have run out of other options. Below is a week of
emails about two bins. Every reply is an automated promise that they will be collected
"tomorrow". The one person I spoke to told me it was nothing to do with them.

All I would like is for someone to say "I will take ownership of this until it is resolved".

With thanks,
David Tallis
14 Pendle Row, Ashcombe
""", reply_to="bin_e4"),
    # --- the shirt returned washed and pressed ------------------------------------------
    mail("shirt_e1", -10, "18:50", ("Hugh Carraway", "hugh.carraway@example.com"), CEO,
         "Thank you, Voltra Marina Hotel",
         """
Dear Ms Cole,

I stayed at the Voltra Marina Hotel last week and left a shirt in the wardrobe. I didn't call;
it was my mistake and I assumed it was gone. Three days later it arrived at my home, washed,
pressed and folded in tissue paper, with a handwritten note from the housekeeping team.

I have stayed in a lot of hotels. Nobody has ever done that. Please thank whoever it was.

Hugh Carraway
""", html=True),
    mail("shirt_e2", -9, "11:04", ("Miriam Osei", "miriam.osei@example.org"), HOTELS,
         "Booking enquiry after the shirt story",
         """
Hi, after reading about the shirt that was returned pressed, I'd like to book the Voltra
Marina Hotel for our anniversary in May. Do you have sea-view rooms on 14-16 May?

Miriam
"""),
    # --- the unruly cinema with no ushers -----------------------------------------------
    mail("cin_e1", -4, "09:35", ("Callum Fairbairn", "callum.fairbairn@example.net"), CINEMAS,
         "Refund request - screen 4, Quayside, Saturday 8pm",
         """
Hello,

My wife and I went to the 8pm showing in screen 4 at Voltra Cinemas Quayside on Saturday.
A group of about ten people talked, shouted and used their phones throughout. Someone
threw popcorn. Not one member of staff came into the screen during the whole film, and when
I went out to find someone, the foyer was empty apart from the kiosk.

We paid £31.40 for two tickets. I would like a refund of the tickets please. Booking
reference QSD-77120.

Callum Fairbairn
"""),
    mail("cin_e2", -3, "20:12", ("Annika Solberg", "annika.solberg@example.com"), CINEMAS,
         "No staff in screens at Quayside",
         """
Hi,

Is Quayside short-staffed? Friday's 9pm show was chaos, kids climbing over seats, no
ushers anywhere. We left halfway. I'd appreciate either a refund or replacement tickets.

Annika Solberg
"""),
    mail("cin_e3", -1, "10:40", ("Callum Fairbairn", "callum.fairbairn@example.net"), CINEMAS,
         "Re: Refund request - screen 4, Quayside, Saturday 8pm",
         """
Hello,

I haven't had a reply to my request below. Could someone confirm the refund, please?

Callum
""", reply_to="cin_e1"),
    # --- the long letter to the CEO demanding a free flight -----------------------------
    mail("fly_e1", -2, "22:18", ("Gwendolyn Harbottle-Price", "g.harbottle.price@example.org"),
         CEO, "A formal complaint — and my final word on Voltra Air", _FLIGHT_LETTER,
         tz="+0000"),
    mail("fly_e2", -15, "12:00", ("Naveen Pillai", "naveen.pillai@example.com"), AIR,
         "Lost bag on VA 140 - still waiting after 9 days",
         """
Hello,

My suitcase did not arrive on VA 140 from Lisbon. File reference MANVA22817. It has now been
nine days and the tracker still says "searching". Who can actually help me?

Naveen Pillai
"""),
    mail("fly_e3", -5, "16:30", ("Rosa Delacroix", "rosa.delacroix@example.net"), AIR,
         "Merci à l'équipage du vol VA 88",
         """
Bonjour,

Je voulais remercier l'équipage du vol VA 88 qui a retrouvé le lapin en peluche de ma fille
sous la rangée 14. Vous avez sauvé nos vacances !

Rosa Delacroix
""", html=True),
    # --- the call centre: hold times and bad lines --------------------------------------
    mail("call_e1", -12, "14:10", ("Deborah Yates", "deborah.yates@example.org"), CARE,
         "52 minutes on hold and then cut off",
         """
Hello,

I called Voltra Care on Monday about a charging card that stopped working. I was on hold for
52 minutes, listening to the same loop of music, and then the call dropped. I called back and
was told the wait was "over 45 minutes".

Could someone please call me back on 01632 960 281?

Deborah Yates
"""),
    mail("call_e2", -9, "11:50", ("Gareth Pembury", "g.pembury@example.com"), CARE,
         "Terrible line quality on your helpline",
         """
Hi,

I got through to an agent today but the line was so bad neither of us could understand the
other. Crackling, then an echo, then silence. I had to spell my registration four times and
then we were cut off. Is this a known problem with your phone system?

Gareth Pembury
"""),
    mail("call_e3", -5, "15:02", ("Deborah Yates", "deborah.yates@example.org"), CARE,
         "Re: 52 minutes on hold and then cut off",
         """
Hello,

Nobody called me back. I tried again today: 1 hour 5 minutes on hold. My charging card still
does not work, so I am paying the ad-hoc rate at every stop.

Deborah Yates
""", reply_to="call_e1"),
    mail("call_e4", -2, "10:25", ("Max Oyelaran", "max.oyelaran@example.net"), CEO,
         "Your customer care phone line",
         """
Ms Cole,

Have you ever tried calling your own customer care line? I'd recommend it. Allow an hour and
a half, and expect to be cut off. When you do get through, the audio sounds like it's coming
from the bottom of a well.

I've been a customer for six years. This is the first time I have considered leaving.

Max Oyelaran
"""),
    mail("call_e5", -1, "13:12", ("Deborah Yates", "deborah.yates@example.org"), CARE,
         "Re: 52 minutes on hold and then cut off - third attempt",
         """
Third email. 41 minutes on hold today, and when I finally got an agent the audio was so poor
I heard half of what she said. She promised a callback "on a better line". I'll believe it
when it happens.

Deborah
""", reply_to="call_e3"),
    mail("call_e6", 0, "08:10", ("Ilse Brandt", "ilse.brandt@example.com"), CARE,
         "Warteschleife / on hold for an hour",
         """
Hello,

I am writing in English as my German-speaking colleague could not get through either: one
hour on hold this morning for a simple question about my lease return. Is there another way
to reach you?

Ilse Brandt
""", tz="+0100"),
    # --- everyday questions -------------------------------------------------------------
    mail("q_e1", -20, "09:14", ("Tariq Haddad", "tariq.haddad@example.org"), CARE,
         "Opening hours Didcot service centre",
         """
Hi, what are the Saturday opening hours of the Didcot service centre? Thanks, Tariq
"""),
    mail("q_e2", -17, "19:33", ("Sophie Gallant", "sophie.gallant@example.com"), CARE,
         "How do I change my address?",
         """
Hello,

We've moved house. How do I change the address on my Voltra account and on the car's
registration documents?

Sophie Gallant
"""),
    mail("q_e3", -14, "08:02", ("Jürgen Weiß", "juergen.weiss@example.net"), CARE,
         "Frage zur Ladekarte / charging card question",
         """
Hallo,

can I use my Voltra Charge card abroad, for example in Austria? And is there a roaming fee?

Danke,
Jürgen Weiß
""", tz="+0100"),
    mail("q_e4", -11, "12:44", ("Amelia Trask", "amelia.trask@example.org"), APP,
         "Adding a second driver",
         """
Hi,

How do I add my partner as a second driver in the app? The invite link says "expired" as soon
as she opens it.

Amelia
"""),
    mail("q_e5", -7, "17:20", ("Kofi Mensah", "kofi.mensah@example.com"), CARE,
         "Winter tyres - can you fit them?",
         """
Hello, does the Leeds service centre fit winter tyres, and roughly how much does it cost?
Kofi
"""),
    mail("q_e6", -3, "14:55", ("Elena Moreau", "elena.moreau@example.net"), HOTELS,
         "Do you allow dogs?",
         """
Hello, are dogs allowed at the Voltra Lakeside Hotel? We have a small, well-behaved terrier.
Elena
"""),
    mail("q_e7", 0, "07:45", ("Pawel Zielinski", "pawel.zielinski@example.org"), CARE,
         "Invoice copy for January",
         """
Good morning, could you send me a copy of my January charging invoice? My company needs it
for expenses. Account VC-0093318.

Pawel Zielinski
"""),
    # --- everyday complaints and praise -------------------------------------------------
    mail("app_e1", -13, "09:30", ("Anya Petrovic", "anya.petrovic@example.com"), APP,
         "App logs me out after the update",
         """
Hi,

Since version 6.2 the Voltra app logs me out every time I open it and the two-factor code
takes 5 minutes to arrive. I can't precondition the car in the morning any more.

Android 15, Pixel.

Anya
"""),
    mail("app_e2", -12, "08:15", ("Anand Iyer", "anand.iyer@example.net"), APP,
         "Crash report: charging map, app 6.2, Android 15",
         """
Hello app team,

The app crashes every time I open the charging map on 6.2 (Android 15). Steps: open app,
tap Charge, tap Map. It closes immediately. Happy to send logs.

Anand Iyer
"""),
    mail("app_e3", -9, "20:05", ("Lucía Fernández", "lucia.fernandez@example.com"), APP,
         "¿La app en español?",
         """
Hola, ¿tienen pensado traducir la app de Voltra al español? Mis padres también conducen un
Voltra y les cuesta mucho.

Lucía
"""),
    mail("svc_e1", -16, "10:30", ("Rhys Penhallow", "rhys.penhallow@example.org"), CARE,
         "Three weeks waiting for a service slot",
         """
Hello,

I have an amber warning light and the earliest service appointment is three weeks away.
The service centre says "parts on order" but can't tell me which parts. Is the car safe to
drive in the meantime?

Rhys Penhallow
"""),
    mail("svc_e2", -10, "15:15", ("Marcus Oduya", "marcus.oduya@example.com"), CARE,
         "Brilliant service at Didcot",
         """
Just a quick note to say thank you to the Didcot service centre. Booked for 9am, car back
at 9:45, washed. Staff explained everything. More of this please!

Marcus
"""),
    mail("svc_e3", -6, "12:12", ("Tomasz Kowalczyk-Hale", "tomasz.kh@example.net"), CARE,
         "Re: Three weeks waiting for a service slot",
         """
Hello,

Same situation as many others, it seems: warning light, three-week wait, no information.
Could you at least offer a loan car?

Tomasz
"""),
    mail("del_e1", -22, "11:00", ("Isabel Thornton", "isabel.thornton@example.org"), CARE,
         "Delivery date moved for the third time",
         """
Hello,

My new Voltra was due on the 5th, then moved to the 19th, and now I am told "early next
month". I have already sold my old car. Can anyone give me a firm date?

Isabel Thornton
Order VO-220418
"""),
    mail("del_e2", -18, "16:40", ("Isabel Thornton", "isabel.thornton@example.org"), CARE,
         "Re: Delivery date moved for the third time",
         """
Hello, I haven't heard back. I am now renting a car at my own expense. Please call me on
07700 900 662.

Isabel
""", reply_to="del_e1"),
    mail("del_e3", -15, "09:05", ("Isabel Thornton", "isabel.thornton@example.org"), CEO,
         "Fw: Delivery date moved for the third time",
         """
Dear Ms Cole,

Two emails, no reply, and a delivery date that keeps moving. I would be grateful if someone
could take this on.

Isabel Thornton
""", reply_to="del_e2"),
    mail("range_e1", -19, "08:45", ("Helena Beaumont", "helena.beaumont@example.net"), CARE,
         "Winter range much lower than advertised",
         """
Hello,

In the cold snap my range dropped from 290 to about 180 miles. I understand some loss in
winter, but this is nearly 40%. Is that normal, and does preconditioning help?

Helena
"""),
    mail("range_e2", -8, "13:25", ("Chidi Okonkwo-Reyes", "chidi.or@example.com"), CARE,
         "Praise for the trip planner",
         """
Hi, the new trip planner got us from Bristol to Inverness with three perfectly timed stops.
Whoever built it: thank you.

Chidi
"""),
    mail("pr_e1", -21, "10:10", ("Yusuf Demir", "yusuf.demir@example.org"), CARE,
         "Charged twice for one session",
         """
Hello,

My card was charged twice (£18.42 each) for one session at Reigate on the 2nd. Please refund
the duplicate.

Yusuf Demir
"""),
    mail("pr_e2", -14, "18:30", ("Yusuf Demir", "yusuf.demir@example.org"), CARE,
         "Re: Charged twice for one session",
         """
Hello, a week later and still no refund of the duplicate charge. Could you confirm it is
being processed?

Yusuf
""", reply_to="pr_e1"),
    mail("pr_e3", -9, "09:50", ("Lorna Beddoes", "lorna.beddoes@example.com"), CARE,
         "Charging card blocked for no reason",
         """
Hi,

My Voltra Charge card has been declined at three sites this week although my payment method
is valid. Nobody on the phone could tell me why.

Lorna
"""),
    mail("pr_e4", -4, "11:11", ("Stevie Quarrie", "stevie.quarrie@example.net"), CARE,
         "Subscription price rise",
         """
Hello, I see Charge Plus is going up by 30% from March. That's a big jump with little
notice. Can I keep my current price until my renewal date?

Stevie
"""),
    mail("saf_e1", -3, "07:50", ("Noor Al-Hassan", "noor.alhassan@example.org"), CARE,
         "Car lost power on the motorway",
         """
Hello,

Yesterday on the M62 my car showed a "reduced power" warning and slowed to 40 mph in the
outside lane. I managed to get across to the hard shoulder. It recovered after a restart,
but I am now scared to drive it with my children.

Please can someone look at this urgently. VIN ends 88213.

Noor Al-Hassan
07700 900 127
"""),
    mail("priv_e1", -2, "12:05", ("Ben Ashworth", "ben.ashworth@example.com"), CARE,
         "I can see another customer's trips in my app",
         """
Hello,

This morning my app showed a list of trips that are not mine, with addresses in Leeds I
have never been to. I think I am seeing someone else's data. Screenshot available.

Ben Ashworth
"""),
    mail("praise_cin1", -8, "22:05", ("Ella Mawdsley", "ella.mawdsley@example.net"), CINEMAS,
         "Lovely evening at Voltra Cinemas Northgate",
         """
Hi, just wanted to say the staff at Northgate were wonderful on Thursday, they found us
two seats together at the last minute and checked on the room twice during the film.
Ella
"""),
    mail("hotel_c1", -12, "08:30", ("Owen Prydderch", "owen.prydderch@example.org"), HOTELS,
         "Noisy room next to the lift",
         """
Hello, we were put in room 412 next to the lift at the Voltra Lakeside and barely slept.
We asked to move and were told the hotel was full. Disappointing for a 4-star hotel.
Owen
"""),
    # --- hostile content ----------------------------------------------------------------
    mail("xss_e1", -2, "04:12", ("Web Form", "webform@forms.example"), CARE,
         "Contact form: <script>alert(1)</script>",
         """
Name: <script>alert(1)</script>
Message: Hello <b>support</b>, please see ![x](http://evil.example/x.png) and
<a href="http://evil.example/phish">reset your password here</a>.
"""),
    mail("xss_e2", -1, "03:40", ("Totally Legit Support", "support@voltra-secure.test"), CARE,
         "Action required: verify your account",
         """
Dear customer,

Your account will be suspended. Verify now: [Verify account](http://evil.example/verify)
<img src="http://evil.example/track.gif" width="1" height="1">
<iframe src="http://evil.example/frame"></iframe>

Voltra Security Team
"""),
    # --- auto-replies -------------------------------------------------------------------
    mail("ooo1", -11, "09:01", ("Kasia Wrenfield", "kasia@wrenfield-ventures.example"), CARE,
         "Out of office: Re: Your Voltra service reminder",
         """
Thanks for your message. I'm travelling until Monday with limited access to email. For
anything urgent please contact my assistant at office@wrenfield-ventures.example.

Kasia
""", headers=AUTO),
    mail("ooo2", -7, "14:22", ("Owen Prydderch", "owen.prydderch@example.org"), HOTELS,
         "Automatic reply: Your stay at Voltra Lakeside",
         """
I am currently out of the office and will return on the 3rd. I will respond to your email
as soon as possible.
""", headers=AUTO),
    mail("ooo3", -3, "06:30", ("Fay Ockenden", "fay@ockenden-logistics.example"), CHARGE,
         "Abwesenheitsnotiz / Out of office",
         """
Ich bin bis Freitag nicht im Büro. I am out of the office until Friday.
""", headers=AUTO),
    mail("ooo4", 0, "05:02", ("Max Oyelaran", "max.oyelaran@example.net"), CARE,
         "Out of Office",
         """
I'm on leave and will reply when I'm back.
""", headers={"Auto-Submitted": "auto-replied"}),
    # --- newsletters --------------------------------------------------------------------
    mail("news1", -21, "07:00", ("EV Fleet Weekly", "newsletter@evfleetweekly.example"),
         ("Erin Cole", "erin.cole@voltra.example"), "This week: idle fees, grid prices, and more",
         """
EV FLEET WEEKLY

1. Three networks introduce idle fees - and what drivers think.
2. Wholesale electricity prices fall for a second month.
3. Interview: running 400 electric vans in a city centre.

You are receiving this because you subscribed at evfleetweekly.example.
""", html=True, headers=_bulk("EV Fleet Weekly <weekly.evfleetweekly.example>",
                              "https://evfleetweekly.example/unsubscribe?u=88121")),
    mail("news2", -14, "07:00", ("EV Fleet Weekly", "newsletter@evfleetweekly.example"),
         ("Erin Cole", "erin.cole@voltra.example"), "This week: winter range myths",
         """
EV FLEET WEEKLY

1. Winter range: what the data says.
2. Why preconditioning matters more than you think.
3. Charging etiquette: a reader survey.
""", html=True, headers=_bulk("EV Fleet Weekly <weekly.evfleetweekly.example>",
                              "https://evfleetweekly.example/unsubscribe?u=88121")),
    mail("news3", -7, "06:30", ("Hospitality Insider", "digest@hospitality-insider.example"),
         CEO, "Your daily digest: 12 stories",
         """
Today's top stories in hospitality: guest recovery done right; staffing shortages at
airports; the return of the hotel concierge.

Manage your preferences or unsubscribe at hospitality-insider.example.
""", html_only=True, headers=_bulk("<daily.hospitality-insider.example>",
                                   "mailto:unsubscribe@hospitality-insider.example")),
    mail("news4", -1, "06:00", ("Charging Industry News", "news@chargingnews.example"), CHARGE,
         "Weekly round-up: overstay fees go mainstream",
         """
This week: more networks adopt overstay fees; the average UK rapid charger is now used
31% of the day; interview with a fleet manager on queuing costs.
""", headers=_bulk("<roundup.chargingnews.example>",
                   "https://chargingnews.example/u/7781")),
    # --- vendors ------------------------------------------------------------------------
    mail("vend1", -18, "10:20", ("Brandon Kettering", "brandon@queuewise.example"), CEO,
         "Cut your call centre hold times by 60% - 15 minutes?",
         """
Hi Erin,

I noticed Voltra Care has been getting some heat about hold times. QueueWise's AI callback
platform cut hold times by 60% for three of the UK's largest utilities.

Do you have 15 minutes on Thursday for a quick demo?

Brandon Kettering
Enterprise Sales, QueueWise
""", html=True),
    mail("vend2", -10, "14:05", ("Leila Moradi", "leila@parkguard.example"), CHARGE,
         "Bay sensors to stop charger hogging",
         """
Hello,

ParkGuard bay sensors detect when a car has finished charging but not moved, and can
trigger idle fees automatically. We'd love to run a pilot at a few of your sites.

Leila Moradi, ParkGuard
""", html_only=True),
    mail("vend3", -3, "11:40", ("Nick Salter", "nick.salter@headsetpro.example"), CARE,
         "Crystal-clear audio for contact centres",
         """
Hi there,

Poor line quality costs contact centres customers. Our noise-cancelling headsets and SIP
trunking bundle guarantee HD audio. Can I send you a free sample?

Nick Salter, HeadsetPro
"""),
    # --- spam ---------------------------------------------------------------------------
    mail("spam_e1", -16, "02:14", ("Dr. Felix Okafor", "felix.okafor@lottery-win.test"), CARE,
         "CONGRATULATIONS!!! You have won $4,500,000.00 USD",
         """
Dear Beneficiary,

Your email was selected in the International Online Lottery. To claim your prize of
$4,500,000.00 please send your full name, address and bank details to our claims agent.

Dr. Felix Okafor
"""),
    mail("spam_e2", -9, "03:50", ("SEO Experts", "rank1@seo-boost.test"), CARE,
         "Get voltra.example to #1 on Google",
         """
Hello webmaster, your website is not ranking for important keywords. We guarantee first
page results in 30 days. Reply YES for a free audit.
"""),
    mail("spam_e3", -4, "01:20", ("Pharmacy Deals", "deals@cheap-meds.test"), CARE,
         "Best prices 90% off",
         """
Best prices on all meds, no prescription needed, discreet shipping worldwide.
"""),
    mail("spam_e4", 0, "02:45", ("Invoice Department", "accounts@invoice-portal.test"), CEO,
         "Overdue invoice #INV-20931 - immediate payment required",
         """
Please find the overdue invoice at the link below. Payment must be made within 24 hours to
avoid legal action: http://invoice-portal.test/pay
""", html_only=True),
    # --- a job application (with the CV attached) and a bounce --------------------------
    mail("job1", -6, "16:15", ("Laura Finchley", "laura.finchley@example.com"), JOBS,
         "Application: Customer Care Team Leader (ref CC-114)",
         """
Dear Hiring Team,

Please find attached my CV for the Customer Care Team Leader role. I have eight years of
experience running contact-centre teams and I'm particularly interested in how Voltra is
reducing hold times.

Kind regards,
Laura Finchley
""", attach=[("Laura_Finchley_CV.pdf", "application/pdf", 6_144)]),
    mail("job2", -2, "09:09", ("Sami Virtanen", "sami.virtanen@example.net"), JOBS,
         "Speculative application - software engineer",
         """
Hello, I'm a mobile engineer with six years of Kotlin and Swift. I'd love to help with the
Voltra app. Portfolio: sami-virtanen.example
Sami
"""),
    # --- internal ------------------------------------------------------------------------
    mail("int1", -5, "17:05", ("Mara Lind", "mara.lind@voltra.example"), CEO,
         "Charging: idle-car complaints this week",
         """
Erin,

Heads-up: idle-car complaints at charging sites are up sharply this week, mostly Bicester,
Kettlebridge, Longhedge and Harrowgate. We're pulling session data to size it.

Mara
"""),
    # --- earlier in the month ----------------------------------------------------------
    mail("old_news1", -29, "06:00", ("Charging Industry News", "news@chargingnews.example"),
         CHARGE, "Weekly round-up: rapid charger reliability league table",
         """
This week: the reliability league table is out; which networks fix broken chargers fastest;
and a look at contactless payment at every stall.
""", headers=_bulk("<roundup.chargingnews.example>", "https://chargingnews.example/u/7781")),
    mail("old_q1", -28, "20:15", ("Nell Abernethy", "nell.abernethy@example.com"), CARE,
         "Can I charge from a normal plug at home?",
         """
Hi, I've just collected my Voltra. Until my wallbox is fitted, is it OK to charge from a
normal 3-pin socket with the cable in the boot? How long does a full charge take that way?

Nell
"""),
    mail("old_praise1", -27, "12:30", ("Beatrix Lowell", "beatrix.lowell@example.org"), HOTELS,
         "Thank you to the Lakeside night porter",
         """
Dear Lakeside team,

My mother was taken ill during our stay on Saturday night and your night porter, Emre,
stayed with us until the ambulance came and then drove me to the hospital. I cannot thank
him enough.

Beatrix Lowell
"""),
    mail("old_del1", -26, "17:48", ("Gustavo Ribeiro", "gustavo.ribeiro@example.net"), CARE,
         "Scratches on my new car at delivery",
         """
Hello,

I collected my new Voltra yesterday and found two long scratches on the rear bumper that the
handover team said they "hadn't noticed". Photos attached. How will this be repaired?

Gustavo Ribeiro
Order VO-219907
""", attach=[("bumper-1.jpg", "image/jpeg", 1_536), ("bumper-2.jpg", "image/jpeg", 1_280)]),
    mail("old_cin1", -25, "11:05", ("Priyanka Shah", "priyanka.shah@example.com"), CINEMAS,
         "Lost scarf in screen 2, Northgate",
         """
Hi, I left a green wool scarf in screen 2 at Northgate on Sunday evening (row F). Has it
been handed in?

Priyanka
"""),
    mail("old_bin1", -24, "08:10", ("Rowena Pryce", "rowena.pryce@example.org"), BINS,
         "Garden waste not collected - Millbrook Close",
         """
Hello, our garden waste bin wasn't emptied on Thursday. Could you let me know when it will be
collected? 5 Millbrook Close.

Rowena Pryce
"""),
    mail("old_air1", -23, "15:30", ("Hamish Drummond", "hamish.drummond@example.net"), AIR,
         "Refund for cancelled flight VA 77",
         """
Hello,

VA 77 to Geneva on the 4th was cancelled and I chose a refund rather than rebooking. It has
now been 14 days. When will the £246.80 reach my card?

Hamish Drummond
Booking VA-K7QH2P
"""),
    mail("old_call1", -23, "19:02", ("Olu Adebayo", "olu.adebayo@example.com"), CARE,
         "Promised callback never came",
         """
Hello, on Monday an agent promised a callback within 24 hours about my charging card. It
hasn't come. Could someone please call me on 07700 900 845?

Olu Adebayo
"""),
    mail("old_app1", -22, "10:40", ("Hamid Rostami", "hamid.rostami@example.org"), APP,
         "Charged for Premium Connectivity after cancelling",
         """
Hi,

I cancelled Premium Connectivity in the app on the 1st but was charged £9.99 again this
month. Please refund and confirm the subscription is cancelled.

Hamid
"""),
    mail("old_chg1", -20, "09:25", ("Fionnuala Dunmore", "f.dunmore@example.com"), CHARGE,
         "Broken stalls at Reigate",
         """
Hello, two of the six stalls at Reigate have been out of order for over a week with tape on
the screens. Is there a date for the repair?

Fionnuala Dunmore
"""),
    mail("old_praise2", -19, "13:50", ("Jonas Eklund", "jonas.eklund@example.net"), CARE,
         "Roadside assistance - thank you",
         """
Hello, my Voltra got a puncture on the A1 on Friday night. Roadside assistance arrived in
35 minutes and the technician was kind and quick. Thank you.

Jonas Eklund
"""),
    mail("old_spam1", -19, "04:05", ("Amazing Offers", "offers@great-deals.test"), CARE,
         "You've been selected for a FREE iPhone",
         """
Congratulations! Complete our 30-second survey to claim your free phone. Offer ends today.
""", html_only=True),
    mail("old_news2", -13, "07:00", ("EV Fleet Weekly", "newsletter@evfleetweekly.example"),
         CEO, "This week: the true cost of queueing",
         """
EV FLEET WEEKLY

1. The true cost of driver time spent queueing at chargers.
2. Depot charging vs public networks.
""", html=True, headers=_bulk("EV Fleet Weekly <weekly.evfleetweekly.example>",
                              "https://evfleetweekly.example/unsubscribe?u=88121")),
    mail("bin_r4", 0, "06:00", BINS_ROBOT, ("David Tallis", "david.tallis@example.org"),
         "Missed collection report MC-48911",
         _BIN_ROBOT_TEXT.format(ref="MC-48911", what="food waste bin and small electricals"),
         headers={"Auto-Submitted": "auto-generated"}),
    mail("cin_e4", 0, "08:15", ("Callum Fairbairn", "callum.fairbairn@example.net"), CEO,
         "Fw: Refund request - screen 4, Quayside",
         """
Dear Ms Cole,

Two emails to Voltra Cinemas and not even an acknowledgement. All I asked for was the price
of two tickets back after an evening ruined by a rowdy crowd and no staff. I'd rather not
give up on Quayside, it's our local.

Callum Fairbairn
""", reply_to="cin_e3"),
    mail("fly_e4", -1, "09:30", ("Gwendolyn Harbottle-Price", "g.harbottle.price@example.org"),
         CEO, "Re: A formal complaint — and my final word on Voltra Air",
         """
Ms Cole,

I note that I have not yet had the courtesy of a reply. My offer stands: a complimentary
return flight to Faro in April and I will reconsider my position.

G. Harbottle-Price
""", reply_to="fly_e1"),
]
# fmt: on
