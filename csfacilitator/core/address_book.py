"""The address book: partners invited to earlier conferences, offered again for a new one.

Nothing is stored for it. It is read from the invite lists of the other conferences, so a
coordinator's network grows as they work, and deleting a conference (retention) also removes
its people from the address book.

One person at one organisation is one partner, however often they were invited: names and
organisations are compared ignoring case, accents' composition and runs of spaces. Where the
lists disagree, the newest conference's details win; a detail the newest list left empty is
taken from the latest list that has it.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from csfacilitator.core import invitees
from csfacilitator.core.invitees import ContactDetails, InviteeRecord
from csfacilitator.core.key_meetings import KeyDates, key_dates_for
from csfacilitator.core.model import Conference, Invitee
from csfacilitator.core.textclean import clean_text
from csfacilitator.errors import NotFound
from csfacilitator.storage.database import Database

#: The details an address-book entry carries to a new invite list. Status, dates, attendance
#: and notes belong to one conference and are never copied.
COPIED_FIELDS: tuple[str, ...] = invitees.TEXT_FIELDS  # the ContactDetails fields


@dataclass(frozen=True, kw_only=True)
class Partner(ContactDetails):
    """One person (at one organisation) from earlier invite lists."""

    key: str
    #: How many other conferences invited them, and the title of the latest.
    conference_count: int = 1
    last_conference: str = ""

    @property
    def label(self) -> str:
        """'name · organisation · category', leaving out what is empty."""
        return " · ".join(p for p in (self.name, self.organisation, self.category) if p)

    def fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in COPIED_FIELDS}


def _folded(text: str) -> str:
    """Text for comparing: cleaned, case-folded, spaces collapsed, composed (NFC)."""
    return clean_text(text, multiline=False).casefold()


def _searchable(text: str) -> str:
    """Folded and with accents removed, so 'siobhan' finds 'Siobhán'."""
    decomposed = unicodedata.normalize("NFKD", _folded(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def partner_key(name: str, organisation: str = "") -> str:
    """The identity of a partner: the same name at the same organisation."""
    return f"{_folded(name)}\x1f{_folded(organisation)}"


def _when(conference: Conference, dates: KeyDates) -> dt.date:
    """How recent a conference's list is: its date, else its pre-meeting or referral date,
    else the day it was created (a list still being built is recent)."""
    return (
        dates.conference_date
        or dates.pre_meeting_date
        or conference.referral_date
        or conference.created_at.date()
    )


def list_partners(db: Database, exclude_conference_id: int | None = None) -> list[Partner]:
    """Every partner from the invite lists of the other conferences, sorted by name.

    Partners already on the list of `exclude_conference_id` are left out too: they need no
    adding."""
    with db.read_session() as s:
        rows = s.execute(select(Invitee, Conference).join(Conference)).all()
        dates = key_dates_for(s, {conference.id for _i, conference in rows})
        seen = [
            (
                _when(conference, dates[conference.id]),
                invitee.id,
                conference.id,
                conference.title,
                _copy(invitee),
            )
            for invitee, conference in rows
            if conference.id != exclude_conference_id
        ]
        on_list = {
            partner_key(invitee.name, invitee.organisation)
            for invitee, conference in rows
            if conference.id == exclude_conference_id
        }
    merged: dict[str, dict[str, object]] = {}
    conference_ids: dict[str, set[int]] = {}
    for *_order, conference_id, title, details in sorted(seen, key=lambda i: (i[0], i[1])):
        key = partner_key(details["name"], details["organisation"])
        if not details["name"] or key in on_list:
            continue
        entry = merged.setdefault(key, {"conference_count": 0})
        for name, value in details.items():
            if value:  # newer wins; an empty newer detail keeps the older one
                entry[name] = value
        ids = conference_ids.setdefault(key, set())
        ids.add(conference_id)
        entry["conference_count"] = len(ids)
        entry["last_conference"] = title
    partners = []
    for key, entry in merged.items():
        partners.append(Partner(key=key, **entry))  # type: ignore[arg-type]
    partners.sort(key=lambda p: (_searchable(p.name), _searchable(p.organisation)))
    return partners


def _copy(invitee: Invitee) -> dict[str, str]:
    return {
        name: clean_text(getattr(invitee, name) or "", multiline=False) for name in COPIED_FIELDS
    }


def filter_partners(partners: Iterable[Partner], text: str) -> list[Partner]:
    """The partners matching every word of `text` in their name, organisation, category, role,
    e-mail or phone (ignoring case and accents); all of them for empty text."""
    words = _searchable(text).split()
    if not words:
        return list(partners)
    result = []
    for partner in partners:
        haystack = _searchable(" ".join(partner.fields().values()))
        if all(word in haystack for word in words):
            result.append(partner)
    return result


def search_partners(
    db: Database, text: str, exclude_conference_id: int | None = None
) -> list[Partner]:
    """Partners of the other conferences matching `text` (see filter_partners)."""
    return filter_partners(list_partners(db, exclude_conference_id), text)


def add_from_address_book(
    db: Database, conference_id: int, partner_keys: Sequence[str]
) -> list[InviteeRecord]:
    """Add the chosen partners to a conference's invite list, in the order given, in one
    transaction. Only name, organisation, category, role, e-mail and phone are copied; each
    starts as "to invite". Partners already on the list are not added twice.

    NotFound if a chosen partner is no longer in the address book (nothing is added then)."""
    available = {p.key: p for p in list_partners(db, conference_id)}
    already = {
        partner_key(i.name, i.organisation) for i in invitees.list_invitees(db, conference_id)
    }
    chosen: list[Partner] = []
    for key in dict.fromkeys(partner_keys):  # each once, order kept
        if key in already:
            continue
        if key not in available:
            raise NotFound(
                "A partner you chose is no longer in the address book (their conference may "
                "have been deleted). Search again."
            )
        chosen.append(available[key])
    if not chosen:
        return []
    return invitees.add_invitees(db, conference_id, [p.fields() for p in chosen])
