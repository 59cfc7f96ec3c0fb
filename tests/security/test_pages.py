"""The storefront, accounts and the back offices of producers, hosts and depots, for every role."""

import pytest

from tests.security.checking import check
from tests.security.matrix import PAGE_ROWS, case_id, cases

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("row", "role"), cases(PAGE_ROWS), ids=case_id)
def test_a_page_answers_each_role_as_the_matrix_says(world, row, role):
    check(world, row, role)
