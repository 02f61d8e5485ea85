"""Every setting is documented, and unsafe combinations are refused."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from docsearch.settings import REPO_ROOT, Settings


def test_every_setting_is_documented_in_the_readme():
    readme = (REPO_ROOT / "README.md").read_text()
    documented = set(re.findall(r"`(DOCSEARCH_[A-Z0-9_]+)`", readme))
    fields = {f"DOCSEARCH_{name.upper()}" for name in Settings.model_fields}
    assert fields - documented == set(), "settings missing from the README's configuration table"
    assert documented - fields == set(), "the README documents settings that do not exist"


def test_store_dir_defaults_under_data_dir(tmp_path):
    assert Settings(data_dir=tmp_path).store_dir == tmp_path / "store"


@pytest.mark.parametrize(
    "values",
    [
        {"index_prefix": "Bad Prefix"},
        {"task_soft_time_limit_s": 900, "task_time_limit_s": 600},
        {"env": "production"},  # production must name its engine explicitly
        {"max_file_mb": 0},
    ],
)
def test_unsafe_settings_are_refused(values):
    with pytest.raises(ValidationError):
        Settings(**values)
