"""The demo's tweets, written by hand: who posted what, when, and how far it travelled.

Times are (days before the anchor, "HH:MM" UTC); day 0 is the anchor day and its posts arrive
before 09:00 so the morning feed has something fresh. `seeds/build.py` turns these into X API
v2 responses. Every person and handle here is invented.
"""

from __future__ import annotations

from typing import Any

# handle: (display name, followers, verified)
USERS: dict[str, tuple[str, int, bool]] = {
    # the company's own accounts (noise for the feed)
    "voltra": ("Voltra", 2_410_000, True),
    "voltracharge": ("Voltra Charge", 188_000, True),
    "voltracare": ("Voltra Care", 96_500, True),
    "voltraair": ("Voltra Air", 412_000, True),
    "erin_at_voltra": ("Erin Cole", 3_950_000, True),
    # the entrepreneur and the celebrity
    "kasia_builds_things": ("Kasia Wrenfield", 1_920_000, True),
    "marisolvey_music": ("Marisol Vey", 11_400_000, True),
    # everyone else
    "ohm_sweet_ohm_": ("Priya Ramanathan", 812, False),
    "lena_drives_e": ("Lena Vogelsang", 2_304, False),
    "tomaszkwh": ("Tomasz Kowalczyk-Hale", 5_690, False),
    "quietmilesuk": ("Rhys Penhallow", 431, False),
    "evdad_of_three": ("Marcus Oduya", 9_870, False),
    "grid_and_bear_it": ("Harriet Quill", 1_215, False),
    "fen_road_tripper": ("Ollie Brancaster", 3_402, False),
    "sparkyjo_88": ("Jo Whitcombe", 667, False),
    "nadia_on_the_m6": ("Nadia Farouk", 14_200, False),
    "kilowatt_kev": ("Kevin Mallender", 22_800, False),
    "ameliaplugsin": ("Amelia Trask", 318, False),
    "chargedupchidi": ("Chidi Okonkwo-Reyes", 7_340, False),
    "mossgreen_ev": ("Ewan Mossgrove", 1_098, False),
    "petra_k_runs": ("Petra Kallstrom", 2_870, False),
    "the_volt_vicar": ("Rev. Simon Ashdown", 4_150, False),
    "dashcamdarren": ("Darren Pike", 41_600, False),
    "ivy_at_the_wheel": ("Ivy Sandoval", 890, False),
    "bytes_and_bolts": ("Anand Iyer", 18_300, False),
    "greta_in_the_glens": ("Greta MacAulay", 1_560, False),
    "wattsupwill": ("Will Ferrant", 2_245, False),
    "lowcarb_lorna": ("Lorna Beddoes", 1_377, False),
    "northbound_noor": ("Noor Al-Hassan", 6_025, False),
    "reluctant_roadie": ("Fergus Tanaka-Bell", 512, False),
    "solarsam_sw": ("Sam Treloar", 3_310, False),
    "mumof2_electric": ("Bethany Crossley", 2_084, False),
    "yusuf_commutes": ("Yusuf Demir", 745, False),
    "marisol_fan_hq": ("Vey Nation", 152_000, False),
    "techcritic_tobias": ("Tobias Renner", 301_000, True),
    "ella_m_sings": ("Ella Mawdsley", 4_480, False),
    "hotel_hopper_hugh": ("Hugh Carraway", 38_700, False),
    "shirtgate_fan": ("Miriam Osei", 1_205, False),
    "servicedesign_sara": ("Sara Lindqvist", 27_900, True),
    "popcorn_and_peace": ("Callum Fairbairn", 988, False),
    "onholdforever_uk": ("Deborah Yates", 1_440, False),
    "staticonthe_line": ("Gareth Pembury", 356, False),
    "max_waits_again": ("Max Oyelaran", 2_711, False),
    "appgripes_anya": ("Anya Petrovic", 5_018, False),
    "carlos_in_cardiff": ("Carlos Mendes", 1_933, False),
    "linh_evjourney": ("Linh Tran", 12_650, False),
    "frugal_fleet_fay": ("Fay Ockenden", 3_480, False),
    "bob_tinkers": ("Bob Haverstock", 207, False),
    "jana_w_writes": ("Jana Wojcik", 8_805, False),
    "xss_tester_9000": ("Null Byte", 77, False),
    "mdimg_prankster": ("Pic Pranks", 143, False),
    "crypto_gains_4u": ("Crypto Gains Daily", 12, False),
    "hbeaumont_ev": ("Helena Beaumont", 1_702, False),
    "gwen_cycles_too": ("Gwen Arkwright", 634, False),
    "raj_on_the_rails": ("Raj Malhotra", 2_119, False),
    "stellar_stevie": ("Stevie Quarrie", 955, False),
    "the_real_pinto": ("Duarte Pinto", 4_260, False),
    "newcar_nell": ("Nell Abernethy", 1_122, False),
    "widget_watcher": ("Hamid Rostami", 488, False),
    "dunmore_drives": ("Fionnuala Dunmore", 2_936, False),
    "loungelizard_lu": ("Lu Chen", 6_480, False),
    "reclinerfan_rob": ("Rob Ashby", 302, False),
    "breakfastqueue": ("Tamsin Greaves", 1_016, False),
    "recycle_rowena": ("Rowena Pryce", 741, False),
    "owl_shift_olu": ("Olu Adebayo", 3_390, False),
}


