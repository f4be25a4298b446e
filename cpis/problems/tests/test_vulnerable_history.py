"""The register's history: who recorded, changed, reviewed an entry or appointed
its officer — never what the entry says about its person."""

from datetime import timedelta

from django.utils import timezone

from cpis.problems.models import Change, VulnerableEntry
from cpis.problems.services import vulnerable as services


def test_each_step_on_an_entry_is_in_its_history_without_the_persons_data(tree, actor_for, officer_n1a):
    actor = actor_for("commander_n1")
    today = timezone.localdate()
    fields = {"kind": "person", "name": "Hana Gashi", "vulnerability": "elderly", "legal_basis": "consent"}
    data = services.EntryInput(**fields, details="Lives alone.", identified_on=today)
    entry = services.record_entry(
        actor, unit=tree.n1a, data=data, officer=officer_n1a, review_on=today + timedelta(days=30)
    )
    services.update_entry(
        actor,
        entry=entry,
        data=services.EntryInput(**fields, details="Moved.", identified_on=today),
    )
    services.review_entry(actor, entry=entry, review_on=timezone.localdate() + timedelta(days=90))
    history = list(Change.objects.filter(entry=entry).values_list("what", "details"))
    assert [what for what, _details in history] == ["recorded", "changed", "reviewed"]
    assert history[1][1] == {"fields": ["details"]}
    assert "Hana" not in str(history) and "Moved" not in str(history)
    entry_id = entry.pk
    VulnerableEntry.objects.filter(pk=entry_id).delete()
    assert not Change.objects.filter(entry_id=entry_id).exists()
