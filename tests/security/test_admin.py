"""Django admin for every role: its own pages, and each registered model's list, add, change, delete and history."""

import pytest

from tests.security.checking import check
from tests.security.matrix import ADMIN_MODELS, ADMIN_ROWS, admin_model_rows, admin_registered, case_id, cases

pytestmark = pytest.mark.django_db

MODEL_ROWS = [row for label in admin_registered() if label in ADMIN_MODELS for row in admin_model_rows(label)]


@pytest.mark.parametrize(("row", "role"), cases(ADMIN_ROWS), ids=case_id)
def test_an_admin_page_answers_each_role_as_the_matrix_says(world, row, role):
    check(world, row, role)


@pytest.mark.parametrize(("row", "role"), cases(MODEL_ROWS), ids=case_id)
def test_a_models_admin_page_answers_each_role_as_the_matrix_says(world, row, role):
    check(world, row, role)
