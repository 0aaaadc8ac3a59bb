"""`ringfence classify`: readable text, --json, --input JSON Lines with bad lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

SCAM = "ING: uw betaalpas wordt vandaag geblokkeerd. Bevestig direct via https://ing-pas-nl.top"


def run(cli: typer.Typer, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_text_prints_a_readable_verdict(cli: typer.Typer) -> None:
    code, out, _ = run(cli, "classify", SCAM)
    assert code == 0
    assert "SCAM" in out
    assert "sender_link_mismatch" in out
    assert "ing-pas-nl.top" in out


def test_json_output(cli: typer.Typer) -> None:
    code, out, _ = run(cli, "classify", "--json", SCAM)
    assert code == 0
    data = json.loads(out)
    assert data["is_scam"] is True
    assert data["language"] == "nl"
    assert data["indicators"]["urls"] == ["https://ing-pas-nl.top"]


def test_input_jsonl_with_bad_lines(cli: typer.Typer, tmp_path: Path) -> None:
    source = tmp_path / "messages.jsonl"
    source.write_text(
        "\n".join(
            [
                json.dumps({"id": "m1", "text": SCAM}),
                "this is not json",
                json.dumps({"id": 7, "text": "   "}),
                json.dumps({"id": "m3"}),
                json.dumps(["not", "an", "object"]),
                "",
                json.dumps(
                    {"id": "m4", "text": "See you at the cinema at 8, I'll get the tickets"}
                ),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, err = run(cli, "classify", "--input", str(source))
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [row.get("id") for row in lines] == ["m1", None, 7, None, None, "m4"]
    assert lines[0]["is_scam"] is True
    assert set(lines[0]) >= {"id", "type", "confidence", "indicators", "reasons", "language"}
    assert lines[1]["line"] == 2
    assert "not valid JSON" in lines[1]["error"]
    assert lines[2]["line"] == 3
    assert "empty" in lines[2]["error"]
    assert lines[3]["line"] == 4
    assert "missing field 'text'" in lines[3]["error"]
    assert lines[4]["line"] == 5
    assert lines[5]["type"] == "legitimate"
    assert "classified 2 message(s); 4 line(s) rejected" in err


def test_input_from_stdin(cli: typer.Typer) -> None:
    code, out, _ = run(
        cli, "classify", "--input", "-", stdin=json.dumps({"id": "x", "text": SCAM}) + "\n"
    )
    assert code == 0
    assert json.loads(out)["id"] == "x"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "either a TEXT"),
        (("some text", "--input", "x.jsonl"), "either a TEXT"),
        (("--input", "/no/such/file.jsonl"), "does not exist"),
        (("   ",), "empty"),
        (("hello", "--home-country", "XX"), "country"),
    ],
)
def test_usage_errors_exit_2_with_a_clear_message(
    cli: typer.Typer, args: tuple[str, ...], message: str
) -> None:
    code, _, err = run(cli, "classify", *args)
    assert code == 2
    assert message in err


def test_help_has_examples(cli: typer.Typer) -> None:
    code, out, _ = run(cli, "classify", "--help")
    assert code == 0
    assert "Examples" in out
    assert "--input" in out
