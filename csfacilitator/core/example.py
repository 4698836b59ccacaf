"""A complete, fictional example conference: what a new user opens first.

Every place, organisation and person here is invented for this project. The example follows the
practice: it describes places, groups, times and patterns, never an individual young person or
family. Dates hang off a fixed BASE_DATE (the conference day), not today, so the example and its
tests never drift.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from csfacilitator.core import vocab
from csfacilitator.core.meetings import add_meeting_rows
from csfacilitator.core.model import (
    ActionUpdate,
    AssessmentSection,
    Attendance,
    BoardPoint,
    Conference,
    ContextWeighting,
    Intervention,
    Invitee,
    Need,
    Priority,
    Referral,
)
from csfacilitator.core.textclean import clean_text
from csfacilitator.core.weighting import Context, Weighting, to_json
from csfacilitator.storage.database import Database

EXAMPLE_TITLE = "Example: Wrenmoor Park and Kestrel Parade"
BASE_DATE = dt.date(2026, 11, 5)  # the conference


def _day(offset: int) -> dt.date:
    """A date counted in days from the conference."""
    return BASE_DATE + dt.timedelta(days=offset)


REVIEW_DATE = _day(91)
NEXT_REVIEW_DATE = _day(182)
VENUE = "Kestrel Community Hall, Mill Lane, Dunhaven"

CONFERENCE = {
    "status": "under_review",
    "context_type": "neighbourhood",
    "context_name": "Wrenmoor Park, the Mill Road underpass and Kestrel Parade",
    "area": "Saltmarsh ward, Dunhaven",
    "referral_source": "Dunhaven District Contextual Safeguarding Group",
    "referral_date": _day(-83),
    "threshold": "universal_plus",
    "threshold_rationale": (
        "The concerns are about a pattern in a public space in the evenings, not about harm "
        "known to be happening to particular young people. Many partners already work in and "
        "around the park, but nobody joins their work up and there is almost no adult presence "
        "after dark. A Universal Plus response with a shared plan is proportionate; the chair "
        "will revisit the threshold at review if signs of exploitation grow."
    ),
    "chair": "Marguerite Oyelaran",
    "lead_practitioner": "Tomasz Wiśniewski",
    "coordinator_1": "Priya Raman",
    "coordinator_2": "Declan Foley",
    "coordinator_contact": "01632 960 418 · conferences@dunhaven.example (fictional)",
    "place_manager": "Siân Pritchard, Parks and Open Spaces Manager, Dunhaven Council",
    "assessment_period": "1 September – 20 October 2026",
    "report_structure": "thematic",
    # Invented names a coordinator might fear slipping into the record: the guard looks for them.
    "names_to_keep_out": "Tyler Brennan\nKaylee-Ann Brooks",
}

# Section key -> body, one entry for every key of vocab.REPORT_SECTIONS["thematic"].
ASSESSMENT = {
    "summary": (
        "Since the spring, partners have raised a growing number of concerns about Wrenmoor Park "
        "in the evenings, and about the Mill Road underpass that links the park to Kestrel "
        "Parade. Groups of young people, mostly aged 12 to 16, gather at the skate area and the "
        "old pavilion from about 6pm until late. Older young adults have been seen arriving by "
        "car at the park car park after dark.\n\n"
        "Shop staff and residents report young people being asked to carry bags between the "
        "parade and the estate, and intimidation at shop closing times. Police calls about "
        "anti-social behaviour in the park doubled between April and July compared with the "
        "same months last year."
    ),
    "community": (
        "Wrenmoor Park lies between the Saltmarsh estate (three low-rise blocks and a terrace of "
        "maisonettes, mostly social housing) and Kestrel Parade, a row of eleven shops with a "
        "convenience store, two takeaways, a launderette, a pharmacy and a betting shop. Many "
        "families have lived on the estate for a long time; others have arrived recently, and "
        "Polish, Somali, Romanian and Bengali are all spoken.\n\n"
        "Pupils from two secondary schools and one primary school cross the park on their way "
        "home. The youth club on Mill Lane closed in 2024, and there has been no evening "
        "provision in the ward since."
    ),
    "young_people_views": (
        "Thirty-one young people gave their views: in two detached youth work sessions in the "
        "park and in a discussion at the Saltmarsh Academy school council. They like the park "
        "and want to keep using it. They said there is nowhere else to go in the evening and "
        "that they are 'moved on' by adults far more often than they are welcomed.\n\n"
        "Girls said the car park and the path behind the pavilion feel unsafe after dark because "
        "of older men in cars. Most groups avoid the underpass at night even though it is the "
        "quickest way home. They asked for better lighting, a shelter, something to do on "
        "Friday evenings, and to be asked before anything in the park is changed."
    ),
    "thematic_issues": (
        "a) Lighting and sightlines: half the park path lights and most of the underpass lights "
        "do not work, and the hedges by the pavilion block the view from the road.\n"
        "b) No evening provision: since the youth club closed there is nothing for young people "
        "on weekday evenings and no trusted adult in the park after 5pm.\n"
        "c) The car park after dark: older young adults in cars meet younger groups there; "
        "partners see signs of possible exploitation.\n"
        "d) The parade at closing time: shop staff feel intimidated and do not know how to "
        "respond to, or report, what they see.\n"
        "e) Routes home: the underpass is the shortest way between the park, the parade and the "
        "estate, and it is where thefts of phones were reported in September."
    ),
    "resources": (
        "The safer neighbourhoods team patrols the park twice a week, and Saltmarsh Academy has "
        "a safer schools officer. A park warden is on site 9am to 5pm on weekdays. Wrenmoor "
        "Rovers use the pitches on Saturdays and Tuesday evenings, and St Aidan's Church runs a "
        "Thursday drop-in for adults. The residents' association meets monthly in Kestrel "
        "Community Hall.\n\n"
        "Guardianship is strong in the daytime and almost absent between 6pm and 10pm, when the "
        "concerns peak. Several adults on the parade, especially the convenience store owner, "
        "already look out for young people and want to do more."
    ),
    "conclusion": (
        "Context weighting, largest first: the park in the evening; the car park after dark; the "
        "parade at closing time; the underpass; the route to and from school.\n\n"
        "Priorities for the conference: (1) make the park, car park and underpass safer after "
        "dark, through lighting, sightlines and a regular adult presence; (2) give young people "
        "somewhere to be, and trusted adults to be with, on weekday evenings."
    ),
    "plan": (
        "A joint lighting survey by parks and highways, with the hedges by the pavilion cut "
        "back. Detached youth work in the park two evenings a week and a Friday drop-in nearby. "
        "Patrols that include the car park late in the evening, with patterns (not names) shared "
        "with the community safety partnership.\n\n"
        "A safe place scheme on the parade with short training for shop staff, and notices in "
        "the languages spoken on the estate explaining how to report concerns anonymously."
    ),
    "community_views": (
        "Forty-six residents answered a short survey handed out by the residents' association. "
        "Most said they used to walk through the park in the evening and no longer do. Many "
        "were worried for young people rather than about them, and several offered to help with "
        "a Friday activity.\n\n"
        "Shopkeepers on the parade said they want young people to keep coming into their shops "
        "and would welcome advice on what to do when something feels wrong."
    ),
}


def _asks(*questions: str) -> dict[str, bool]:
    """The q_* flags of an invitee from the invite-question keys that apply to them."""
    return {f"q_{key}": key in questions for key in vocab.INVITE_QUESTIONS}


# Each invitee: Invitee columns, plus how they attended the conference and the review.
INVITEES = (
    {
        "name": "Sgt Daniel Mensah",
        "organisation": "Dunhaven Police – Saltmarsh Safer Neighbourhoods Team",
        "category": "Police",
        "role": "Safer neighbourhoods sergeant",
        "email": "daniel.mensah@police.example.org",
        "phone": "01632 960114",
        **_asks("engaged", "works_in_context", "can_change"),
        "status": "confirmed",
        "invited_on": _day(-35),
        "prepared_on": _day(-21),
        "notes": "Will bring anonymised call figures for the park and the parade.",
        "attended": ("present", "apologies"),
    },
    {
        "name": "Siân Pritchard",
        "organisation": "Dunhaven Council – Parks and Open Spaces",
        "category": "Local council",
        "role": "Parks and Open Spaces Manager (place manager)",
        "email": "sian.pritchard@dunhaven.example.org",
        "phone": "01632 960201",
        **_asks("engaged", "works_in_context", "can_change"),
        "status": "confirmed",
        "invited_on": _day(-35),
        "prepared_on": _day(-20),
        "notes": "Place manager. Can decide on lighting, hedges and the car park barrier.",
        "attended": ("present", "present"),
    },
    {
        "name": "Farida Haque",
        "organisation": "Dunhaven Community Safety Partnership",
        "category": "Community safety",
        "role": "Community safety officer",
        "email": "farida.haque@dunhaven.example.org",
        **_asks("engaged", "can_change"),
        "status": "confirmed",
        "invited_on": _day(-35),
        "prepared_on": _day(-18),
        "notes": "Runs the safe place scheme in the town centre.",
        "attended": ("present", "present"),
    },
    {
        "name": "Gareth Lloyd",
        "organisation": "Saltmarsh Academy",
        "category": "Education / school",
        "role": "Deputy head teacher (pastoral)",
        "email": "g.lloyd@saltmarsh-academy.example.org",
        **_asks("engaged", "works_in_context", "can_change"),
        "status": "confirmed",
        "invited_on": _day(-35),
        "prepared_on": _day(-16),
        "notes": "Hosted the school council discussion. Prefers meetings after 3.30pm.",
        "attended": ("present", "apologies"),
    },
    {
        "name": "Zoë Achterberg",
        "organisation": "Dunhaven Youth Service",
        "category": "Youth provision",
        "role": "Detached youth work lead",
        "email": "zoe.achterberg@dunhaven.example.org",
        "phone": "01632 960347",
        **_asks("engaged", "works_in_context", "can_change", "youth_voice"),
        "status": "confirmed",
        "invited_on": _day(-35),
        "prepared_on": _day(-21),
        "notes": "Ran the two park sessions during the assessment.",
        "attended": ("present", "present"),
    },
    {
        "name": "Jordan Kelleher",
        "organisation": "Dunhaven Youth Forum",
        "category": "Young people / school council",
        "role": "Participation officer",
        "email": "jordan.kelleher@youthforum.example.org",
        **_asks("youth_voice"),
        "status": "confirmed",
        "invited_on": _day(-30),
        "prepared_on": _day(-12),
        "notes": "Bringing two forum members; prepared them separately with the coordinators.",
        "attended": ("present", "present"),
    },
    {
        "name": "Kwame Asante",
        "organisation": "Saltmarsh Homes",
        "category": "Housing",
        "role": "Neighbourhood housing officer",
        "email": "kwame.asante@saltmarshhomes.example.com",
        **_asks("works_in_context", "can_change"),
        "status": "confirmed",
        "invited_on": _day(-33),
        "prepared_on": _day(-15),
        "notes": "Manages the blocks that overlook the park.",
        "attended": ("present", "present"),
    },
    {
        "name": "Harjit Sandhu",
        "organisation": "Kestrel Convenience Store",
        "category": "Local business",
        "role": "Owner",
        "email": "harjit@kestrelstore.example.com",
        **_asks("engaged", "works_in_context", "can_change"),
        "status": "confirmed",
        "invited_on": _day(-30),
        "prepared_on": _day(-10),
        "isa_signed": True,
        "notes": "Information-sharing agreement signed at the preparation visit.",
        "attended": ("present", "present"),
    },
    {
        "name": "Maureen Doyle",
        "organisation": "Saltmarsh Residents' Association",
        "category": "Residents' group",
        "role": "Chair",
        "email": "chair@saltmarshresidents.example.net",
        **_asks("engaged", "works_in_context"),
        "status": "confirmed",
        "invited_on": _day(-30),
        "prepared_on": _day(-11),
        "isa_signed": True,
        "notes": "Ran the residents' survey. Asked for the plan in plain English.",
        "attended": ("present", "present"),
    },
    {
        "name": "Rhys Whitfield",
        "organisation": "Wrenmoor Rovers FC",
        "category": "Sports club",
        "role": "Youth football coordinator",
        "email": "youth@wrenmoorrovers.example.org",
        **_asks("works_in_context", "can_change", "youth_voice"),
        "status": "confirmed",
        "invited_on": _day(-28),
        "prepared_on": _day(-9),
        "isa_signed": False,
        "notes": "Information-sharing agreement sent, not yet returned.",
        "attended": ("absent", "present"),
    },
    {
        "name": "Pastor Grace Okafor",
        "organisation": "St Aidan's Church",
        "category": "Faith group",
        "role": "Minister",
        "email": "grace.okafor@staidans.example.org",
        **_asks("works_in_context", "can_change"),
        "status": "confirmed",
        "invited_on": _day(-28),
        "prepared_on": _day(-8),
        "isa_signed": True,
        "notes": "Church hall is free on Friday evenings.",
        "attended": ("apologies", "present"),
    },
    {
        "name": "Dr Léa Moreau",
        "organisation": "Dunhaven CAMHS",
        "category": "CAMHS",
        "role": "Clinical psychologist",
        "email": "lea.moreau@nhs.example.org",
        **_asks("can_change"),
        "status": "declined",
        "invited_on": _day(-33),
        "notes": "Cannot attend; sent a note on the emotional health offer for the chair to read.",
        "attended": ("apologies", ""),
    },
    {
        "name": "Bronwen Ellis",
        "organisation": "Dunhaven Community Health – School Nursing",
        "category": "School nurse",
        "role": "School nurse team leader",
        "email": "bronwen.ellis@nhs.example.org",
        **_asks("works_in_context"),
        "status": "to_invite",
        "notes": "Suggested at the conference; invite to the next review.",
    },
)

# Points the plan links to, named once so the board and the plan cannot drift apart.
LIGHTING_POINT = "Joint lighting survey of the park paths, pavilion and underpass"
DETACHED_POINT = "Detached youth work in the park on Tuesday and Friday evenings, 6–9pm"

# A point is its text, or (text, sub-points). Keys are vocab.BOARD_COLUMNS.
CONFERENCE_BOARD = {
    "concerns": (
        (
            "Groups of 10–20 young people at the skate area and pavilion from about 6pm to 10pm",
            (
                "Largest on Fridays and in the school holidays",
                "Year 7 and 8 pupils mixing with much older young adults",
            ),
        ),
        (
            "Cars with older males in the park car park after dark",
            (
                (
                    "Girls told youth workers this area feels unsafe",
                    ("They avoid the path behind the pavilion after dark",),
                ),
                "Young people seen getting in and out of cars",
            ),
        ),
        "Young people asked to carry bags between the parade and the estate",
        "Underpass unlit for half its length; phone thefts reported there in September",
        "Shop staff intimidated at closing time; one shop now closes early",
        "Anti-social behaviour calls about the park up from 14 to 29 (April–July, year on year)",
        "Nitrous oxide canisters left around the skate area",
    ),
    "complicating": (
        "No evening youth provision since the Mill Lane youth club closed in 2024",
        "Park warden on site only 9am–5pm on weekdays",
        (
            "Park lighting belongs to parks, the underpass to highways: two budgets, two decisions",
            ("Highways repair queue is about 12 weeks",),
        ),
        (
            "Young people feel moved on rather than welcomed",
            (
                (
                    "Dispersal risks pushing groups somewhere less visible",
                    ("The lane behind the allotments has no lighting and no overlooking",),
                ),
            ),
        ),
        "Some residents fear being identified if they report",
        "Notices on the estate are only in English so far",
        "CAMHS waiting times: the emotional health offer is mainly through school",
    ),
    "strengths": (
        (
            "Young people value the park and want to keep it",
            ("The skate area was designed with young people in 2019",),
        ),
        "Active residents' association meeting monthly in Kestrel Community Hall",
        (
            "Convenience store owner knows many families and offers to be a safe place",
            ("Will display notices in several languages",),
        ),
        "Wrenmoor Rovers have spare pitch time on Thursday evenings",
        (
            "Detached youth workers already trusted by some of the groups",
            (
                (
                    "Young people asked them to come back",
                    ("A group of girls asked for a female worker",),
                ),
            ),
        ),
        "St Aidan's Church hall is free on Friday evenings",
        "Strong pastoral team and a safer schools officer at Saltmarsh Academy",
    ),
    "safety_plan": (
        (
            LIGHTING_POINT,
            (
                "Parks to cut back the hedges along the pavilion path",
                "Highways to prioritise the underpass repair",
            ),
        ),
        (DETACHED_POINT, ("Include a female worker",)),
        "Friday evening drop-in at St Aidan's Church hall",
        (
            "Patrols to include the car park between 8pm and 10pm",
            ("Share patterns, not names, with the community safety partnership monthly",),
        ),
        (
            "Safe place scheme and short training for parade shop staff",
            ("Notices in English, Polish, Somali, Romanian and Bengali",),
        ),
        "Close the car park barrier at dusk",
        "Youth forum to check the plan with young people before the review",
    ),
}

REVIEW_BOARD = {
    "concerns": (
        "Groups still gather in the evening, but smaller (6–10) and leaving earlier",
        "Cars in the car park much less often since the barrier closes at dusk",
        "Underpass lighting still not repaired",
    ),
    "complicating": (
        "Highways repair delayed by a contractor change",
        "Friday drop-in relies on volunteers; two have left",
    ),
    "strengths": (
        "Anti-social behaviour calls about the park down to 11 for November–January (19 last year)",
        (
            "Friday drop-in draws 15–25 young people each week",
            ("Young people choose the activities",),
        ),
        "Five parade shops have joined the safe place scheme",
    ),
    "safety_plan": (
        "Chair to write to the head of highways about the underpass",
        "Youth service to recruit and train two more drop-in volunteers",
        "Keep patrols and detached work going; review again in three months",
    ),
}

# The context weighting: as agreed at the conference (the order of the report's conclusion,
# largest first), and as it stood at the first review: the car park barrier and the safe place
# scheme made those contexts safer, while the underpass lighting is still not repaired.
WEIGHTING_AT_CONFERENCE = Weighting(
    (
        Context("Wrenmoor Park in the evening", 0.32),
        Context("The car park after dark", 0.24),
        Context("Kestrel Parade at closing time", 0.18),
        Context("Mill Road underpass", 0.15),
        Context("Route to and from school", 0.11),
    ),
    links=((0, 1), (2, 3)),
)
WEIGHTING_AT_REVIEW = Weighting(
    (
        Context("Wrenmoor Park in the evening", 0.30),
        Context("The car park after dark", 0.16),
        Context("Kestrel Parade at closing time", 0.16),
        Context("Mill Road underpass", 0.22),
        Context("Route to and from school", 0.16),
    ),
    links=((0, 1), (2, 3)),
)

# (issue, focus of the conference, positions in PLAN of the needs it covers)
PRIORITIES = (
    (
        "Make the park, the car park and the underpass safer after dark: lighting, sightlines "
        "and a regular adult presence",
        True,
        (0,),
    ),
    (
        "Give young people somewhere to be, and trusted adults to be with, on weekday evenings",
        True,
        (1,),
    ),
    (
        "Help shop staff and residents act on and report what they see, in the languages spoken "
        "on the estate",
        False,
        (2,),
    ),
    (
        "Understand the pattern of older males in cars meeting younger groups in the car park",
        False,
        (3,),
    ),
)

# (need, interventions). The review note becomes an ActionUpdate at the review meeting.
PLAN = (
    (
        "The park paths, car park and underpass are dark and not overlooked after dusk",
        (
            {
                "text": LIGHTING_POINT + ", and repair of the park path lights",
                "agency": "Dunhaven Council – Parks and Open Spaces",
                "owner": "Siân Pritchard",
                "timescale": "By February half term",
                "due_date": dt.date(2027, 2, 12),
                "status": "in_progress",
                "progress": "Survey done in November. Hedges cut back; eight of twelve path lights repaired.",
                "board_point": LIGHTING_POINT,
                "review_note": "Survey done, most path lights fixed; last four need new cabling.",
            },
            {
                "text": "Repair the lighting in the Mill Road underpass",
                "agency": "Dunhaven Council – Highways",
                "timescale": "Within 12 weeks",
                "due_date": dt.date(2027, 1, 29),
                "status": "not_started",
                "progress": "On the repair list; delayed by a change of contractor.",
                "review_note": "Not started. Chair to escalate to the head of highways.",
            },
            {
                "text": "Close the car park barrier at dusk every day",
                "agency": "Dunhaven Council – Parks and Open Spaces",
                "owner": "Park warden team",
                "timescale": "From 1 December",
                "due_date": dt.date(2026, 12, 1),
                "status": "done",
                "progress": "Barrier closed at dusk since 1 December; keyholder rota agreed.",
                "review_note": "Done. Fewer cars reported after dark.",
            },
        ),
    ),
    (
        "Young people have nowhere to go and no trusted adults nearby on weekday evenings",
        (
            {
                "text": DETACHED_POINT + ", including a female worker",
                "agency": "Dunhaven Youth Service",
                "owner": "Zoë Achterberg",
                "timescale": "Weekly, from November",
                "status": "in_progress",
                "progress": "Running every Tuesday and Friday since mid-November.",
                "board_point": DETACHED_POINT,
                "review_note": "Going well; young people now seek the workers out.",
            },
            {
                "text": "Friday evening drop-in at St Aidan's Church hall",
                "agency": "Dunhaven Youth Service with St Aidan's Church",
                "owner": "Pastor Grace Okafor",
                "timescale": "From January",
                "due_date": dt.date(2027, 1, 8),
                "status": "done",
                "progress": "Opened on 8 January; 15–25 young people each week.",
                "review_note": "Open and busy. Needs two more volunteers to stay open.",
            },
            {
                "text": "Open football sessions on Thursday evenings",
                "agency": "Wrenmoor Rovers FC",
                "owner": "Rhys Whitfield",
                "timescale": "Termly",
                "status": "in_progress",
                "progress": "Two taster sessions held; floodlight hire agreed with parks.",
                "review_note": "Weekly sessions start after February half term.",
            },
        ),
    ),
    (
        "Shop staff and residents do not feel able to act on or report what they see",
        (
            {
                "text": "Safe place scheme and exploitation awareness training for parade staff",
                "agency": "Dunhaven Community Safety Partnership",
                "owner": "Farida Haque",
                "timescale": "By 31 January",
                "due_date": dt.date(2027, 1, 31),
                "status": "done",
                "progress": "Training given in December; five shops signed up.",
                "review_note": "Done. Offer repeated for new staff every six months.",
            },
            {
                "text": "Notices in five languages on how to report concerns anonymously",
                "agency": "Saltmarsh Homes with Saltmarsh Residents' Association",
                "owner": "Kwame Asante",
                "timescale": "By Christmas",
                "status": "in_progress",
                "progress": "English, Polish and Bengali versions up; Somali and Romanian being checked.",
                "review_note": "Three of five languages done.",
            },
        ),
    ),
    (
        "The pattern of older males in cars meeting younger groups is not yet understood",
        (
            {
                "text": "Vary patrols to include the car park from 8pm to 10pm and share patterns monthly",
                "agency": "Dunhaven Police – Saltmarsh Safer Neighbourhoods Team",
                "owner": "Sgt Daniel Mensah",
                "timescale": "Monthly",
                "status": "in_progress",
                "progress": "Late patrols twice a week; monthly summaries sent to the partnership.",
                "review_note": "Continuing. Pattern summary shared in December and January.",
            },
        ),
    ),
)

REFERRAL = {
    "made_on": BASE_DATE,
    "team": "Children's social care – MASH",
    "reference": "REF-EX-0001",
}


def _cleaned(data: dict, multiline: frozenset[str] = frozenset()) -> dict:
    """The same values with every text cleaned (single-line unless its key is in multiline)."""
    return {
        key: clean_text(value, multiline=key in multiline) if isinstance(value, str) else value
        for key, value in data.items()
    }


def _free_title(s: Session) -> str:
    """EXAMPLE_TITLE, or with ' (2)', ' (3)'… so every copy keeps a unique title."""
    taken = set(s.scalars(select(Conference.title)))
    title, copy = EXAMPLE_TITLE, 1
    while title in taken:
        copy += 1
        title = f"{EXAMPLE_TITLE} ({copy})"
    return title


Points = tuple  # of str | (str, Points)


def _add_points(
    s: Session, meeting_id: int, column: str, points: Points, parent_id: int | None = None
) -> dict[str, int]:
    """Add points (and their sub-points) in order; returns text -> id for every point added."""
    ids = {}
    for position, point in enumerate(points):
        text, children = (point, ()) if isinstance(point, str) else point
        row = BoardPoint(
            meeting_id=meeting_id,
            column=column,
            parent_id=parent_id,
            position=position,
            text=clean_text(text, multiline=False),
        )
        s.add(row)
        s.flush()
        ids[row.text] = row.id
        ids.update(_add_points(s, meeting_id, column, children, row.id))
    return ids


def _add_board(s: Session, meeting_id: int, board: dict[str, Points]) -> dict[str, int]:
    ids = {}
    for column, points in board.items():
        ids.update(_add_points(s, meeting_id, column, points))
    return ids


def add_example(db: Database) -> int:
    """Add the example conference with every tab filled in; returns its id."""
    with db.session() as s:
        details = _cleaned(CONFERENCE, frozenset({"threshold_rationale", "names_to_keep_out"}))
        conference = Conference(title=_free_title(s), **details)
        s.add(conference)
        s.flush()
        cid = conference.id
        for key, _heading in vocab.REPORT_SECTIONS["thematic"]:
            s.add(AssessmentSection(conference_id=cid, key=key, body=clean_text(ASSESSMENT[key])))

        venue = clean_text(VENUE, multiline=False)
        at_half_three = dt.time(15, 30)
        add_meeting_rows(s, cid, "pre_meeting", date=_day(-14), time=dt.time(10), venue=venue)
        meeting = add_meeting_rows(
            s, cid, "conference", date=BASE_DATE, time=at_half_three, venue=venue
        )
        review = add_meeting_rows(
            s, cid, "review", date=REVIEW_DATE, time=at_half_three, venue=venue
        )
        # The first review (REVIEW_DATE) has been held; this is the one after it.
        add_meeting_rows(s, cid, "review", date=NEXT_REVIEW_DATE, time=at_half_three, venue=venue)

        for position, data in enumerate(INVITEES):
            values = _cleaned(data, frozenset({"notes"}))
            attended = values.pop("attended", ("", ""))
            invitee = Invitee(conference_id=cid, position=position, **values)
            s.add(invitee)
            s.flush()
            for meeting_id, state in zip((meeting.id, review.id), attended, strict=True):
                if state:
                    s.add(Attendance(invitee_id=invitee.id, meeting_id=meeting_id, state=state))

        points = _add_board(s, meeting.id, CONFERENCE_BOARD)
        _add_board(s, review.id, REVIEW_BOARD)
        s.add(Referral(meeting_id=meeting.id, **_cleaned(REFERRAL)))

        for picture, meeting_id in (
            (WEIGHTING_AT_CONFERENCE, meeting.id),
            (WEIGHTING_AT_REVIEW, review.id),
            (WEIGHTING_AT_REVIEW, None),  # the working copy
        ):
            s.add(ContextWeighting(conference_id=cid, meeting_id=meeting_id, data=to_json(picture)))
        priority_of_need: dict[int, int] = {}
        for position, (text, focus, need_positions) in enumerate(PRIORITIES):
            priority = Priority(
                conference_id=cid,
                position=position,
                text=clean_text(text, multiline=False),
                focus=focus,
            )
            s.add(priority)
            s.flush()
            priority_of_need.update(dict.fromkeys(need_positions, priority.id))

        for need_position, (need_text, interventions) in enumerate(PLAN):
            need = Need(
                conference_id=cid,
                position=need_position,
                text=clean_text(need_text),
                priority_id=priority_of_need.get(need_position),
            )
            s.add(need)
            s.flush()
            for position, data in enumerate(interventions):
                values = _cleaned(data, frozenset({"progress", "review_note"}))
                note = values.pop("review_note")
                point_id = points.get(values.pop("board_point", None))
                action = Intervention(
                    need_id=need.id, position=position, board_point_id=point_id, **values
                )
                s.add(action)
                s.flush()
                s.add(
                    ActionUpdate(
                        intervention_id=action.id,
                        meeting_id=review.id,
                        status=action.status,
                        note=note,
                    )
                )
        return cid
