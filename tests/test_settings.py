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


PRODUCTION = dict(env="production", engine_url="https://search.internal:9200", engine_username="docsearch",
                  engine_password="k3Jq-81nw-Zt7p-Qa2x", redis_url="redis://:V9s-Lm2q-P0xe-77@redis.internal:6379/0")


@pytest.mark.parametrize("change, refused", [
    ({}, None),
    ({"engine_password": None}, "ENGINE_PASSWORD"),
    ({"engine_password": "changeme"}, "placeholder"),
    ({"engine_password": "short"}, "placeholder"),
    ({"redis_url": "redis://redis.internal:6379/0"}, "password"),
    ({"redis_url": "redis://:password@redis.internal:6379/0"}, "placeholder"),
])
def test_production_refuses_to_start_without_real_secrets(tmp_path, change, refused):
    values = {**PRODUCTION, "data_dir": tmp_path, **change}
    if refused is None:
        assert Settings(**values).env == "production"
        return
    with pytest.raises(ValidationError, match=refused):
        Settings(**values)
