"""The API server fixtures of tests/api, for tests/suppliers/test_api*.py (a module that
defines its own ``engine`` fixture, like test_store.py, keeps its own), and the supplier risk
report of the example register (screened once for the package)."""

import pytest

from rootout.catalog.cache import load_compiled
from rootout.report.suppliers_report import SupplierReport, build
from tests.api.conftest import _cheap_argon2, app, engine, store_url
from tests.suppliers.eval import REPO, load_example, screen_example

__all__ = ["_cheap_argon2", "app", "engine", "example_report", "store_url"]


@pytest.fixture(scope="package")
def example_report() -> SupplierReport:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)  # paths in explanations relative to the repository, as typed there
        example = load_example()
        findings = screen_example(example)
    return build(
        example.register,
        findings,
        today=example.today,
        tenant="default",
        catalog=load_compiled()[0],
    )
