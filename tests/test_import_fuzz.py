"""Property tests over the import parsers: any input gives a plan or a clear ValidationError,
never a traceback, and never a change to the knowledge base; exports read back unchanged."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge import Gazetteer, KnowledgeBase, open_db
from knowledge.errors import ValidationError
from knowledge.tabular import COLUMNS, export_csv, export_xlsx, plan_import

SAMPLE_DIR = Path(__file__).parent / "data" / "kb_sample"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    tmp = Path(tempfile.mkdtemp())
    shutil.copytree(SAMPLE_DIR, tmp / "kb")
    base = KnowledgeBase(open_db(tmp / "fuzz.db"), Gazetteer.from_yaml())
    base.load(tmp / "kb")
    return base


@pytest.fixture(scope="module")
def workdir() -> Path:
    return Path(tempfile.mkdtemp())


def plan_or_refusal(kb: KnowledgeBase, path: Path) -> None:
    before = kb.entries()
    try:
        plan_import(kb, path)
    except ValidationError as exc:
        assert exc.describe().strip()
    assert kb.entries() == before


@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".csv", ".yaml", ".xlsx"]))
def test_any_bytes(kb: KnowledgeBase, workdir: Path, data: bytes, suffix: str) -> None:
    path = workdir / f"bytes{suffix}"
    path.write_bytes(data)
    plan_or_refusal(kb, path)


cell = st.text(max_size=30)
header = st.lists(st.sampled_from([*COLUMNS, "weather", ""]), min_size=1, max_size=16)


@FUZZ
@given(head=header, rows=st.lists(st.lists(cell, max_size=18), max_size=5))
def test_any_csv_table(kb: KnowledgeBase, workdir: Path, head: list[str], rows: list[list[str]]) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(head)
    writer.writerows(rows)
    path = workdir / "table.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    plan_or_refusal(kb, path)


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
                    st.dates())
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)
entry_like = st.dictionaries(st.sampled_from([*COLUMNS, "issued", "x"]), values, max_size=8)


@FUZZ
@given(top=st.one_of(values, st.fixed_dictionaries({"entries": st.lists(st.one_of(entry_like, values), max_size=4)})))
def test_any_yaml_structure(kb: KnowledgeBase, workdir: Path, top: object) -> None:
    path = workdir / "doc.yaml"
    path.write_text(yaml.safe_dump(top, allow_unicode=True), encoding="utf-8")
    plan_or_refusal(kb, path)


safe_text = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="|\r\u2028\u2029\x85"),
                    min_size=1, max_size=40).map(str.strip).filter(bool)


@FUZZ
@given(amount=safe_text, contact=safe_text, suffix=st.sampled_from([".csv", ".xlsx"]))
def test_export_reads_back_unchanged(kb: KnowledgeBase, workdir: Path, amount: str, contact: str, suffix: str) -> None:
    entries = kb.entries()
    entries[0].amount, entries[0].contact = amount, contact
    path = workdir / f"export{suffix}"
    if suffix == ".csv":
        path.write_text(export_csv(entries), encoding="utf-8")
    else:
        export_xlsx(entries, path)
    plan = plan_import(kb, path)
    assert plan.add == [] and plan.missing == []
    assert [(e.id, e.amount, e.contact) for e, _ in plan.change] in (
        [(entries[0].id, amount, contact)], [])         # [] when the values were the stored ones


@FUZZ
@given(data=st.one_of(st.binary(max_size=400),
                      values.map(lambda v: yaml.safe_dump(v, allow_unicode=True).encode()),
                      st.fixed_dictionaries({"entries": st.lists(entry_like, max_size=3)}).map(
                          lambda v: yaml.safe_dump(v, allow_unicode=True).encode())))
def test_kb_load_reader_gives_entries_or_a_validation_error(workdir: Path, data: bytes) -> None:
    from knowledge.yamlio import read_dir

    folder = workdir / "load"
    folder.mkdir(exist_ok=True)
    (folder / "x.yaml").write_bytes(data)
    try:
        read_dir(folder, Gazetteer.from_yaml())
    except ValidationError as exc:
        assert exc.describe().strip()


@FUZZ
@given(field=st.sampled_from([*COLUMNS, "issued"]), value=values)
def test_one_odd_field_in_a_valid_entry_is_named_or_accepted(kb: KnowledgeBase, field: str, value: object) -> None:
    data = kb.entries()[0].to_dict()
    data[field] = value
    try:
        kb.validate(data)
    except ValidationError as exc:
        assert exc.describe().strip()
