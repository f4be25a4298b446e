"""What problem solving holds about a person, for data-subject requests: an
entry of the register of vulnerable persons and a citizen on a problem's
team, found however the name, phone or e-mail was written, described without
their data, exported whole, and erased as the law allows."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from cpis.core import registry
from cpis.core.subjects import ErasureRefused, NoLongerHeld, Terms
from cpis.problems import personal_data
from cpis.problems.models import (
    Change,
    LegalBasis,
    MemberKind,
    TeamMember,
    Vulnerability,
    VulnerableEntry,
    VulnerableKind,
)
from cpis.problems.services import problems as problem_services

from .vulnerable_entries import DETAILS, record

ENTRIES = personal_data.KINDS[0]
CITIZENS = personal_data.KINDS[1]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def entry(tree, actor_for, officer_n1a) -> VulnerableEntry:
    return record(
        actor_for("commander_n1"),
        unit=tree.n1a,
        officer=officer_n1a,
        name="Јелена Петровић",
        vulnerability=Vulnerability.DOMESTIC_VIOLENCE,
    )


@pytest.fixture
def citizen(problem, actor_for) -> TeamMember:
    return problem_services.add_team_member(
        actor_for("officer_n1a"),
        problem=problem,
        kind=MemberKind.CITIZEN,
        citizen_name="Jelena Petrović",
        citizen_contact="+383 44 123 456, Jelena.P@example.org",
        consent_on=timezone.localdate(),
        role="Shop owner at the market",
    )


def test_the_app_declares_both_kinds():
    modules = registry.personal_data_modules()
    assert personal_data in modules
    assert [kind.subject_type for kind in personal_data.KINDS] == [
        "problems.vulnerableentry",
        "problems.teammember",
    ]


def test_an_entry_is_found_by_the_name_in_another_script_and_a_group_by_its_name(
    tree, actor_for, officer_n1a, entry
):
    group = record(
        actor_for("commander_n1"),
        unit=tree.n1b,
        officer=officer_n1a,
        kind=VulnerableKind.GROUP,
        name="Petrović family, Jelena and her children",
    )
    record(actor_for("commander_n1"), unit=tree.n1a, officer=officer_n1a, name="Milena Petrović")
    found = {hit.id: hit.matched for hit in ENTRIES.find(Terms.of(names=["jelena petrovic"]))}
    assert found == {str(entry.pk): ("name",), str(group.pk): ("name",)}
    assert ENTRIES.find(Terms.of(phones=["044 123 456"], emails=["jelena.p@example.org"])) == []


def test_an_entrys_hit_says_neither_the_name_nor_the_vulnerability(entry):
    (hit,) = ENTRIES.find(Terms.of(names=["Jelena Petrović"]))
    assert ENTRIES.describe([str(entry.pk), "x"]) == {str(entry.pk): replace(hit, matched=())}
    assert str(entry.pk) in hit.summary and hit.place == "Sector A"
    text = hit.summary + hit.place
    assert "Jelena" not in text and "Јелена" not in text and "violence" not in text


def test_the_export_of_an_entry_holds_everything_it_says(entry):
    data = ENTRIES.export(str(entry.pk))["Vulnerable person or group"]
    assert data["name"] == "Јелена Петровић"
    assert data["details"] == DETAILS
    assert data["kind of vulnerability"] == "Risk of domestic violence"
    assert data["appointed officer"] == "Arben Krasniqi"
    assert data["legal basis"] == "Prevention of crime (police law)"


def test_an_entry_kept_for_protection_is_not_erased_before_its_review(entry, persona):
    with pytest.raises(ErasureRefused, match=r"LED Arts\. 8 and 16\(3\)"):
        ENTRIES.erase(
            str(entry.pk), legal_reason="Art. 16", by_user_id=persona("admin").pk, request_reference="DSR-1"
        )
    assert VulnerableEntry.objects.filter(pk=entry.pk).exists()


def test_an_entry_kept_with_consent_or_past_its_review_is_deleted(
    tree, actor_for, officer_n1a, entry, persona
):
    by_consent = record(
        actor_for("commander_n1"), unit=tree.n1a, officer=officer_n1a, legal_basis=LegalBasis.CONSENT
    )
    VulnerableEntry.objects.filter(pk=entry.pk).update(review_on=timezone.localdate() - timedelta(days=1))
    for done in (entry, by_consent):
        said = ENTRIES.erase(
            str(done.pk), legal_reason="Art. 16", by_user_id=persona("admin").pk, request_reference="DSR-2"
        )
        assert said == "The entry in the register of vulnerable persons was deleted."
    assert not VulnerableEntry.objects.exists()
    with pytest.raises(NoLongerHeld):
        ENTRIES.export(str(entry.pk))
    with pytest.raises(NoLongerHeld):
        ENTRIES.erase("1; DROP", legal_reason="x", by_user_id=persona("admin").pk, request_reference="DSR-3")


def test_a_citizen_on_a_team_is_found_by_name_phone_or_email(citizen, problem, tree, actor_for, officer_n1a):
    problem_services.add_team_member(
        actor_for("officer_n1a"), problem=problem, kind=MemberKind.OFFICER, officer=officer_n1a
    )
    by_name = CITIZENS.find(Terms.of(names=["PETROVIC JELENA"]))
    assert [(hit.id, hit.matched) for hit in by_name] == [(str(citizen.pk), ("name",))]
    by_contact = CITIZENS.find(Terms.of(phones=["044123456"], emails=["jelena.p@EXAMPLE.org"]))
    assert [(hit.id, hit.matched) for hit in by_contact] == [(str(citizen.pk), ("email", "phone"))]
    assert CITIZENS.find(Terms.of(names=["Arben Krasniqi"])) == []  # officers are not citizens
    (hit,) = by_name
    assert str(problem.pk) in hit.summary and "Jelena" not in hit.summary + hit.place
    assert CITIZENS.describe([str(citizen.pk), "x"]) == {str(citizen.pk): replace(hit, matched=())}


def test_the_export_of_a_citizen_holds_their_contact_and_role(citizen, problem):
    data = CITIZENS.export(str(citizen.pk))["Citizen on a problem's team"]
    assert data["citizen's name"] == "Jelena Petrović"
    assert data["citizen's phone or e-mail"] == "+383 44 123 456, Jelena.P@example.org"
    assert data["role in the team"] == "Shop owner at the market"
    assert data["problem"] == problem.title


def test_erasing_a_citizen_keeps_their_place_on_the_team_and_says_so_in_the_history(
    citizen, problem, persona
):
    dpo = persona("admin")
    said = CITIZENS.erase(
        str(citizen.pk), legal_reason="Art. 16", by_user_id=dpo.pk, request_reference="DSR-9"
    )
    assert "removed" in said
    citizen.refresh_from_db()
    assert (citizen.citizen_name, citizen.citizen_contact) == ("[DSR-9]", "")
    assert citizen.consent_on is not None
    change = Change.objects.get(problem=problem, what="citizen_erased")
    assert change.by == dpo and change.details == {"note": "DSR-9"}
    assert CITIZENS.find(Terms.of(names=["Jelena Petrović"])) == []


def test_only_citizens_are_a_kind_here(problem, actor_for, officer_n1a, persona):
    officer = problem_services.add_team_member(
        actor_for("officer_n1a"), problem=problem, kind=MemberKind.OFFICER, officer=officer_n1a
    )
    with pytest.raises(NoLongerHeld):
        CITIZENS.export(str(officer.pk))
    with pytest.raises(NoLongerHeld):
        CITIZENS.erase(
            str(officer.pk), legal_reason="x", by_user_id=persona("admin").pk, request_reference="R"
        )
