"""Call-detail records in, canonical Arrow/Parquet out (`CALL_SCHEMA`), bad rows kept aside.

Formats: canonical CSV (header row), JSON Lines and Parquet with the input columns; canonical
Parquet (full schema, a file or a hive-partitioned directory) passed through after a schema
check; Asterisk `Master.csv`; FreeSWITCH `mod_cdr_csv`. Numbers are normalised to E.164 with
the home country and described (country, type, validity); raw forms are kept. Reading is
chunked, so memory does not grow with the file. See docs/ingest.md.

The entry points:

- `ingest_files(paths, out, settings, ...) -> IngestSummary`: inputs to one Parquet file;
- `iter_calls(paths, settings, rejects=..., ...)`: the same as a stream of record batches;
- `canonical_parquet_sources(paths, workdir, settings, ...)`: Parquet an engine can read,
  ingesting only what is not canonical already;
- `enrich_numbers(raw, home_country)`: the vectorised number normalisation.
"""

from ringfence.ingest.detect import FORMATS, detect_format
from ringfence.ingest.enrich import NumberColumns, enrich_numbers
from ringfence.ingest.errors import IngestError, StrictIngestError
from ringfence.ingest.options import DEFAULT_CHUNK_ROWS, ReaderOptions
from ringfence.ingest.parquet import is_canonical_parquet
from ringfence.ingest.pipeline import (
    canonical_parquet_sources,
    ingest_files,
    iter_calls,
    parquet_glob,
    rejects_path_for,
)
from ringfence.ingest.rejects import REJECT_COLUMNS, Reject, RejectSink
from ringfence.ingest.summary import FileSummary, IngestSummary

__all__ = [
    "DEFAULT_CHUNK_ROWS",
    "FORMATS",
    "REJECT_COLUMNS",
    "FileSummary",
    "IngestError",
    "IngestSummary",
    "NumberColumns",
    "ReaderOptions",
    "Reject",
    "RejectSink",
    "StrictIngestError",
    "canonical_parquet_sources",
    "detect_format",
    "enrich_numbers",
    "ingest_files",
    "is_canonical_parquet",
    "iter_calls",
    "parquet_glob",
    "rejects_path_for",
]
