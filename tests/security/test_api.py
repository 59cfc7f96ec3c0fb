"""Every endpoint of the API, for every role, with the role's token."""

import pytest

from tests.security.checking import check
from tests.security.matrix import API_ROWS, case_id, cases

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("row", "role"), cases(API_ROWS), ids=case_id)
def test_an_endpoint_answers_each_role_as_the_matrix_says(world, row, role):
    check(world, row, role)
