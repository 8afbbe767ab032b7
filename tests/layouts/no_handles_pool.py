"""Hand-written text pools for generated no-handles pages (layout family 5).

Article paragraphs are news prose on many topics (not only the seed's); comment
paragraphs are reader comments of many kinds, including the hard ones: long
third-person comments, pasted news quotes, editorial first person in articles.
This module holds text only; it must never hold page layout logic (that is in
``no_handles_pages.py``) and never text copied from a seed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """One story: headlines, updates (newest first), body paragraphs in order,
    photo captions (each one or two lines), and comments on it (each a tuple
    of paragraphs)."""

    titles: tuple[str, ...]
    updates: tuple[str, ...]
    paragraphs: tuple[str, ...]
    captions: tuple[tuple[str, ...], ...]
    comments: tuple[tuple[str, ...], ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        titles=(
            "Fed Holds Rates Steady As Inflation Cools, Signals Two Cuts Later This Year",
            "Powell Blinks: Fed Keeps Rates Unchanged, Markets Rally",
        ),
        updates=(
            "Update: Treasury yields fell 12 basis points in the hour after the "
            "statement, with the 2-year note trading at 4.31%, the lowest since March.",
            "Update 2: Speaking at the press conference, Chair Jerome Powell said the "
            "committee \"is not yet confident\" that inflation is on a sustainable path "
            "to 2 percent, but added that the labour market has cooled \"meaningfully\".",
        ),
        paragraphs=(
            "The Federal Reserve left its benchmark interest rate unchanged on Wednesday "
            "at a range of 5.25% to 5.50%, the eighth consecutive meeting without a move, "
            "as officials weighed signs that price pressures are easing.",
            "In its statement, the Federal Open Market Committee said that inflation \"has "
            "eased over the past year but remains elevated\" and that it would continue to "
            "reduce its holdings of Treasury securities and agency debt.",
            "The so-called dot plot, which charts each official's expectations, showed a "
            "median forecast of two quarter-point cuts by December, down from three in the "
            "projections released in March.",
            "According to data published by the Labor Department last week, consumer prices "
            "rose 3.1% in the twelve months to May, while the core measure, which excludes "
            "food and energy, rose 3.4%.",
            "Stocks extended their gains after the decision, with the S&P 500 closing up "
            "0.9% and the Nasdaq Composite adding 1.3%, led by technology shares.",
            "Analysts at Goldman Sachs wrote in a note to clients that the statement was "
            "\"modestly dovish\" and that they continued to expect the first cut in September.",
            "Not everyone was convinced. \"The Fed is declaring victory far too early,\" said "
            "Mary Lawson, chief economist at Harbor Point Advisors, noting that services "
            "inflation has barely moved since January.",
            "We have said it before and we will say it again: a central bank that cuts into "
            "3% inflation is a central bank that has quietly raised its target.",
            "The next policy meeting is scheduled for July 30 and 31.",
        ),
        captions=(
            ("Federal Reserve Chair Jerome Powell speaks during a news conference",
             "following the FOMC meeting in Washington, D.C."),
            ("Photo: Federal Reserve Board",),
        ),
        comments=(
            ("Two cuts before the election. What a coincidence.",),
            ("Inflation cooled my ass. Go buy groceries and tell me it cooled.",),
            ("They will cut and inflation comes roaring back, just like the 70s.",
             "Burns all over again. Nobody learns anything."),
            ("Buy gold. Buy silver. Stop asking questions.",),
            ("lol the dot plot. might as well read tea leaves",),
            ("Core services ex-housing is the only number that matters and it is sticky as "
             "hell. Anyone who tells you otherwise is talking their book.",),
            ("My mortgage renews in October. Should I lock now or wait? Asking seriously.",),
            ("^ lock it. you won't see 3% again in your lifetime",),
        ),
    ),
    Topic(
        titles=(
            "Floods Force Evacuation Of 40,000 As River Breaches Levees",
            "State Of Emergency Declared After Record Rainfall Swamps Valley Towns",
        ),
        updates=(
            "Update: The National Weather Service has extended the flood warning until "
            "Sunday morning, saying a second band of heavy rain is expected overnight.",
            "Update 2: Officials confirmed that two people have died, including a 71-year-old "
            "man whose car was swept off a county road near Millbrook.",
        ),
        paragraphs=(
            "Emergency crews evacuated roughly 40,000 residents on Friday after the Harlan "
            "River breached levees in three places, flooding neighbourhoods that had been "
            "dry during the record floods of 1997.",
            "Governor Alicia Moreno declared a state of emergency for six counties and "
            "requested federal assistance, telling reporters that \"the water is still rising "
            "and we are not out of this yet\".",
            "The river crested at 31.4 feet at the Dunmore gauge late Thursday, more than "
            "nine feet above flood stage, according to the U.S. Geological Survey.",
            "Shelters opened at four high schools and a convention centre, where the Red "
            "Cross said it had registered more than 3,200 people by Friday evening.",
            "Scientists have warned for years that the region's flood defences, most of them "
            "built in the 1950s, were not designed for the heavier downpours that a warmer "
            "atmosphere produces.",
            "A spokesman for the Army Corps of Engineers said engineers would inspect the "
            "damaged sections once the water receded, but declined to estimate how long "
            "repairs would take.",
            "Insurers estimated preliminary losses at between $1.2 billion and $1.8 billion.",
            "Residents who stayed behind described water reaching the second step of their "
            "staircases within an hour. \"It came in like a tide,\" said Doreen Platt, 64.",
        ),
        captions=(
            ("A resident wades through floodwater on Main Street in Dunmore, Friday",),
            ("Rescue workers help an elderly woman into a boat (AP Photo/Carl Reyes)",),
        ),
        comments=(
            ("Prayers for everyone down there. Stay safe.",),
            ("Built houses on a flood plain, surprised when it floods. Every single time.",),
            ("The levees were rated for a 100 year flood. We get one every 10 years now. "
             "Do the math.",),
            ("And they will rebuild in exactly the same spot with federal money. Again.",),
            ("My sister lives two miles from the breach. She got out with the dogs and "
             "nothing else.", "Thank you to the volunteers with boats, you are heroes."),
            ("Climate change! Everything is climate change! It rained. That's it.",),
            ("funny how the money for levee maintenance always goes somewhere else",),
            ("Where is FEMA? Oh right, busy.",),
        ),
    ),
    Topic(
        titles=(
            "Chipmaker Shares Slide After New Export Curbs On Advanced Processors",
            "Washington Tightens Chip Export Rules, Industry Warns Of Lost Sales",
        ),
        updates=(
            "Update: The Commerce Department said the rules will take effect in 30 days and "
            "that companies may apply for licences on a case-by-case basis.",
        ),
        paragraphs=(
            "Shares of major semiconductor makers fell sharply on Tuesday after the Commerce "
            "Department unveiled new restrictions on the export of advanced processors and "
            "chipmaking equipment.",
            "The rules extend controls announced last year to a wider range of chips used to "
            "train artificial intelligence systems, and close what officials described as "
            "loopholes exploited by intermediaries in third countries.",
            "\"We are determined to keep the most advanced technology out of the hands of "
            "those who would use it against us,\" Commerce Secretary Helen Marsh said in a "
            "statement.",
            "Nvidia fell 4.2% and AMD lost 3.8%, while equipment makers Applied Materials and "
            "Lam Research each dropped more than 5%.",
            "The Semiconductor Industry Association said the measures could cost American "
            "companies billions of dollars in annual sales and push customers toward "
            "foreign competitors.",
            "Analysts said the impact on earnings would depend on how many licences are "
            "granted. \"The devil is in the licensing,\" said Raj Patel of Cobalt Research.",
            "Beijing's foreign ministry called the curbs \"economic bullying\" and said China "
            "would take \"necessary measures\" to protect the rights of its companies.",
        ),
        captions=(
            ("A technician inspects a silicon wafer at a fabrication plant",
             "in Hsinchu, Taiwan, in this file photo"),
        ),
        comments=(
            ("This will just speed up their domestic industry. We did the same to Japan in "
             "the 80s and look how that went.",),
            ("Sell the news. Buy the dip. Repeat.",),
            ("I work in semis. Nobody in the industry thinks this will work, but nobody is "
             "allowed to say it out loud.", "Half our customers in Asia already switched "
             "suppliers last year."),
            ("\"economic bullying\" says the country that steals every design it can get "
             "its hands on lol",),
            ("NVDA down 4% lmao. It was up 200% this year, relax.",),
            ("Who writes these rules? Lobbyists or engineers?",),
            ("Lobbyists. Next question.",),
        ),
    ),
    Topic(
        titles=(
            "Vaccine Trial Halted After Participants Report Neurological Symptoms",
            "Drugmaker Pauses Late-Stage Trial, Shares Tumble",
        ),
        updates=(
            "Update: The company said in a filing on Thursday that an independent safety "
            "board had reviewed the cases and that the pause was \"a standard precaution\".",
        ),
        paragraphs=(
            "A late-stage trial of an experimental vaccine against respiratory syncytial "
            "virus was paused on Wednesday after three participants reported neurological "
            "symptoms, the drugmaker said.",
            "The trial, which enrolled about 24,000 adults over the age of 60 in nine "
            "countries, was expected to report results early next year.",
            "In a statement, the company said it was \"committed to the highest standards of "
            "safety\" and would share further information with regulators.",
            "Shares of the company fell 9.6% in New York trading, their biggest one-day drop "
            "since 2020.",
            "Dr. Elena Vasquez, an infectious disease specialist at the University of "
            "Michigan who is not involved in the study, said pauses of this kind were not "
            "unusual and did not necessarily mean the vaccine caused the symptoms.",
            "\"In a trial this size you will see illness by chance alone,\" she said. \"The "
            "question is whether the rate is higher than in the placebo group.\"",
            "The Food and Drug Administration declined to comment on the pause.",
        ),
        captions=(
            ("A researcher works in a laboratory at the company's headquarters",),
        ),
        comments=(
            ("Standard precaution. Safe and effective. Trust the science.",),
            ("I was in a trial like this in 2019. They pay well but the paperwork is insane.",),
            ("Good. This is exactly how trials are supposed to work. The system caught "
             "something and stopped. That's a feature, not a bug.",),
            ("Three out of 24,000? The background rate for GBS in over-60s is higher than "
             "that.", "Not saying it's nothing, but people should look at the numbers before "
             "freaking out."),
            ("no thanks. I'll take my chances with the virus",),
            ("Buying the dip on this one, they have four other products in phase 3.",),
            ("Where are all the fact checkers now?",),
        ),
    ),
    Topic(
        titles=(
            "City Council Approves $2.4 Billion Budget With Police Cuts, Library Boost",
            "Council Passes Budget After Marathon Session",
        ),
        updates=(),
        paragraphs=(
            "The City Council voted 9-4 early Wednesday to approve a $2.4 billion budget for "
            "the coming fiscal year, ending a session that stretched past 2 a.m.",
            "The plan trims the police department's overtime allocation by $18 million and "
            "adds $6 million to extend library hours to seven days a week at 12 branches.",
            "Mayor Daniel Okafor, who had threatened a veto over the police cuts, said in a "
            "statement that he would sign the budget \"with reservations\".",
            "Council member Teresa Lin, who chairs the finance committee, said the compromise "
            "reflected \"what residents told us at every single hearing\".",
            "Opponents argued that response times had already risen. Police Chief Marcus "
            "Bell told the council last month that the average response to priority calls "
            "had grown to 11 minutes.",
            "The budget also includes a 3% raise for city employees, $40 million for road "
            "repairs and a new office to coordinate homelessness services.",
            "Property tax rates will remain unchanged.",
        ),
        captions=(
            ("Residents line up to speak during public comment at City Hall on Tuesday",),
        ),
        comments=(
            ("Libraries open on Sunday is genuinely great news. My kids will be thrilled.",),
            ("11 minute response times and they cut overtime. Brilliant.",),
            ("Nobody is cutting police. They are cutting OVERTIME, which has been abused for "
             "years. Read the audit from 2021.",),
            ("I went to the hearing. Maybe 40 people spoke and 35 were for the libraries.",
             "The other five were the same five guys who come to every meeting."),
            ("property taxes unchanged. sure. wait for the reassessment letters",),
            ("Can we fix the potholes on 5th before anything else please",),
            ("A new office to coordinate homelessness services. Another office. With "
             "another director. With another salary.",),
        ),
    ),
    Topic(
        titles=(
            "Rover Finds Organic Molecules In Ancient Lakebed Rocks",
            "Mars Rover Detects Complex Carbon Compounds, Scientists Urge Caution",
        ),
        updates=(),
        paragraphs=(
            "NASA's Perseverance rover has detected a variety of organic molecules in rocks "
            "drilled from an ancient lakebed in Jezero Crater, scientists reported on Monday.",
            "The findings, published in the journal Nature, describe compounds containing "
            "carbon, hydrogen and sulfur in samples collected from a formation known as "
            "Cheyava Falls.",
            "Organic molecules can be produced by living things but also by geological "
            "processes, and the team stressed that the discovery was not evidence of life.",
            "\"This is exactly the kind of sample we came to Mars to find,\" said Dr. Kenji "
            "Watanabe, a planetary geologist at the Jet Propulsion Laboratory and a co-author "
            "of the study.",
            "The samples have been sealed in tubes that NASA hopes to bring back to Earth, "
            "although the agency's Mars Sample Return program has been delayed by budget "
            "overruns and is now expected to cost about $11 billion.",
            "Independent researchers welcomed the results but said that only laboratory "
            "analysis on Earth could settle the question.",
        ),
        captions=(
            ("The rover's robotic arm drills into a rock at Cheyava Falls",
             "Image: NASA/JPL-Caltech"),
        ),
        comments=(
            ("This is so cool. Imagine if we actually find fossils up there in our lifetime.",),
            ("$11 billion to bring back rocks. Meanwhile my town can't afford a bus.",),
            ("Organics are everywhere in space, there are amino acids on meteorites. Not "
             "evidence of anything.", "Still a great mission though."),
            ("Send the rocks back on the next Starship and skip the bureaucracy.",),
            ("They found life 30 years ago and have been hiding it. Wake up.",),
            ("lol ok",),
        ),
    ),
    Topic(
        titles=(
            "OPEC+ Extends Output Cuts Into Next Year, Oil Jumps 3%",
            "Saudi Arabia And Russia Agree To Keep Supply Tight",
        ),
        updates=(
            "Update: Brent crude settled at $87.40 a barrel, its highest close in ten weeks.",
        ),
        paragraphs=(
            "The OPEC+ alliance agreed on Sunday to extend its voluntary production cuts of "
            "about 2.2 million barrels a day until the end of March, sending oil prices "
            "sharply higher when markets opened.",
            "The decision was announced after a virtual meeting that delegates described as "
            "tense, with several African members pushing for higher quotas.",
            "Saudi Energy Minister Prince Abdulaziz bin Salman told reporters that the group "
            "would \"remain proactive and pre-emptive\" and could adjust output at any time.",
            "Russia, which leads the non-OPEC members of the alliance, said it would maintain "
            "its own cut of 300,000 barrels a day in exports.",
            "Analysts at Citi said the extension would likely push the market into a deficit "
            "in the first quarter, although they noted that output from the United States, "
            "Brazil and Guyana continues to grow.",
            "Gasoline prices in the U.S. averaged $3.72 a gallon last week, according to the "
            "motoring group AAA.",
        ),
        captions=(),
        comments=(
            ("And just like that, gas goes back to $5 in California.",),
            ("Drill baby drill. We have more oil than the Saudis.",),
            ("We don't, actually. We have more production at the moment, which is a "
             "different thing. Reserves are a whole other story.",),
            ("OPEC is a cartel and everyone just accepts it. Imagine if any other industry "
             "did this.",),
            ("Long energy, short everything else. Been saying it since 2021.",),
            ("Guyana. Who had Guyana on their bingo card?",),
            ("Me. I did. Bought in 2019.",),
        ),
    ),
    Topic(
        titles=(
            "Star Striker Completes Record Transfer, Signs Five-Year Deal",
            "Club Confirms Signing Of Forward For Reported 120 Million Euros",
        ),
        updates=(),
        paragraphs=(
            "The forward Lucas Ferreira completed his move to the Premier League champions on "
            "Thursday for a fee reported to be 120 million euros, the highest ever paid by "
            "an English club.",
            "The 23-year-old Brazilian signed a five-year contract after passing a medical on "
            "Wednesday, the club said in a statement.",
            "Ferreira scored 31 goals in all competitions last season and was named the "
            "league's player of the year in Portugal.",
            "\"I have dreamed of playing here since I was a boy,\" Ferreira told the club's "
            "television channel. \"I want to win everything.\"",
            "The signing takes the club's summer spending past 300 million euros, raising "
            "questions about its compliance with the league's profit and sustainability rules.",
            "A league spokesperson said it did not comment on individual clubs.",
        ),
        captions=(
            ("Lucas Ferreira poses with the club shirt at the training ground (Photo by",
             "Mark Evans/Getty Images)"),
        ),
        comments=(
            ("120 million for a guy who scored against Portuguese mid-table teams. Good luck.",),
            ("He's class. Watched him every week last season, the hype is real.",),
            ("Financial fair play is a joke. Always has been.",),
            ("Sustainability rules lol. Only apply to clubs without oil money.",),
            ("Will he start over the captain though? That's the real question.",),
            ("what a time to be alive",),
        ),
    ),
    Topic(
        titles=(
            "Bitcoin Tops $70,000 As ETF Inflows Surge",
            "Crypto Rally Extends After Record Week For Spot Bitcoin Funds",
        ),
        updates=(
            "Update: Bitcoin briefly traded above $71,000 before paring gains, according to "
            "data from CoinDesk.",
        ),
        paragraphs=(
            "Bitcoin rose above $70,000 on Monday for the first time, extending a rally "
            "fuelled by heavy buying in exchange-traded funds that hold the cryptocurrency.",
            "Spot bitcoin ETFs took in a net $2.6 billion last week, according to data "
            "compiled by Bloomberg, the most since the products were approved in January.",
            "The rally has also lifted shares of crypto-linked companies. Coinbase rose 7% in "
            "premarket trading and MicroStrategy climbed 9%.",
            "Some analysts warned that leverage in the derivatives market had reached levels "
            "that preceded sharp reversals in the past.",
            "\"Funding rates are the highest we've seen since 2021,\" said Anna Kowalski, head "
            "of research at Meridian Digital. \"That tends to end with a flush.\"",
            "The Securities and Exchange Commission has said its approval of the funds did not "
            "amount to an endorsement of bitcoin.",
        ),
        captions=(),
        comments=(
            ("Told you all at 16k. Nobody listened.",),
            ("Tulips. In 5 years this will be a case study.",),
            ("People have been saying tulips since it was $100. At some point you have to "
             "admit you were wrong.",),
            ("HODL", "seriously though, take some profit, don't be a hero"),
            ("The ETF is just paper bitcoin. Not your keys, not your coins.",),
            ("Funding rates that high means a 20% flush is coming. Set your stops.",),
        ),
    ),
    Topic(
        titles=(
            "Coalition Collapses After Junior Partner Quits Over Pension Reform",
            "Government Falls As Greens Walk Out, Snap Election Likely",
        ),
        updates=(
            "Update: The president has invited party leaders to consultations on Monday, "
            "his office said.",
            "Update 2: Prime Minister Anna Lindqvist said she would remain in office in a "
            "caretaker capacity until a new government is formed.",
        ),
        paragraphs=(
            "The governing coalition collapsed on Friday after its junior partner withdrew "
            "over a dispute about raising the retirement age, leaving the prime minister "
            "without a majority in parliament.",
            "The Green Party's leader, Jonas Berg, said his party could not support a reform "
            "that \"asks nurses and builders to work until they are 69\".",
            "The government had argued that the change was needed to keep the pension system "
            "solvent as the population ages, pointing to a projected shortfall of 1.5% of "
            "GDP by 2035.",
            "Opinion polls suggest that an early election would be close. The main opposition "
            "party is polling at 27%, two points ahead of the prime minister's party.",
            "It is the third government to fall in five years.",
            "Bond markets reacted calmly, with the yield on the 10-year government bond "
            "rising by four basis points.",
        ),
        captions=(
            ("Prime Minister Anna Lindqvist leaves parliament after the vote on Friday",),
        ),
        comments=(
            ("Work until 69? They'll make it 75 by the time I get there.",),
            ("Good riddance. Third government in five years and they all do the same thing.",),
            ("The math doesn't care about your feelings. Fewer workers, more pensioners. "
             "Somebody has to pay.", "Either raise the age, raise taxes, or cut pensions. "
             "Pick one."),
            ("Or stop sending billions abroad and pay your own people first.",),
            ("Bond market yawned. That tells you everything.",),
        ),
    ),
)


# Comments that fit under any story: short reactions, rants, replies, lists,
# lowercase writers, "p.s." continuations, pasted quotes, links.
GENERIC_COMMENTS: tuple[tuple[str, ...], ...] = (
    ("First!",),
    ("LOL",),
    ("This.",),
    ("Who could have seen this coming?",),
    ("Nothing to see here, move along.",),
    ("You can't make this stuff up.",),
    ("Thank you for posting this, the mainstream outlets won't touch it.",),
    ("thanks for the laugh, needed it today",),
    ("^ this right here",),
    ("Exactly what I was going to say.",),
    ("Agreed, 100%.",),
    ("Wow. Just wow.",),
    ("Did anyone actually read the article? It says the opposite of the headline.",),
    ("I read it twice and I still don't understand what they want.",),
    ("Follow the money. Always follow the money.",),
    ("Sounds like a plan. What could possibly go wrong?",),
    ("they never learn. never.",),
    ("so much for that",),
    ("Can someone explain this like I'm five?",),
    ("Sure. They print money, you get poorer. Done.",),
    ("My grandfather used to say that the people in charge are never the people who "
     "pay for their mistakes. He was right about that and about most things.",),
    ("I've been reading this site for ten years and this is the first time I've seen "
     "the comments agree on anything.",),
    ("Same old story. Different decade.",),
    ("I'm not saying you're wrong, but you're not exactly right either.",),
    ("Where's the accountability? Who gets fired for this? Nobody, that's who.",),
    ("Stop. Just stop. You're embarrassing yourself.",),
    ("Hahaha you think voting changes anything? Cute.",),
    ("Been saying this for years and everybody called me crazy.",
     "Not so crazy now, am I?"),
    ("A few things people are missing here:",
     "1) nobody voted for this.",
     "2) nobody will be held responsible.",
     "3) we will pay for it either way."),
    ("Points worth making:", "- the timing is not an accident", "- the numbers are revised "
     "later and nobody notices", "- the press repeats the press release"),
    ("Long time reader, rare commenter.",
     "I worked in this field for twenty years before retiring. What the article leaves "
     "out is that the people who write these rules have never run anything in their "
     "lives. They have never had to make payroll. They have never had to fix a machine "
     "at three in the morning.",
     "That's all. Carry on."),
    ("honestly i don't know why anyone is surprised. this is what they do.",
     "and they will do it again next year.",
     "p.s. nice to see the usual suspects out in force today"),
    ("Good comment. I would add one thing: the second-order effects take years to show "
     "up, and by then everyone has forgotten who made the decision.",),
    ("Reuters had this yesterday: \"Officials said the measures were temporary and would "
     "be reviewed in six months, according to people familiar with the matter.\"",
     "Temporary. Sure."),
    ("Quoting the article: \"there was no immediate comment.\" There never is.",),
    ("Interesting how this story dropped on a Friday afternoon.",),
    ("Anyone else notice the comments are slower to load today?",),
    ("Do your own research.",),
    ("I did. That's why I'm angry.",),
    ("You people are hilarious. Every single article is a conspiracy.",),
    ("If you don't like it here, nobody is forcing you to read it.",),
    ("Excellent analysis. Bookmarked.",),
    ("Nope.",),
    ("Yeah, no.",),
    ("Meh. Wake me up when something actually happens.",),
    ("What a time to be alive.",),
    ("The same experts who were wrong last time are on TV explaining this time. Let that "
     "sink in.",),
    ("Imagine being paid six figures to write press releases like that.",),
    ("i remember when this was a conspiracy theory",
     "now it's the news"),
    ("Edit: I was wrong about the date, it was March not April. Point stands.",),
    ("For those asking, the original report is linked at the bottom of the page.",),
    ("Thanks, found it.",),
    ("Keep stacking, folks.",),
    ("The comments here are better than the article, as usual.",),
    ("Cui bono?",),
    ("Ask yourself who benefits and the answer is usually obvious.",),
    ("Not much of a mystery really. Cheap money went somewhere and it wasn't to you or me.",
     "It went to the people closest to the printer. It always does."),
    ("They said it was transitory. They said it was contained. They said it was "
     "temporary. At some point you stop listening.",),
    ("Well said!",),
    ("Lmao",),
    ("Hmm. Not sure about that.",),
    ("What a joke",),
    ("Spot on",),
    ("I disagree with almost everything in this article but I'll defend the author's "
     "right to write it.",),
    ("Whoever wrote this headline deserves a raise, the article not so much.",),
    ("Popcorn time.",),
)
