"""Query filters of the orders and parcels lists."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from marketplace.api.filters import ChoiceFilter, SlugFilter
from orders.models import Fulfilment, Order


class OrderFilter(django_filters.FilterSet):
    status = ChoiceFilter(choices=Order.Status.choices)

    class Meta:
        model = Order
        fields = ["status"]


class FulfilmentFilter(django_filters.FilterSet):
    status = ChoiceFilter(choices=Fulfilment.Status.choices)
    producer = SlugFilter(field_name="producer__slug", help_text=_("The slug of one of your producers."))

    class Meta:
        model = Fulfilment
        fields = ["status", "producer"]
