"""The progress bar of long runs (extract, ingest, reprocess, aggregate), on stderr so records on
stdout stay clean; inputs stream, so it counts documents done without a total."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console

__all__ = ["document_bar"]


@contextmanager
def document_bar(show: bool, console: Console) -> Iterator[Callable[[], None]]:
    """Yield the function that counts one document done; a no-op when ``show`` is false."""
    if not show:
        yield lambda: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.completed} document(s) done"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("docs", total=None)
        yield lambda: progress.advance(task)
