"""Who may open a producer's back office: its members, and its village depot's managers when it sells through it."""

import pytest
from django.urls import reverse

from producers.selectors import dashboard_producer, dashboard_producers
from tests.factories import DepotFactory, MembershipFactory, ProducerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def village_world():
    member = MembershipFactory(producer__slug="tuyoq-vineyard").user
    producer = member.memberships.get().producer
    assisted = ProducerFactory(slug="old-ali", village=producer.village, sells_through_depot=True)
    unassisted = ProducerFactory(slug="young-ali", village=producer.village)
    manager = UserFactory(username="depot-manager")
    DepotFactory(village=producer.village, slug="tuyoq-depot").managers.add(manager)
    return member, producer, assisted, unassisted, manager


def test_a_member_works_for_their_own_producer_only(village_world):
    member, _producer, _assisted, _unassisted, _manager = village_world
    assert [p.slug for p in dashboard_producers(user=member)] == ["tuyoq-vineyard"]
    assert dashboard_producer(user=member, slug="tuyoq-vineyard").acting_for is False


def test_a_depot_manager_works_for_the_producers_that_sell_through_the_depot(village_world):
    _member, _producer, assisted, _unassisted, manager = village_world
    assert [p.slug for p in dashboard_producers(user=manager)] == ["old-ali"]
    assert dashboard_producer(user=manager, slug="old-ali").acting_for is True
    with pytest.raises(type(assisted).DoesNotExist):
        dashboard_producer(user=manager, slug="young-ali")
    with pytest.raises(type(assisted).DoesNotExist):
        dashboard_producer(user=manager, slug="tuyoq-vineyard")


def test_a_closed_depot_or_another_village_gives_no_producer(village_world):
    _member, producer, _assisted, _unassisted, manager = village_world
    elsewhere = UserFactory(username="elsewhere")
    DepotFactory(slug="far-depot").managers.add(elsewhere)
    assert list(dashboard_producers(user=elsewhere)) == []
    producer.village.depots.update(is_active=False)
    assert list(dashboard_producers(user=manager)) == []


def test_dashboard_sends_a_member_straight_to_their_producer(client, village_world):
    member, *_ = village_world
    client.force_login(member)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/tuyoq-vineyard/"


def test_dashboard_lists_what_a_depot_manager_works_for(client, village_world):
    *_, manager = village_world
    client.force_login(manager)
    response = client.get(reverse("dashboard"), headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert b"old-ali" in response.content and b"young-ali" not in response.content
    assert b"tuyoq-depot" in response.content


def test_dashboard_invites_a_shopper_to_apply(client):
    client.force_login(UserFactory(username="shopper"))
    response = client.get(reverse("dashboard"), headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert f'href="{reverse("producer-apply")}"' in response.content.decode()


def test_dashboard_asks_a_visitor_to_sign_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
