"""The path converters of order URLs, registered on import: ``order_number`` and ``payment_reference``.

The storefront's ``orders/urls.py`` and the API's ``orders/api/urls.py`` import this module before their
patterns name the converters; the API's schema reads ``OrderNumberConverter.regex``.
"""

from django.urls import register_converter


class OrderNumberConverter:
    """Public order numbers: "OM" and 12 characters of Crockford's base32."""

    regex = "OM[0-9A-Z]{12}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class PaymentReferenceConverter(OrderNumberConverter):
    regex = "[0-9a-f]{32}"


register_converter(OrderNumberConverter, "order_number")
register_converter(PaymentReferenceConverter, "payment_reference")
