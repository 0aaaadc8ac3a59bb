"""`ringfence stir`: make a test PKI, sign a token, verify it, and refuse bad input clearly."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ringfence.cli import stir

runner = CliRunner()
# make-test-pki dates its certificates from the wall clock; the calls are placed just after.
SIGNED_AT = datetime.now(UTC).replace(microsecond=0)
CALL_AT = (SIGNED_AT + timedelta(seconds=20)).isoformat()
LATE_CALL_AT = (SIGNED_AT + timedelta(minutes=5)).isoformat()


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """ringfence (test app)."""

    stir.register(app)
    return app


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("pki")
    result = runner.invoke(make_app(), ["stir", "make-test-pki", str(directory)])
    assert result.exit_code == 0, result.output
    assert "sp-key.pem" in result.output
    return directory


def sign(pki: Path, *args: str) -> str:
    result = runner.invoke(
        make_app(),
        ["stir", "sign", "--key", str(pki / "sp-key.pem"), "--at", SIGNED_AT.isoformat(), *args],
    )
    assert result.exit_code == 0, result.output
    return result.output.strip()


def verify(pki: Path, header: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        make_app(),
        [
            "stir",
            "verify",
            "--identity",
            header,
            "--certs",
            str(pki),
            "--at",
            CALL_AT,
            *args,
        ],
    )
    return result.exit_code, result.output


def test_make_test_pki_writes_the_index(pki: Path) -> None:
    index = json.loads((pki / "index.json").read_text(encoding="utf-8"))
    assert index["trust_anchors"] == ["ca.pem"]
    assert list(index["certificates"].values()) == ["sp.pem"]


def test_sign_then_verify_passes(pki: Path) -> None:
    header = sign(pki, "--orig", "0123456789", "--dest", "0612345678", "--home-country", "FR")
    assert header.count(".") >= 2
    assert header.endswith(";alg=ES256;ppt=shaken")
    code, output = verify(
        pki, header, "--orig", "+33123456789", "--dest", "06 12 34 56 78", "--home-country", "FR"
    )
    assert code == 0, output
    assert "TN-Validation-Passed" in output
    assert "not a verdict" in output


def test_verify_prints_json_and_exits_1_on_failure(pki: Path) -> None:
    header = sign(pki, "--orig", "+33123456789", "--dest", "+33612345678", "--attest", "C")
    code, output = verify(pki, header, "--orig", "+33123456780", "--dest", "+33612345678", "--json")
    assert code == 1
    data = json.loads(output)
    assert data["verstat"] == "TN-Validation-Failed"
    assert data["sip_code"] == 438
    assert data["failure"] == "orig_mismatch"


def test_verify_reads_the_header_from_a_file_with_its_field_name(pki: Path, tmp_path: Path) -> None:
    header = sign(pki, "--orig", "+33123456789", "--dest", "+33612345678")
    path = tmp_path / "identity.txt"
    path.write_text(f"Identity: {header}\r\n", encoding="utf-8")
    code, output = verify(pki, f"@{path}", "--orig", "+33123456789", "--dest", "+33612345678")
    assert code == 0, output


def test_stale_token_is_403(pki: Path) -> None:
    header = sign(pki, "--orig", "+33123456789", "--dest", "+33612345678")
    result = runner.invoke(
        make_app(),
        [
            "stir",
            "verify",
            "--identity",
            header,
            "--orig",
            "+33123456789",
            "--dest",
            "+33612345678",
            "--certs",
            str(pki),
            "--at",
            LATE_CALL_AT,
            "--json",
        ],
    )
    assert result.exit_code == 1
    assert json.loads(result.output)["sip_code"] == 403


def test_token_only_prints_the_bare_jws(pki: Path) -> None:
    token = sign(pki, "--orig", "+33123456789", "--dest", "+33612345678", "--token-only")
    assert ";" not in token
    assert token.count(".") == 2


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            [
                "stir",
                "verify",
                "--identity",
                "x",
                "--orig",
                "1",
                "--dest",
                "2",
                "--certs",
                "/nonexistent-dir",
            ],
            "no certificate index",
        ),
        (
            [
                "stir",
                "sign",
                "--key",
                "/nonexistent.pem",
                "--orig",
                "+33123456789",
                "--dest",
                "+33612345678",
            ],
            "cannot read a PEM private key",
        ),
        (["stir", "make-test-pki", "{tmp}", "--url", "http://x.test/a.pem"], "https"),
        (["stir", "make-test-pki", "{tmp}", "--tn-range", "3312-1000"], "START:COUNT"),
    ],
)
def test_usage_errors_exit_2_with_a_fix(args: list[str], words: str, tmp_path: Path) -> None:
    target = tmp_path / "pki"
    result = runner.invoke(make_app(), [arg.format(tmp=target) for arg in args])
    assert result.exit_code == 2
    assert words in result.output
    assert not target.exists()  # refused before writing anything


def test_bad_time_and_attest_are_refused(pki: Path) -> None:
    base = [
        "stir",
        "sign",
        "--key",
        str(pki / "sp-key.pem"),
        "--orig",
        "+33123456789",
        "--dest",
        "+33612345678",
    ]
    bad_time = runner.invoke(make_app(), [*base, "--at", "yesterday"])
    assert bad_time.exit_code == 2
    assert "ISO 8601" in bad_time.output
    bad_attest = runner.invoke(make_app(), [*base, "--attest", "D"])
    assert bad_attest.exit_code == 2
    assert "A, B or C" in bad_attest.output


def test_help_has_examples() -> None:
    for command in ("verify", "sign", "make-test-pki"):
        result = runner.invoke(make_app(), ["stir", command, "--help"])
        assert result.exit_code == 0
        assert "Examples" in result.output
