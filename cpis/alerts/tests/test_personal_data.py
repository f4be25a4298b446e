"""A subscriber's address is found, exported and erased by a data-subject request."""

from django.utils import timezone

from cpis.alerts import personal_data, services
from cpis.alerts.models import Subscription
from cpis.core import registry
from cpis.core.models import OutboxMessage
from cpis.core.subjects import Terms


def test_the_registry_lists_the_alerts_kind():
    assert personal_data in registry.personal_data_modules()


def test_a_subscriber_is_found_by_address_in_any_case_exported_and_erased(tree, subscribe, meeting_at):
    kept = subscribe("other@example.org")
    subscription = subscribe("Person@Example.org")
    subscribe("person@example.org", area=services.sector_area(tree.n1b.pk), confirmed=False)
    meeting_at(tree.n1a)
    services.fan_out()
    OutboxMessage.objects.filter(record_id=str(subscription.pk)).update(sent_at=timezone.now())

    hits = personal_data.find(Terms.of(emails=["PERSON@example.org"]))
    assert len(hits) == 2 and all(hit.matched == ("email",) for hit in hits)
    assert "person@example.org" not in " ".join(hit.summary for hit in hits)

    exported = personal_data.export(str(subscription.pk))
    assert exported["Subscription"]["e-mail"] == "person@example.org"
    (sent,) = exported["E-mails"]
    assert sent["to"] == "person@example.org" and "Forum meeting on" in sent["subject"]

    personal_data.erase(str(subscription.pk), legal_reason="Art. 17", by_user_id=1, request_reference="DSR-1")
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert OutboxMessage.objects.get(record_id=str(subscription.pk)).to_email == "removed@invalid"
    assert Subscription.objects.filter(pk=kept.pk).exists()
