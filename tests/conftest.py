import copy
import os
import secrets

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation

from marketplace import embedded_db
from marketplace.page_cache import forget_local
from tests import processes
from tests.api import make_roles


@pytest.fixture(scope="session", autouse=True)
def no_process_left_running(tmp_path_factory):
    """The run fails when its tests leave a process running: a server, a worker, a browser, or a PostgreSQL server
    started in a temporary or copied project's data folder (tests/processes.py says how they are found).

    One is expected: the embedded server of ``.pgdata/`` that the run itself connects to when DATABASE_URL is
    unset. The settings start it on the first connection and leave it running for the next command, as for
    ``make run``; ``make stop-db`` stops it. When the run uses DATABASE_URL, a test that starts that server
    fails the run too. What is found is reported, then stopped; a PostgreSQL server only when its data folder is
    one of the session's temporary folders (another command may be using any other).
    """
    mark = f"{os.getpid()}-{secrets.token_hex(8)}"
    os.environ[processes.MARK] = mark
    allowed = [embedded_db.DATA_DIR] if django_settings.EMBEDDED_DATABASE else []
    watch = processes.ProcessWatch(mark=mark, allowed_data_dirs=allowed)
    yield
    left = watch.wait_for_exit(10)
    if left:
        stuck = processes.stop(left, servers_under=tmp_path_factory.getbasetemp())
        pytest.fail(
            f"Tests left these processes running:\n{processes.report(left)}\n"
            + (f"Still running (stop them yourself):\n{processes.report(stuck)}" if stuck else "They were stopped."),
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded and generated files go to a throwaway folder, never the project's media/ nor a real bucket."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: a page cached from an earlier test's rows must not answer for its own."""
    cache.clear()
    forget_local()


@pytest.fixture
def uncached_pages(settings):
    """The shared page cache off, for tests that count the queries of rendering a page."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Factories and the demo seed hash passwords; the production hasher (~0.2 s each) would dominate the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Code called directly by a test speaks English, so tests read its messages; requests still negotiate."""
    with translation.override("en"):
        yield


TEST_REPLICA = "replica"


class MigrateTestReplica:
    """Lets migrations (and so the flush between transactional tests) run on the test run's replica.

    In production ReplicaRouter never migrates a replica: it is a standby that receives the
    primary's schema and rows by replication. The test run has no replication, so its
    replica, an ordinary second database, gets the same schema from the same migrations,
    pg_trgm and indexes included. Only this alias: ReplicaRouter decides everything else.
    """

    def allow_migrate(self, db, app_label, **hints):
        return True if db == TEST_REPLICA else None


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A second database, "replica", on the primary's server, for the tests that ask for it.

    pytest-django creates only the databases that collected tests name in
    ``django_db(databases=[...])``, so the alias costs the other tests nothing: the
    replica's test database (``test_<name>_replica``) is created and migrated only when
    a test such as tests/marketplace/test_replica.py is collected. A real replica
    (DATABASE_REPLICA_URL) is never used by tests: it refuses writes, so its alias is
    replaced, and replica reads stay off until a test turns them on with
    ``settings.DATABASE_READ_REPLICA``.
    """
    default = django_settings.DATABASES["default"]
    default_test_name = default.get("TEST", {}).get("NAME") or f"test_{default['NAME']}"
    replica = copy.deepcopy(default)
    replica["NAME"] = f"{default['NAME']}_replica"
    replica["TEST"] = {**default.get("TEST", {}), "NAME": f"{default_test_name}_replica"}
    django_settings.DATABASES[TEST_REPLICA] = replica
    routers = [MigrateTestReplica(), *django_settings.DATABASE_ROUTERS]
    with override_settings(DATABASE_ROUTERS=routers, DATABASE_READ_REPLICA=""):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database without the region's search vocabulary that migration catalog 0013 writes.

    The flush after a transactional test empties those tables anyway, so no test may count on their rows: a test
    makes the concepts it needs (``catalog.vocabulary.region_concepts_ensure`` for the region's), whatever ran
    before it.
    """
    from catalog.models import Concept, SearchWord

    with django_db_blocker.unblock():
        Concept.objects.all().delete()
        SearchWord.objects.all().delete()


@pytest.fixture
def roles(db):
    """Anonymous, shopper, another shopper, a producer member, a member of another producer, and staff."""
    return make_roles()
