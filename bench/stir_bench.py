"""Benchmark: STIR/SHAKEN verifications per second on one core.

Run by hand (figures go to bench/README.md under "STIR/SHAKEN verification"):

    .venv/bin/python bench/stir_bench.py --calls 20000

What is timed: `verify_identity` on real ES256 tokens from a test PKI (root, intermediate,
signing certificate), each call with its own caller, callee and token, as a verifier sees them:

- `passed, new numbers`: full verification (parse, claims, freshness, numbers, cached chain,
  ES256), with libphonenumber's parse cache emptied first, so both numbers are parsed;
- `passed`: the same calls again, numbers already parsed (as after the screener read them);
- `bad signature`: the same work, the signature fails at the end;
- `orig mismatch`: stops before the certificate and the signature;
- `no header`: the 428 path;
- `cold chain`: a new store per call, so the chain (two signature checks) is validated too;
- `ES256 only`: the signature check alone (`verify_es256` on decoded tokens), for reference.

The process is pinned to one CPU when the OS allows it. Tokens are signed before timing.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime

from ringfence.domain import numbers
from ringfence.stir import CertificateStore, build_identity_header, sign_passport, verify_identity
from ringfence.stir.jws import decode_compact_jws, verify_es256
from ringfence.stir.testpki import load_private_key, write_test_pki


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20000, help="Verifications per scenario.")
    args = parser.parse_args()
    pinned = _pin_one_cpu()
    now = datetime.now(UTC).replace(microsecond=0)
    with tempfile.TemporaryDirectory() as directory:
        pki = write_test_pki(directory, now=now)
        store = CertificateStore.from_directory(directory)
        key = load_private_key(pki.key_path)
        calls = []
        for i in range(args.calls):
            orig = f"+331{i % 100_000_000:08d}"
            dest = f"+336{(i * 7919) % 100_000_000:08d}"
            token = sign_passport(key=key, x5u=pki.url, orig=orig, dest=dest, iat=now)
            calls.append((build_identity_header(token), orig, dest))
        pem = pki.chain_path.read_bytes()
        anchor = pki.root_path.read_bytes()

    def passed(header: str, orig: str, dest: str) -> bool:
        return verify_identity(header, orig=orig, dest=dest, now=now, certs=store).passed

    def bad_signature(header: str, orig: str, dest: str) -> bool:
        token, _, params = header.partition(";")
        flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
        result = verify_identity(f"{flipped};{params}", orig=orig, dest=dest, now=now, certs=store)
        return result.failure is not None and result.failure.value == "bad_signature"

    def orig_mismatch(header: str, orig: str, dest: str) -> bool:
        result = verify_identity(header, orig="+33999999999", dest=dest, now=now, certs=store)
        return result.sip_code == 438

    def no_header(header: str, orig: str, dest: str) -> bool:
        return verify_identity(None, orig=orig, dest=dest, now=now, certs=store).sip_code == 428

    def cold_chain(header: str, orig: str, dest: str) -> bool:
        fresh = CertificateStore()
        fresh.trust(anchor)
        fresh.add(pki.url, pem)
        return verify_identity(header, orig=orig, dest=dest, now=now, certs=fresh).passed

    chain = store.resolve(pki.url, now)
    decoded = {h: decode_compact_jws(h.partition(";")[0]) for h, _, _ in calls}

    def es256_only(header: str, orig: str, dest: str) -> bool:
        jws = decoded[header]
        return verify_es256(chain.public_key, jws.signing_input, jws.signature)

    scenarios: list[tuple[str, Callable[[str, str, str], bool], int]] = [
        ("passed, new numbers", passed, len(calls)),
        ("passed", passed, len(calls)),
        ("bad signature", bad_signature, len(calls)),
        ("orig mismatch", orig_mismatch, len(calls)),
        ("no header", no_header, len(calls)),
        ("cold chain", cold_chain, max(1, len(calls) // 10)),
        ("ES256 only", es256_only, len(calls)),
    ]
    print(f"python {platform.python_version()}, {platform.machine()}, pinned to one CPU: {pinned}")
    print(f"{'scenario':<20} {'calls':>7} {'seconds':>8} {'per second':>11} {'us/call':>8}")
    numbers._parse_cached.cache_clear()  # signing parsed every number: forget them
    for name, check, count in scenarios:
        subset = calls[:count]
        start = time.perf_counter()
        ok = sum(check(h, o, d) for h, o, d in subset)
        elapsed = time.perf_counter() - start
        if ok != count:
            raise SystemExit(f"{name}: {count - ok} call(s) gave an unexpected result")
        print(
            f"{name:<20} {count:>7} {elapsed:>8.2f} {count / elapsed:>11,.0f} "
            f"{elapsed / count * 1e6:>8.1f}"
        )


def _pin_one_cpu() -> bool:
    if not hasattr(os, "sched_setaffinity"):
        return False
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except OSError:
        return False
    return True


if __name__ == "__main__":
    main()
