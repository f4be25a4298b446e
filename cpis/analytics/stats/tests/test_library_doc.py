"""docs/analysis-library.md cannot rot: its ```python blocks run here, in order, in one
namespace, from the repository root, as an analyst would paste them into a notebook.

The Chicago data are read from `../shared` beside the repository as the page says (or from
CPIS_SHARED, as the other validation tests find them). A block whose first line is
`# needs: PACKAGE` is left out, with a warning, only when that package is not installed.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
DOC = ROOT / "docs" / "analysis-library.md"
SHARED = Path(os.environ.get("CPIS_SHARED", ROOT.parent / "shared"))


def python_blocks() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", DOC.read_text(), flags=re.DOTALL | re.MULTILINE)


def test_the_page_has_an_example_for_every_kernel():
    text = "\n".join(python_blocks())
    for call in (
        "knox_test(",
        "gi_star(",
        "local_moran(",
        "kde_grid(",
        "weekly_bands(",
        "ewma_alerts(",
        "cusum_alerts(",
        "compare_periods(",
        "space_time_permutation_scan(",
        "LocalProjection",
    ):
        assert call in text, call


def test_every_python_block_of_the_library_doc_runs(monkeypatch):
    if not (SHARED / "validation" / "near-repeat").is_dir():
        pytest.fail(f"{SHARED}/validation/near-repeat is missing: the examples read it", pytrace=False)
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": "__doc_example__"}
    skipped = []
    for number, block in enumerate(python_blocks(), 1):
        needs = re.match(r"# needs: (\w+)", block)
        if needs and importlib.util.find_spec(needs[1]) is None:
            skipped.append(needs[1])
            continue
        source = block.replace('Path("../shared', f'Path("{SHARED}')
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                exec(compile(source, f"{DOC.name} block {number}", "exec"), namespace)  # noqa: S102
            except Exception as error:  # the block that broke, with its error
                pytest.fail(f"block {number} of {DOC.name} fails: {error!r}\n{block}", pytrace=True)
    assert len(python_blocks()) - len(skipped) >= 8
    if skipped:  # every other block ran and passed: say what did not, without hiding that
        warnings.warn(
            f"{DOC.name}: blocks needing {', '.join(skipped)} not run (not installed)", stacklevel=1
        )
