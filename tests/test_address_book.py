"""The address book: partners from the invite lists of other conferences."""

from __future__ import annotations

import datetime as dt

import pytest

from csfacilitator.core import invitees as inv
from csfacilitator.core.address_book import (
    add_from_address_book,
    filter_partners,
    list_partners,
    partner_key,
    search_partners,
)
from csfacilitator.core.conferences import create_conference, delete_conference
from csfacilitator.core.meetings import list_meetings
from csfacilitator.errors import NotFound

pytestmark = pytest.mark.postgresql_too


@pytest.fixture
def network(db):
    """Two earlier conferences (2025 and 2026) and a new one being prepared."""
    old = create_conference(db, "Old park", conference_date=dt.date(2025, 3, 1))
    recent = create_conference(db, "Recent parade", conference_date=dt.date(2026, 6, 1))
    new = create_conference(db, "New school")
    inv.add_invitee(
        db,
        old,
        name="Siobhán Ó Briain",
        organisation="Youth Hub",
        category="Youth provision",
        role="Youth worker",
        email="old@example.org",
        phone="01632 960000",
        status="confirmed",
        invited_on=dt.date(2025, 2, 1),
        notes="Private to that conference",
        isa_signed=True,
        q_youth_voice=True,
    )
    inv.add_invitee(
        db,
        recent,
        name="  siobhán   ó briain ",
        organisation="YOUTH HUB",
        category="Youth provision",
        role="Senior youth worker",
        email="new@example.org",
        phone="",
    )
    inv.add_invitee(
        db, recent, name="Tom Price", organisation="Corner Shop", category="Local business"
    )
    inv.add_invitee(db, recent, name="Tom Price", organisation="Other Shop")
    inv.add_invitee(db, new, name="Grace Mensah", organisation="Social Care")
    inv.add_invitee(db, old, name="Grace Mensah", organisation="social care")
    return {"old": old, "recent": recent, "new": new}


def test_partners_are_deduplicated_and_the_newest_details_win(db, network):
    partners = {p.key: p for p in list_partners(db)}
    siobhan = partners[partner_key("Siobhán Ó Briain", "Youth Hub")]
    assert siobhan.name == "siobhán ó briain"  # as the newest list wrote it (cleaned)
    assert siobhan.email == "new@example.org"
    assert siobhan.role == "Senior youth worker"
    assert siobhan.phone == "01632 960000"  # the newest list left it empty: the older kept
    assert siobhan.conference_count == 2
    assert siobhan.last_conference == "Recent parade"
    # Same name, another organisation: another partner.
    assert len([p for p in partners.values() if p.name == "Tom Price"]) == 2


def test_newest_is_by_conference_date_not_by_entry_order(db, network):
    older = create_conference(
        db, "Entered late, held long ago", conference_date=dt.date(2020, 1, 1)
    )
    inv.add_invitee(db, older, name="Tom Price", organisation="Corner Shop", role="Old role")
    tom = next(p for p in list_partners(db) if p.key == partner_key("Tom Price", "Corner Shop"))
    assert tom.role == "Old role"  # nothing newer had a role
    inv.add_invitee(
        db, network["recent"], name="Tom Price", organisation="corner shop", role="Owner"
    )
    tom = next(p for p in list_partners(db) if p.key == partner_key("Tom Price", "Corner Shop"))
    assert tom.role == "Owner"


def test_the_current_conference_and_its_people_are_left_out(db, network):
    keys = {p.key for p in list_partners(db, exclude_conference_id=network["new"])}
    assert partner_key("Grace Mensah", "Social Care") not in keys  # already on the new list
    assert partner_key("Tom Price", "Corner Shop") in keys
    for_recent = {p.name: p for p in list_partners(db, exclude_conference_id=network["recent"])}
    assert set(for_recent) == {"Grace Mensah"}  # Siobhán and Tom are on the recent list
    assert for_recent["Grace Mensah"].conference_count == 2


def test_search_ignores_case_accents_and_word_order(db, network):
    found = search_partners(db, "BRIAIN siobhan", network["new"])
    assert [p.name for p in found] == ["siobhán ó briain"]
    assert [p.organisation for p in search_partners(db, "shop", network["new"])] == [
        "Corner Shop",
        "Other Shop",
    ]
    assert [p.name for p in search_partners(db, "local business", network["new"])] == ["Tom Price"]
    assert search_partners(db, "nobody at all", network["new"]) == []
    assert len(search_partners(db, "   ", network["new"])) == 3


def test_filter_partners_is_pure(db, network):
    partners = list_partners(db, network["new"])
    assert [p.email for p in filter_partners(partners, "new@example")] == ["new@example.org"]
    assert [p.phone for p in filter_partners(partners, "960000")] == ["01632 960000"]
    assert filter_partners(partners, "") == partners


def test_add_copies_contact_details_only_in_one_step(db, network):
    meeting = list_meetings(db, network["new"])[0]
    keys = [partner_key("Siobhán Ó Briain", "Youth Hub"), partner_key("Tom Price", "Corner Shop")]
    added = add_from_address_book(db, network["new"], keys)
    assert [a.name for a in added] == ["siobhán ó briain", "Tom Price"]
    siobhan = inv.get_invitee(db, added[0].id)
    assert (siobhan.organisation, siobhan.category, siobhan.role) == (
        "YOUTH HUB",
        "Youth provision",
        "Senior youth worker",
    )
    assert (siobhan.email, siobhan.phone) == ("new@example.org", "01632 960000")
    assert siobhan.status == "to_invite"
    assert siobhan.invited_on is None and siobhan.prepared_on is None
    assert siobhan.notes == "" and not siobhan.isa_signed and not siobhan.q_youth_voice
    assert siobhan.attendance == {}
    assert meeting.id not in siobhan.attendance
    names = [i.name for i in inv.list_invitees(db, network["new"])]
    assert names == ["Grace Mensah", "siobhán ó briain", "Tom Price"]


def test_adding_twice_or_someone_already_listed_adds_nobody_twice(db, network):
    key = partner_key("Tom Price", "Corner Shop")
    assert len(add_from_address_book(db, network["new"], [key, key])) == 1
    assert add_from_address_book(db, network["new"], [key]) == []
    grace = partner_key("Grace Mensah", "Social Care")
    assert add_from_address_book(db, network["new"], [grace]) == []
    assert len(inv.list_invitees(db, network["new"])) == 2


def test_a_partner_gone_meanwhile_is_refused_and_nothing_added(db, network):
    keys = [partner_key("Tom Price", "Corner Shop"), partner_key("Tom Price", "Other Shop")]
    delete_conference(db, network["recent"])
    with pytest.raises(NotFound, match="no longer in the address book"):
        add_from_address_book(db, network["new"], keys)
    assert [i.name for i in inv.list_invitees(db, network["new"])] == ["Grace Mensah"]


def test_deleting_a_conference_removes_its_people_from_the_address_book(db, network):
    delete_conference(db, network["recent"])
    delete_conference(db, network["old"])
    assert list_partners(db, network["new"]) == []


def test_label_shows_name_organisation_and_category(db, network):
    partners = {p.key: p for p in list_partners(db)}
    assert partners[partner_key("Tom Price", "Corner Shop")].label == (
        "Tom Price · Corner Shop · Local business"
    )
    assert partners[partner_key("Tom Price", "Other Shop")].label == "Tom Price · Other Shop"
