"""SQL of the evidence, meta and findings tables (shared by SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime

from ringfence.reputation.model import Evidence, SubjectKind
from ringfence.reputation.store.rows import (
    EVIDENCE_COLUMNS,
    evidence_of,
    evidence_row,
    marks,
    number_hash,
    to_us,
)
from ringfence.reputation.store.sql_base import SqlBase


class EvidenceSql(SqlBase):
    # -- meta ------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._run("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_meta_if_absent(self, key: str, value: str) -> str:
        self._run(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING", (key, value)
        )
        stored = self.get_meta(key)
        assert stored is not None
        return stored

    # -- evidence --------------------------------------------------------------------------
    def add_evidence(self, rows: Sequence[Evidence]) -> int:
        if not rows:
            return 0
        with self.transaction():
            inserted = self._run_many(
                f"INSERT INTO evidence ({EVIDENCE_COLUMNS}) VALUES ({marks(12)}) "
                "ON CONFLICT DO NOTHING",
                [evidence_row(e) for e in rows],
            )
            numbers = {
                (e.subject, to_us(e.occurred_at))
                for e in rows
                if e.subject_kind is SubjectKind.NUMBER
            }
            subjects = []
            for subject, first in sorted(numbers):
                digest = number_hash(subject)
                subjects.append((subject, digest, digest[:5], first))
            self._run_many(
                "INSERT INTO subjects (subject, hash, bucket, first_us) VALUES (?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                subjects,
            )
        return inserted

    def remove_evidence(self, ref: str) -> list[tuple[str, SubjectKind]]:
        with self.transaction():
            rows = self._run(
                "SELECT DISTINCT subject, subject_kind FROM evidence WHERE ref = ?", (ref,)
            )
            self._run("DELETE FROM evidence WHERE ref = ?", (ref,))
        return sorted((str(s), SubjectKind(k)) for s, k in rows)

    def evidence_for(self, subjects: Collection[str]) -> list[Evidence]:
        rows = self._run_in_chunks(
            f"SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE subject IN ({{marks}}) ORDER BY id",
            subjects,
        )
        return [evidence_of(r) for r in rows]

    def iter_evidence(self) -> Iterator[Evidence]:
        last = 0
        while True:
            rows = self._run(
                f"SELECT id, {EVIDENCE_COLUMNS} FROM evidence WHERE id > ? ORDER BY id LIMIT 5000",
                (last,),
            )
            if not rows:
                return
            for row in rows:
                yield evidence_of(row[1:])
            last = int(rows[-1][0])

    def subjects_in_bucket(self, bucket: str) -> list[tuple[str, str]]:
        rows = self._run(
            "SELECT subject, hash FROM subjects WHERE bucket = ? ORDER BY hash", (bucket.lower(),)
        )
        return [(str(s), str(h)) for s, h in rows]

    # -- findings --------------------------------------------------------------------------
    def finding_digest(self, finding_id: str) -> str | None:
        rows = self._run("SELECT digest FROM findings WHERE finding_id = ?", (finding_id,))
        return str(rows[0][0]) if rows else None

    def save_finding(
        self,
        finding_id: str,
        digest: str,
        body: str,
        private: Sequence[tuple[str, str]],
        applied_at: datetime,
    ) -> None:
        with self.transaction():
            self._run(
                "INSERT INTO findings (finding_id, digest, body, applied_us) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (finding_id) DO UPDATE SET digest = excluded.digest, "
                "body = excluded.body, applied_us = excluded.applied_us",
                (finding_id, digest, body, to_us(applied_at)),
            )
            self._run("DELETE FROM finding_private WHERE finding_id = ?", (finding_id,))
            self._run_many(
                "INSERT INTO finding_private (finding_id, subject, role) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                [(finding_id, subject, role) for subject, role in private],
            )

    def get_finding(self, finding_id: str) -> tuple[str, list[tuple[str, str]]] | None:
        rows = self._run("SELECT body FROM findings WHERE finding_id = ?", (finding_id,))
        if not rows:
            return None
        private = self._run(
            "SELECT subject, role FROM finding_private WHERE finding_id = ? ORDER BY role, subject",
            (finding_id,),
        )
        return str(rows[0][0]), [(str(s), str(r)) for s, r in private]