def post(key: str, day: int, hm: str, handle: str, text: str, **kw: Any) -> dict[str, Any]:
    """Describe one post; kw: likes, rts, replies, quotes, reply_to, rt, quote, lang."""
    return {"key": key, "day": day, "hm": hm, "handle": handle, "text": text, **kw}


ANNOUNCE = (
    "Voltra Charge now has 1,200 stalls across the country, and every new site from March gets "
    "covered bays and a live queue in the app. Thanks for driving electric with us."
)

# fmt: off
POSTS: list[dict[str, Any]] = [
    # --- the company's own announcement and people passing it on (noise) -------------------
    post("announce", -12, "10:00", "voltra", ANNOUNCE, likes=8_420, rts=1_310, replies=402),
    post("rt1", -12, "10:04", "kilowatt_kev", "RT @voltra: " + ANNOUNCE[:110], rt="announce"),
    post("rt2", -12, "10:31", "solarsam_sw", "RT @voltra: " + ANNOUNCE[:110], rt="announce"),
    post("rt3", -12, "11:12", "linh_evjourney", "RT @voltra: " + ANNOUNCE[:110], rt="announce"),
    post("rt4", -12, "13:47", "frugal_fleet_fay", "RT @voltra: " + ANNOUNCE[:110], rt="announce"),
    post("rt5", -11, "08:20", "bytes_and_bolts", "RT @voltra: " + ANNOUNCE[:110], rt="announce"),
    post("rt6", -11, "19:02", "raj_on_the_rails", "RT @voltra: " + ANNOUNCE[:110], rt="announce"),
    # --- the charging stalls used as parking: a wave that keeps rising ---------------------
    post("park01", -9, "08:14", "ohm_sweet_ohm_",
         "Third time this week the @VoltraCharge hub at Brackley services has two cars plugged "
         "in at 100% with nobody around. Four of us queueing behind them.", likes=12, replies=3),
    post("park02", -9, "19:40", "lena_drives_e",
         "Is there actually a rule about leaving your car on a Voltra charger once it's full? "
         "Same grey estate has sat on bay 3 at Orchard Park since lunchtime.", likes=8, replies=5),
    post("park03", -7, "12:03", "tomaszkwh",
         "Drove 40 minutes out of my way to the Harrowgate Retail Park stalls. All six taken, "
         "four finished hours ago. Shoppers treating @VoltraCharge as free parking.",
         likes=64, rts=11, replies=9),
    post("park04", -6, "17:55", "quietmilesuk",
         "Asked the owner of a fully charged Voltra to move so I could plug in. Told me he'd "
         "'be back after the film'. That was 2 hours ago. @voltra this needs sorting.",
         likes=23, rts=4),
    post("park05", -5, "07:48", "evdad_of_three",
         "Kids in the back, 9% battery, and the only free-looking bay at Kettlebridge is "
         "occupied by a car showing 'Charging complete' since 5am. Not a great start to "
         "half term, @VoltraCharge", likes=210, rts=31, replies=27),
    post("park06", -4, "13:20", "grid_and_bear_it",
         "Charging etiquette thread: if your car is full, MOVE IT. The stall is not a parking "
         "space. Looking at you, Voltra owners at Wexham Green.", likes=141, rts=38, replies=22),
    post("park07", -4, "21:05", "fen_road_tripper",
         "Waited 55 minutes at Ely Road for a bay while three full cars sat there. Why is "
         "there no idle fee, @VoltraCharge?", likes=47, rts=9, replies=6),
    post("park08", -3, "08:32", "sparkyjo_88",
         "Every morning the same two cars on the Voltra stalls at the station car park. "
         "They're commuters, they plug in at 7 and leave at 6. The rest of us can't charge.",
         likes=19, replies=4),
    post("park09", -3, "12:47", "nadia_on_the_m6",
         "Genuinely considering going back to petrol. Charger hogging at Voltra sites on the "
         "M6 has got ridiculous. 3 stops, 3 queues, full cars parked up everywhere.",
         likes=388, rts=72, replies=61),
    post("park10", -3, "16:10", "ameliaplugsin",
         "@VoltraCharge can you please add a notification that tells people their car is "
         "full and to move it? Half the bays at Castlegate are occupied by finished cars.",
         likes=5),
    post("park11", -3, "18:58", "chargedupchidi",
         "Idle cars at chargers are the number one thing putting my friends off EVs. "
         "@voltra you could fix this tomorrow with an overstay fee.", likes=96, rts=20),
    post("park12", -2, "07:15", "mossgreen_ev",
         "5:50am and every Voltra stall at Thornbury is taken by cars that finished overnight. "
         "Hotel guests, I'm guessing. I have a 200 mile day ahead.", likes=33, replies=7),
    post("park13", -2, "09:40", "petra_k_runs",
         "Not to pile on but: 1 hr 10 min queue at Voltra Charge Longhedge, most of it waiting "
         "for people to come back from the outlet shops.", likes=52, rts=6),
    post("park14", -2, "11:22", "the_volt_vicar",
         "Love thy neighbour, unplug thy car. Voltra Charge St Albans had four full cars and "
         "a queue this morning. Even my patience has limits.", likes=415, rts=88, replies=30),
    post("park15", -2, "14:03", "dashcamdarren",
         "Filmed this at Voltra Charge Bicester: 6 stalls, 5 cars finished, owners nowhere. "
         "One has been there 4 hours per the app. This is why EV drivers lose it.",
         likes=2_870, rts=640, replies=311, quotes=95),
    post("park16", -2, "17:36", "ivy_at_the_wheel",
         "Reported a car hogging a Voltra charger in the app and got an automated 'thanks for "
         "your feedback'. It's still there. What is the point?", likes=14, replies=2),
    post("park17", -2, "20:48", "wattsupwill",
         "Idea for @VoltraCharge: after charging finishes, 10 min grace then a per-minute fee. "
         "Other networks do it. Why not you?", likes=77, rts=15, replies=9),
    post("park18", -1, "06:55", "lowcarb_lorna",
         "Arrived at Kettlebridge with 6%. Three finished cars, one of them 'complete' for "
         "5 hours. Had to limp to a slow charger in town. @voltra", likes=61, rts=12),
    post("park19", -1, "08:12", "northbound_noor",
         "Stuck at Voltra Charge Wetherby behind two parked-up cars. Both full. Left notes on "
         "the windscreens. This is getting silly @VoltraCharge", likes=28, replies=3),
    post("park20", -1, "09:47", "reluctant_roadie",
         "Voltra app says 4 stalls available at Harrowgate. Arrive: all occupied, all showing "
         "complete. The app counts finished cars as free?", likes=39, rts=5, replies=6),
    post("park21", -1, "12:30", "mumof2_electric",
         "Waited 40 mins at Castlegate with a screaming toddler while a finished car sat there. "
         "Owner strolled back with shopping bags. Voltra, please do something.",
         likes=184, rts=29, replies=40),
    post("park22", -1, "15:18", "yusuf_commutes",
         "Commuters leaving cars all day on the station Voltra chargers again. Could you at "
         "least cap sessions at 2 hours there? @VoltraCharge", likes=11),
    post("park23", -1, "18:44", "hbeaumont_ev",
         "Bicester Voltra tonight: queue of 7. Five stalls occupied by cars that are full. "
         "I've been driving electric for 6 years and it's never been this bad.",
         likes=93, rts=17, replies=12),
    post("park24", -1, "22:10", "gwen_cycles_too",
         "Can someone from @VoltraCharge explain why there's no overstay fee? Genuinely asking. "
         "Bays at Wexham Green have been blocked all evening.", likes=9),
    post("park25", 0, "06:12", "kasia_builds_things",
         "@erin_at_voltra the Voltra Charge stalls are turning into car parks. Bicester this "
         "morning: 5 of 6 bays with cars that finished hours ago. Owners shopping, the rest "
         "of us queueing. Please fix this.", likes=12_400, rts=2_980, replies=1_150,
         quotes=410),
    post("park26", 0, "06:20", "stellar_stevie",
         "@kasia_builds_things @erin_at_voltra Same at Longhedge yesterday. Waited an hour.",
         likes=140, reply_to="park25"),
    post("park27", 0, "06:31", "the_real_pinto",
         "@kasia_builds_things @erin_at_voltra Kettlebridge every single weekend. An idle fee "
         "after 10 minutes would end it overnight.", likes=310, rts=12, reply_to="park25"),
    post("park28", 0, "06:44", "carlos_in_cardiff",
         "@kasia_builds_things Cardiff Bay Voltra stalls too. Cars left all day by office "
         "workers.", likes=58, reply_to="park25"),
    post("park29", 0, "07:02", "jana_w_writes",
         "This. Voltra owners: when it's full, move it. @VoltraCharge please enforce it.",
         likes=205, rts=33, quote="park25"),
    post("park30", 0, "07:18", "raj_on_the_rails",
         "@kasia_builds_things @erin_at_voltra Had to cancel a client meeting on Tuesday "
         "because I couldn't get a bay at Wetherby. Full cars, no owners.", likes=77,
         reply_to="park25"),
    post("park31", 0, "07:40", "bob_tinkers",
         "@VoltraCharge Thornbury again this morning: 4 stalls, 4 finished cars, 0 humans.",
         likes=6),
    post("park32", 0, "07:55", "frugal_fleet_fay",
         "We run 14 Voltras in our delivery fleet. Lost 3 driver-hours this week queueing "
         "behind parked-up cars at Voltra Charge. @erin_at_voltra", likes=121, rts=18,
         replies=9),
    post("park33", 0, "08:20", "greta_in_the_glens",
         "@kasia_builds_things Even up in Inverness. It's not a city thing, it's a rules thing.",
         likes=44, reply_to="park25"),
    post("park34", 0, "08:41", "kilowatt_kev",
         "Charger hogging is now the most common complaint in every EV group I'm in, and "
         "Voltra Charge sites come up more than anyone. Idle fees work. Just saying.",
         likes=690, rts=140, replies=58),
    # --- the celebrity whose screen went black -------------------------------------------
    post("screen1", -8, "20:17", "marisolvey_music",
         "Help! The big screen in my @voltra went completely black and restarting it does "
         "nothing. Do I just take it back and ask for my money back??",
         likes=48_300, rts=6_120, replies=9_870, quotes=1_240),
    post("screen2", -8, "20:24", "marisol_fan_hq",
         "@marisolvey_music @voltra Queen deserves a car that works!! Get her a refund!!",
         likes=2_110, reply_to="screen1"),
    post("screen3", -8, "20:29", "bytes_and_bolts",
         "@marisolvey_music @voltra Hold the power button on the steering wheel for 10 "
         "seconds, that usually brings it back.", likes=340, reply_to="screen1"),
    post("screen4", -8, "20:51", "erin_at_voltra",
         "@marisolvey_music So sorry! Try switching the display from Night to Auto. At 0% "
         "brightness Night mode is far too dark in daylight; that's our fault, not yours. "
         "The next software update keeps 0% readable whatever the light.",
         likes=19_800, rts=2_450, replies=1_630, reply_to="screen1"),
    post("screen5", -8, "21:06", "techcritic_tobias",
         "@erin_at_voltra @marisolvey_music A reset should have fixed it though. If a hard "
         "reboot leaves a black screen, that's a UX bug, not a user error.",
         likes=5_020, rts=610, replies=240, reply_to="screen4"),
    post("screen6", -8, "21:15", "erin_at_voltra",
         "@techcritic_tobias @marisolvey_music Agreed. A reset should always get you a "
         "visible screen. We'll fix that too.", likes=8_900, rts=700, reply_to="screen5"),
    post("screen7", -8, "21:38", "marisolvey_music",
         "It's back!! Night mode was the culprit. Thank you @erin_at_voltra, honestly did "
         "not expect the boss to answer. Keeping the car!", likes=61_000, rts=4_900,
         replies=3_300),
    post("screen8", -7, "09:12", "ella_m_sings",
         "Same thing happened to me last month with my Voltra, screen went dark on the "
         "motorway at dusk. Scary. Glad it's getting fixed @voltra", likes=85, rts=7),
    post("screen9", -6, "18:30", "appgripes_anya",
         "@voltra when is the screen brightness update actually coming? My display still "
         "goes black in Night mode at dusk.", likes=22, replies=2),
    # --- the shirt returned washed and pressed (praise) ----------------------------------
    post("shirt1", -10, "19:25", "hotel_hopper_hugh",
         "Left a shirt in the wardrobe at the Voltra Marina Hotel. Didn't even ring them, my "
         "own fault. It arrived at my house 3 days later, washed, pressed and folded in tissue. "
         "That's how you keep a customer for life.", likes=9_840, rts=1_720, replies=455,
         quotes=160),
    post("shirt2", -10, "20:02", "servicedesign_sara",
         "This is the whole of service design in one tweet. Nobody asked them to do it.",
         likes=2_300, rts=410, quote="shirt1"),
    post("shirt3", -10, "20:40", "shirtgate_fan",
         "@hotel_hopper_hugh Pressed!! My hotel lost my charger and then denied I'd ever "
         "stayed there.", likes=120, reply_to="shirt1"),
    post("shirt4", -9, "08:03", "petra_k_runs",
         "@hotel_hopper_hugh Stayed at the Voltra Marina last spring, staff were exactly "
         "like that. Lovely people.", likes=48, reply_to="shirt1"),
    post("shirt5", -9, "12:15", "voltra",
         "@hotel_hopper_hugh We'll pass this on to the housekeeping team at the Marina. "
         "They'll be thrilled.", likes=640, reply_to="shirt1"),
    # --- the cinema with no ushers ------------------------------------------------------
    post("cine1", -5, "23:10", "popcorn_and_peace",
         "Voltra Cinemas Quayside, screen 4, 8pm show: phones out, feet on seats, a group "
         "shouting the whole film. Not a single member of staff came in. Paid £31 for that.",
         likes=37, rts=4, replies=8),
    post("cine2", -4, "10:02", "ivy_at_the_wheel",
         "@popcorn_and_peace Same at Voltra Cinemas Quayside last Friday. There used to be "
         "ushers, where did they go?", likes=6, reply_to="cine1"),
    # --- the call centre: hold times and bad lines --------------------------------------
    post("call1", -14, "11:41", "onholdforever_uk",
         "52 minutes on hold to @VoltraCare. Same 8 bars of hold music on loop. Then cut off.",
         likes=66, rts=9, replies=7),
    post("call2", -11, "15:05", "staticonthe_line",
         "Finally got through to Voltra Care and the line was so crackly the agent couldn't "
         "hear my registration number. Had to spell it 4 times, then it dropped.", likes=18),
    post("call3", -9, "10:33", "max_waits_again",
         "Called @VoltraCare at 9:01. It is now 10:33. Still 'your call is important to us'.",
         likes=140, rts=26, replies=15),
    post("call4", -6, "14:20", "linh_evjourney",
         "Voltra Care advice: don't call on a Monday. 1h 20m on hold today, then an echo so "
         "bad I could hear myself twice. Gave up. @VoltraCare", likes=212, rts=30, replies=19),
    post("call5", -4, "09:15", "carlos_in_cardiff",
         "Is the @VoltraCare phone line down? Third call this morning that connects to "
         "silence and then hangs up.", likes=12, replies=3),
    post("call6", -2, "16:45", "hbeaumont_ev",
         "Voltra Care callback promised 'within 2 hours'. That was Tuesday.", likes=31, rts=3),
    post("call7", -1, "11:05", "onholdforever_uk",
         "Update: 41 minutes on hold today, got an agent, line sounded like a tin can in a "
         "storm. She was lovely but I couldn't hear half of it. @VoltraCare", likes=24),
    post("call8", 0, "08:05", "max_waits_again",
         "@VoltraCare is there anyone actually answering phones this week? 38 min and counting.",
         likes=9),
    post("care1", -1, "11:30", "voltracare",
         "@onholdforever_uk Really sorry about that, Deborah. Please DM us your case number "
         "and we'll call you back on a better line.", likes=4, reply_to="call7"),
    # --- everyday: app, software, service, praise and questions -------------------------
    post("app1", -13, "08:50", "appgripes_anya",
         "New Voltra app update logs me out every time I open it. Two-factor code arrives 5 "
         "minutes later. Can't precondition the car. @voltra", likes=57, rts=8, replies=11),
    post("app2", -13, "12:14", "wattsupwill",
         "@voltra app crashing on Android since yesterday's update. Anyone else?", likes=31,
         replies=14),
    post("app3", -12, "07:30", "bytes_and_bolts",
         "Voltra app 6.2 on Android 15: crashes on the charging map. Reproducible every time. "
         "Logs available if the app team wants them.", likes=88, rts=12),
    post("app4", -10, "09:00", "jana_w_writes",
         "The Voltra app's new trip planner is genuinely brilliant. Picked my stops, "
         "preconditioned the battery, zero stress on a 400 mile day.", likes=143, rts=19),
    post("app5", -7, "18:22", "ameliaplugsin",
         "Can't add my partner as a second driver in the Voltra app, the invite link says "
         "'expired' instantly. Tried 3 times.", likes=4, replies=1),
    post("svc1", -15, "16:40", "evdad_of_three",
         "Voltra service centre Didcot: booked for 9am, car ready at 9:45 with a wash. "
         "That's the bar now.", likes=72, rts=5),
    post("svc2", -11, "13:37", "reluctant_roadie",
         "Waiting 3 weeks for a Voltra service slot for a warning light. Nearest centre says "
         "'parts on order'. Nobody can tell me which parts.", likes=26, replies=4),
    post("svc3", -8, "10:10", "solarsam_sw",
         "Mobile technician from Voltra came to my office car park and fixed a door handle "
         "in 20 minutes. Excellent.", likes=35),
    post("q1", -6, "11:02", "gwen_cycles_too",
         "@voltra what time does the Didcot service centre open on Saturdays?", likes=1),
    post("q2", -3, "09:58", "stellar_stevie",
         "@VoltraCare how do I change the home address on my account? Can't find it in the app.",
         likes=2),
    post("air1", -16, "21:30", "raj_on_the_rails",
         "Voltra Air VA212 delayed 3 hours with no announcement until we'd boarded. "
         "Crew were great, the ground team invisible.", likes=44, rts=6, replies=5),
    post("air2", -5, "14:48", "northbound_noor",
         "Shout-out to the Voltra Air cabin crew on VA88 who found my daughter's lost "
         "rabbit under row 14. Hero status.", likes=620, rts=51, replies=22),
    post("bins1", -3, "19:20", "lowcarb_lorna",
         "Voltra City Services missed our street's food waste again. Fourth 'we'll collect "
         "tomorrow' text this week. Nobody ever comes.", likes=19, rts=3, replies=2),
    post("bins2", -1, "07:05", "gwen_cycles_too",
         "@voltra your bin crews skipped Pendle Row for the second week. Foxes are thrilled.",
         likes=27, rts=2),
    # --- hostile and junk ---------------------------------------------------------------
    post("xss1", -2, "03:33", "xss_tester_9000",
         "@voltra your support page is broken <script>alert(1)</script> "
         "<img src=x onerror=alert(2)>", likes=0),
    post("mdimg1", -1, "02:14", "mdimg_prankster",
         "@VoltraCare look at this ![x](http://evil.example/x.png) and "
         "[click here](http://evil.example/login) to claim your free charging",
         likes=0),
    post("spam1", -4, "04:40", "crypto_gains_4u",
         "@voltra @erin_at_voltra 🚀🚀 Turn $100 into $10,000 with our AI trading bot!! "
         "DM now, limited spots 💰", likes=0),
    post("spam2", 0, "03:05", "crypto_gains_4u",
         "@VoltraCharge Free EV charging for life?? Click the link in bio!! 🎁⚡", likes=0),
    post("lang1", -5, "10:26", "the_real_pinto",
         "@voltra o carregador de Faro está avariado há três dias e ninguém responde.",
         likes=7, lang="pt"),
    # --- earlier in the month and a few more voices ------------------------------------
    post("early1", -29, "17:05", "newcar_nell",
         "Picked up my first Voltra today. The handover took 15 minutes and the car was "
         "charged to 90%. Very happy so far!", likes=210, rts=8, replies=31),
    post("early2", -28, "08:40", "widget_watcher",
         "@voltra the app's home-screen widget hasn't updated my battery percentage since "
         "Tuesday. Reinstalled twice.", likes=3),
    post("early3", -27, "13:15", "dunmore_drives",
         "Voltra Charge Reigate: 2 of 6 stalls out of order for a week now, tape over the "
         "screens. @VoltraCharge any news?", likes=19, replies=2),
    post("early4", -26, "10:50", "stellar_stevie",
         "@VoltraCare does the warranty cover the charging cable if the handle cracks?",
         likes=1),
    post("early5", -25, "06:20", "loungelizard_lu",
         "The new Voltra Air lounge at Manchester T2 is lovely. Quiet, good coffee, actual "
         "plug sockets at every seat.", likes=156, rts=9),
    post("early6", -24, "21:35", "reclinerfan_rob",
         "Voltra Cinemas recliners are the best seats in town. Worth every penny.", likes=12),
    post("early7", -23, "09:30", "breakfastqueue",
         "40 minute queue for breakfast at the Voltra Lakeside Hotel this morning. Two staff "
         "for the whole room.", likes=27, replies=4),
    post("early8", -21, "18:10", "recycle_rowena",
         "Credit where due: the new Voltra City Services recycling app tells you exactly "
         "which bin goes out. Brilliant.", likes=44, rts=3),
    post("early9", -20, "14:02", "owl_shift_olu",
         "Voltra Care agent sorted my charging card in 5 minutes after a 30 min wait. "
         "Lovely agent, painful queue.", likes=38),
    post("early10", -18, "07:55", "lena_drives_e",
         "Someone left their Voltra on the Orchard Park charger all night again. Had to use "
         "the slow one at the supermarket.", likes=6),
    post("early11", -17, "16:25", "wattsupwill",
         "Software update 2026.4 on my Voltra: smoother regen and the heat pump is finally "
         "quiet. Nice work @voltra", likes=91, rts=7),
    post("early12", -16, "12:40", "yusuf_commutes",
         "25 minutes on hold to @VoltraCare just to ask for an invoice. Is there really no "
         "way to do this online?", likes=15, replies=3),
    post("care2", -15, "09:00", "voltracare",
         "From Monday our phone lines are open until 10pm on weekdays. You can also chat "
         "with us in the Voltra app, 24/7.", likes=310, rts=44, replies=160),
    post("rt7", -15, "09:40", "owl_shift_olu", "RT @voltracare: From Monday our phone lines "
         "are open until 10pm on weekdays.", rt="care2"),
    post("call9", -3, "20:30", "owl_shift_olu",
         "Tried the 'open until 10pm' line at 8:15pm. Hold music until 9:58, then 'we are "
         "now closed'. Amazing. @VoltraCare", likes=133, rts=21, replies=14),
    post("call10", 0, "07:25", "dunmore_drives",
         "@VoltraCare 45 minutes on hold this morning and the line crackles so badly I "
         "can't make out a word when someone finally answers.", likes=17, replies=2),
    post("park35", 0, "08:52", "widget_watcher",
         "@erin_at_voltra @kasia_builds_things Reading this from the queue at Longhedge. "
         "Car next to me finished at 6:40.", likes=95, reply_to="park25"),
    post("park36", 0, "08:30", "newcar_nell",
         "Three weeks into EV life and I've already learned the most important skill: "
         "waiting for people to come back to their fully charged Voltras.", likes=480,
         rts=64, replies=38),
    post("bins3", 0, "06:35", "recycle_rowena",
         "Take back what I said about the Voltra City Services app. It's told me 'collection "
         "tomorrow' four days running and the food bin is still full.", likes=52, rts=6),
]
# fmt: on
