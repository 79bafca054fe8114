#!/usr/bin/env python3
"""End-to-end: a hostile corpus, built in a temporary directory at test time (nothing large is committed).

A few good files with known records and matches (a .json.gz envelope, a pretty .json, an NDJSON file, a file whose
path has spaces and non-ASCII characters, one whose name is not UTF-8, a two-member gzip, plain JSON named .json.gz, an
empty envelope, duplicate keys, extreme numbers and a 100 MB single record) sit beside damaged and hostile ones: gzip
truncated at several offsets, a bad CRC, trailing garbage, an empty file, wrong envelopes, JSON cut mid-record,
invalid UTF-8 (in the content, and in a file name), NUL bytes, nesting 100,000 levels deep, a directory symlink loop, a
FIFO and an unreadable file. A second, small tree and stdin hold gzip bombs and over-long records, scanned with
--max-inflated-size 10M.

Expected: exit 2; every bad file in input.errors exactly once with a one-line reason; the good files' records,
matches, datapoints and matched records exact; the report and --matches strictly UTF-8 JSON whatever the file names
(bytes that are not UTF-8 become U+FFFD); no crash; done within a generous timeout; the same report with the
portable kernel (TRAILWATCH_KERNEL=fallback) and at most the AVX2 one (=haswell); a bomb stops at the limit, named with it. The unreadable-file check is
skipped as root (root reads a chmod 000 file).

The single record is 100 MB (about 6 s of this test in Release, about as much under ASan), or
TRAILWATCH_E2E_BIG_RECORD_MB megabytes: tools/valgrind_e2e.sh sets 20, since valgrind is tens of times slower.

What this pins down (docs/design.md "Reading input"): the records of a file that fails (a broken envelope, a damaged
gzip stream) are not counted, not even those before the damage; an NDJSON file with bad lines keeps its good lines
and is listed in input.errors with the count of bad lines.
"""
import gzip
import json
import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import write, Suite, find_rule, json_differences, num, path_listed, tail  # noqa: E402

ACCOUNT = "111122223333"
TIMEOUT = 120
BIG_RECORD_MB = int(os.environ.get("TRAILWATCH_E2E_BIG_RECORD_MB", "100"))
LIMIT = "10M"  # --max-inflated-size for the bombs: small, so that the test is fast
LIMIT_TEXT = "10 MiB"


def record(minute, name="GetObject", source="s3.amazonaws.com", **extra):
    r = {"eventVersion": "1.08", "userIdentity": {"type": "IAMUser", "accountId": ACCOUNT, "userName": "alice"},
         "eventTime": "2024-06-03T%02d:%02d:07Z" % (minute // 60, minute % 60), "eventSource": source,
         "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.7",
         "userAgent": "aws-cli/2.15.0", "requestParameters": None, "responseElements": None,
         "eventID": "id-%d-%s" % (minute, name), "readOnly": False, "recipientAccountId": ACCOUNT}
    r.update(extra)
    return r


def kms(minute, name="DisableKey", **extra):
    return record(minute, name, "kms.amazonaws.com", **extra)


def envelope(records, **kw):
    return json.dumps({"Records": records}, separators=(",", ":"), **kw).encode()


def ndjson(records):
    return b"".join(json.dumps(r, separators=(",", ":")).encode() + b"\n" for r in records)


def shown(name):
    """How the report names a file: bytes that are not UTF-8 become U+FFFD (Python's "replace" substitutes maximal
    subparts, as trailwatch does)."""
    return os.fsencode(name).decode("utf-8", "replace")


def gzip_bomb(header, filler, count, trailer):
    """One gzip member holding header + filler * count + trailer, built without ever holding the inflated text:
    the filler is compressed once between two full flushes, which make its deflate blocks independent of what
    precedes them, so its compressed bytes can simply be repeated."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(header) + c.flush(zlib.Z_FULL_FLUSH)
    body = c.compress(filler) + c.flush(zlib.Z_FULL_FLUSH)
    end = c.compress(trailer) + c.flush()
    crc = zlib.crc32(header)
    for _ in range(count):
        crc = zlib.crc32(filler, crc)
    crc = zlib.crc32(trailer, crc)
    size = len(header) + len(filler) * count + len(trailer)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + head + body * count + end +
            struct.pack("<II", crc, size & 0xFFFFFFFF))


def main():
    s = Suite(__doc__)
    root = os.path.join(s.tmp, "hostile")
    d = os.path.join(root, "AWSLogs", ACCOUNT, "CloudTrail", "us-east-1", "2024", "06", "03")

    # ---- good files: (relative path, bytes, records, match minutes) ---------------------------------------------
    good = []

    def add_good(name, data, records, matches):
        write(os.path.join(d, name), data)
        good.append((name, records, matches))

    base = [record(0), kms(1), record(2), kms(3, "ScheduleKeyDeletion"), record(4)]
    base_json = envelope(base)
    add_good("good_envelope.json.gz", gzip.compress(base_json, mtime=0), 5, [1, 3])
    add_good("good_pretty.json", json.dumps({"Records": [kms(20), record(21)]}, indent=4).encode(), 2, [20])
    add_good("good lines é ü 日本.ndjson", ndjson([record(30), kms(31)]), 2, [31])
    add_good("good_two_members.json.gz",
             gzip.compress(base_json[:123], mtime=0) + gzip.compress(base_json[123:], mtime=0), 5, [1, 3])
    add_good("good_plain_named_gz.json.gz", envelope([kms(40), record(41)]), 2, [40])
    add_good("good_empty_envelope.json", b'{"Records":[]}', 0, [])
    add_good("good_bare_array.json", json.dumps([kms(81)]).encode(), 1, [81])  # how some tools export records
    # duplicate keys: the last one wins (a match that starts as GetObject, and one the other way round)
    add_good("good_duplicate_keys.json",
             b'{"Records":[' + json.dumps(kms(50))[:-1].encode() + b',"eventName":"GetObject"},' +
             json.dumps(record(51))[:-1].encode() + b',"eventName":"DisableKey","eventSource":"kms.amazonaws.com"}]}',
             2, [51])
    add_good("good_numbers.json",
             b'{"Records":[' + json.dumps(kms(60))[:-1].encode() + b',"n":1e400,"z":-0,"big":123456789012345678901234567890,'
             b'"tiny":-1.5e-400}]}', 1, [60])
    big = kms(70, requestParameters={"blob": "x" * (BIG_RECORD_MB * 1000 * 1000)})
    add_good("good_%dMB_record.json" % BIG_RECORD_MB, envelope([big]), 1, [70])
    del big
    # a name that is not UTF-8 (Linux allows any bytes): the report names it with U+FFFD and stays valid JSON
    add_good(os.fsdecode(b"good_name_\xff\xfe_\xe6\x97.json"), envelope([kms(100)]), 1, [100])
    # NDJSON with one line of invalid UTF-8: only that line fails; the file is listed in input.errors (with the
    # number of bad lines) and its other lines count, so it is "good" for the numbers and "bad" for the errors
    add_good("mixed_bad_utf8_line.ndjson", ndjson([kms(32)]).replace(b"alice", b"al\xffce") + ndjson([kms(33)]),
             1, [33])
    expected_records = sum(g[1] for g in good)
    expected_minutes = sorted(m for g in good for m in g[2])

    # ---- damaged and hostile files: name -> bytes ---------------------------------------------------------------
    bad = {}
    donor = gzip.compress(base_json, mtime=0)
    for at in (1, 2, 9, 10, len(donor) // 2, len(donor) - 8, len(donor) - 1):
        bad["bad_truncated_at_%d.json.gz" % at] = donor[:at]
    bad["bad_crc.json.gz"] = donor[:-8] + bytes([donor[-8] ^ 0x5A]) + donor[-7:]
    bad["bad_length.json.gz"] = donor[:-4] + bytes([donor[-4] ^ 0x01]) + donor[-3:]
    bad["bad_trailing_garbage.json.gz"] = donor + b"GARBAGE AFTER THE MEMBER\n"
    bad["bad_trailing_zeros.json.gz"] = donor + b"\x00" * 512
    bad["bad_empty.json.gz"] = b""
    bad["bad_empty.json"] = b""
    bad["bad_lowercase_records.json"] = b'{"records":' + json.dumps([kms(80)]).encode() + b"}"
    cut = base_json.index(b'{"eventVersion"', base_json.index(b"ScheduleKeyDeletion")) + 40
    bad["bad_cut_mid_record.json.gz"] = gzip.compress(base_json[:cut], mtime=0)  # 4 whole records before the cut
    bad["bad_invalid_utf8.json"] = envelope([kms(82)]).replace(b"alice", b"al\xff\xfece")
    bad["bad_nul_bytes.json"] = envelope([kms(83)]).replace(b'"Records"', b'\x00"Records"', 1)
    bad["bad_all_nul.json.gz"] = b"\x00" * 4096
    bad["bad_nul_between_records.json"] = envelope([kms(84), kms(85)]).replace(b"},{", b"},\x00{", 1)
    deep = 100000
    bad["bad_deep_nesting.json"] = (b'{"Records":[' + json.dumps(kms(86))[:-1].encode() + b',"deep":' +
                                    b"[" * deep + b"]" * deep + b"}]}")
    bad["bad_deep_nesting.ndjson"] = b'{"a":' + b"[" * deep + b"]" * deep + b"}\n"
    bad["bad_control_char_in_skipped_string.json"] = envelope([kms(87, note="a\u0000b")]).replace(b"\\u0000", b"\x00")
    bad["bad_not_json.json"] = b"<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>"
    bad[os.fsdecode(b"bad_name_\xff\xfe.json.gz")] = donor[:len(donor) // 2]
    bad[os.fsdecode(b"bad_name_\x1b[31m_\xc3.json")] = b"{"  # and a control character
    for name, data in bad.items():
        write(os.path.join(d, name), data)
    unreadable = os.path.join(d, "bad_unreadable.json")
    write(unreadable, envelope([kms(90)]))
    os.chmod(unreadable, 0)
    as_root = os.geteuid() == 0
    if as_root:
        s.note("running as root: a chmod 000 file is readable, so the unreadable-file check is skipped and the file "
               "is removed")
        os.unlink(unreadable)
    else:
        bad["bad_unreadable.json"] = None

    # ---- things the walk must pass over ------------------------------------------------------------------------
    loop_dir = os.path.join(root, "loop")
    os.makedirs(loop_dir)
    os.symlink("..", os.path.join(loop_dir, "up"))  # a symlink loop: loop/up -> root
    os.symlink(loop_dir, os.path.join(loop_dir, "self"))
    os.mkfifo(os.path.join(d, "a_fifo.json.gz"))

    def check_doc(doc, label):
        inp = doc.get("input") or {}
        errors = inp.get("errors") or []
        for name in bad:
            listed = [e for e in errors if path_listed([e], shown(name))]
            msg = str(listed[0].get("error", "")) if len(listed) == 1 else ""
            s.check(len(listed) == 1 and msg.strip() and "\n" not in msg,
                    "%s: input.errors lists %s once with a one-line reason" % (label, name),
                    "entries: %r" % listed)
        for name, _, _ in good:
            if name.startswith("mixed_"):
                listed = [e for e in errors if path_listed([e], name)]
                s.check(len(listed) == 1 and "1 record could not be read" in str(listed[0].get("error")),
                        "%s: %s is listed once, with its one bad line" % (label, name), repr(listed))
                continue
            s.check(not path_listed(errors, shown(name)), "%s: the good file %a is not an error" % (label, name),
                    repr([e for e in errors if path_listed([e], shown(name))]))
        s.check(any(str(e.get("path")).endswith("/bad_name_\ufffd\ufffd.json.gz") for e in errors) and
                any(str(e.get("path")).endswith("/bad_name_\x1b[31m_\ufffd.json") for e in errors),
                "%s: file names that are not UTF-8 are listed with U+FFFD for each bad byte" % label,
                ascii([e.get("path") for e in errors if "bad_name" in str(e.get("path"))]))
        s.equal(len(errors), len(bad) + 1, "%s: input.errors has one entry per bad file (and the mixed one)" % label)
        s.equal(inp.get("partial"), True, "%s: input.partial" % label)
        s.equal(num(inp.get("records")), expected_records, "%s: input.records = the good files' records" % label)
        # (bad files may warn too: one byte of gzip magic is not gzip, so it is read as plain text and warned about)
        good_names = set(shown(g[0]) for g in good)
        warned = sorted(os.path.basename(str(w.get("path"))) for w in inp.get("warnings") or []
                        if os.path.basename(str(w.get("path"))) in good_names)
        s.equal(warned, sorted(["good_two_members.json.gz", "good_plain_named_gz.json.gz"]),
                "%s: warnings for the two-member gzip and the plain file named .json.gz, no other good file" % label)
        skipped = inp.get("skipped") or {}
        s.check(num(skipped.get("symlink", 0)) >= 2 and num(skipped.get("not_regular", 0)) == 1,
                "%s: symlink loop skipped, FIFO skipped (not opened)" % label, "skipped: %r" % skipped)
        rule = find_rule(doc)
        if s.check(rule is not None, "%s: the default rule is reported" % label):
            s.equal(num(rule.get("matched_events")), len(expected_minutes), "%s: matched_events" % label)
            s.equal(num(rule.get("matched_oversize")), 1, "%s: matched_oversize (the %d MB record)" % (
                label, BIG_RECORD_MB))
        return errors

    matches_path = os.path.join(s.tmp, "matches.ndjson")
    proc = s.run(["scan", "--format", "json", "--threads", "2", "--matches", matches_path, root], timeout=TIMEOUT,
                 label="hostile corpus scan")
    doc = None
    if proc is not None:
        s.check(proc.returncode == 2, "hostile corpus: exit code 2", "got %d; stderr:\n%s" % (
            proc.returncode, tail(proc.stderr)))
        s.check(proc.returncode >= 0, "hostile corpus: no crash (no signal)", "signal %d" % -proc.returncode)
        try:
            doc = json.loads(proc.stdout.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as e:
            s.check(False, "hostile corpus: stdout is one JSON document", "%s\n%s" % (e, tail(proc.stderr)))
    if doc is not None:
        errors = check_doc(doc, "hostile corpus")
        for e in sorted(errors, key=lambda e: str(e.get("path"))):
            print("  error: %a: %s" % (os.path.basename(str(e.get("path"))), e.get("error")))
        matched = None
        try:
            with open(matches_path, encoding="utf-8") as f:
                text = f.read()
            # One JSON value after another; whether each is on one line is checked apart below.
            decoder, pos, matched = json.JSONDecoder(), 0, []
            while text[pos:].strip():
                while text[pos].isspace():
                    pos += 1
                value, pos = decoder.raw_decode(text, pos)
                matched.append(value)
        except (OSError, ValueError, RecursionError) as e:
            matched = None
            s.check(False, "--matches file is a sequence of JSON values", str(e))
        if matched is not None:
            lines = [line for line in text.split("\n") if line.strip()]
            s.equal(len(lines), len(matched),
                    "--matches is NDJSON: one line per matched record, pretty-printed input included")
        if matched is not None:
            def minute_of(m):
                rec = m.get("record", m) if isinstance(m, dict) else {}
                t = str(rec.get("eventTime", ""))
                return int(t[11:13]) * 60 + int(t[14:16]) if len(t) >= 16 else None
            s.equal(sorted(minute_of(m) for m in matched), expected_minutes,
                    "--matches holds exactly the good files' matched records")
            files = [str(m.get("file")) for m in matched if minute_of(m) == 100]
            s.check(len(files) == 1 and files[0].endswith("/good_name_\ufffd\ufffd_\ufffd.json"),
                    "--matches names a file whose name is not UTF-8 with U+FFFD", ascii(files))

    # the same scan with the portable kernel, and with at most the AVX2 one (where the AVX-512 one would run):
    # the same report
    for capped in ("fallback", "haswell"):
        os.environ["TRAILWATCH_KERNEL"] = capped
        try:
            doc_fb = s.scan_json(["--threads", "1", root], "hostile corpus, TRAILWATCH_KERNEL=" + capped,
                                 timeout=TIMEOUT, expect_exit=2)
        finally:
            del os.environ["TRAILWATCH_KERNEL"]
        if doc is None or doc_fb is None:
            continue
        check_doc(doc_fb, capped + " kernel")
        volatile = ("seconds", "kernel", "threads")  # what may differ between the two runs
        diffs = [x for x in json_differences(doc, doc_fb, limit=50)
                 if x.split(":")[0].rsplit(".", 1)[-1] not in volatile]
        kernel = doc_fb.get("input", {}).get("kernel")
        expected = ("fallback",) if capped == "fallback" else ("haswell", "fallback")  # a CPU without AVX2
        s.check(kernel in expected, "%s kernel: input.kernel says %s" % (capped, " or ".join(expected)),
                "got %r" % kernel)
        s.check(not diffs, "%s kernel: the same report as the default kernel" % capped, "\n".join(diffs))

    # each bad file alone, named on the command line: exit 2, listed
    for name in ("bad_crc.json.gz", "bad_deep_nesting.json", "bad_cut_mid_record.json.gz"):
        one = s.scan_json([os.path.join(d, name)], "%s alone" % name, timeout=TIMEOUT, expect_exit=2)
        if one is not None:
            inp = one.get("input") or {}
            s.check(path_listed(inp.get("errors"), name) and num(inp.get("records")) == 0,
                    "%s alone: listed, no record counted" % name, repr(inp.get("errors")))
    check_limits(s)
    return s.finish()


def check_limits(s):
    """--max-inflated-size: gzip bombs and over-long records fail, named with the limit, and the rest is read."""
    d = os.path.join(s.tmp, "limits")
    # A bomb of 1 GiB of blanks inside a valid envelope, in about 1 MB: without a limit it is a good, empty file.
    bomb = gzip_bomb(b'{"Records":[', b" " * (1 << 20), 1024, b"]}")
    small = gzip_bomb(b'{"Records":[', b" " * 1000, 3, b"]}")
    s.equal(gzip.decompress(small), b'{"Records":[' + b" " * 3000 + b"]}", "the bomb builder makes valid gzip")
    write(os.path.join(d, "bomb.json.gz"), bomb)
    write(os.path.join(d, "too_big_plain.json"), envelope([kms(110, requestParameters={"blob": "x" * (11 << 20)})]))
    write(os.path.join(d, "fits.json.gz"), gzip.compress(
        envelope([kms(111, requestParameters={"blob": "x" * (9 << 20)})]), mtime=0))
    write(os.path.join(d, "small.json.gz"), gzip.compress(envelope([kms(112), record(113)]), mtime=0))
    doc = s.scan_json(["--max-inflated-size", LIMIT, d], "bombs, --max-inflated-size " + LIMIT, timeout=TIMEOUT,
                      expect_exit=2)
    if doc is not None:
        inp = doc.get("input") or {}
        errors = {os.path.basename(str(e.get("path"))): e.get("error") for e in inp.get("errors") or []}
        s.equal(errors, {"bomb.json.gz": "inflates past the %s limit (--max-inflated-size)" % LIMIT_TEXT,
                         "too_big_plain.json": "larger than the %s limit (--max-inflated-size)" % LIMIT_TEXT},
                "bombs: the bomb and the plain file past the limit fail, naming it")
        s.equal(num(inp.get("records")), 3, "bombs: the files within the limit are read")
        rule = find_rule(doc)
        s.equal(num((rule or {}).get("matched_events")), 2, "bombs: their matches count")

    # stdin is read in pieces: there the limit bounds one record or envelope
    long_line = b'{"pad":"' + b"y" * (20 << 20) + b'"}\n'
    doc = s.scan_json(["--max-inflated-size", LIMIT, "-"], "stdin NDJSON with a 20 MB line", timeout=TIMEOUT,
                      expect_exit=2, stdin_bytes=ndjson([kms(120)]) + long_line + ndjson([kms(121), record(122)]))
    if doc is not None:
        inp = doc.get("input") or {}
        s.equal([e.get("error") for e in inp.get("errors") or []],
                ["a line longer than the %s limit (--max-inflated-size); skipped" % LIMIT_TEXT],
                "stdin NDJSON: the over-long line is skipped, named with the limit")
        s.equal(num(inp.get("records")), 3, "stdin NDJSON: the lines around it are read")
    doc = s.scan_json(["--max-inflated-size", LIMIT, "-"], "stdin gzip bomb", timeout=TIMEOUT, expect_exit=2,
                      stdin_bytes=bomb)
    if doc is not None:
        s.equal([e.get("error") for e in (doc.get("input") or {}).get("errors") or []],
                ["an envelope larger than the %s limit (--max-inflated-size); the rest of the stream is not read"
                 % LIMIT_TEXT], "stdin gzip bomb: stops at the limit, named with it")

    # the flag takes sizes with suffixes (powers of 1024) and refuses nonsense
    for value in ("512M", "4G", "10MiB", "1048576"):
        s.scan_json(["--max-inflated-size", value, os.path.join(d, "small.json.gz")],
                    "--max-inflated-size %s" % value, timeout=TIMEOUT)
    for value in ("0", "lots", "-5", "3X"):
        proc = s.run(["scan", "--max-inflated-size", value, os.path.join(d, "small.json.gz")], timeout=TIMEOUT)
        if proc is not None:
            s.equal(proc.returncode, 64, "--max-inflated-size %s is a usage error" % value)


if __name__ == "__main__":
    sys.exit(main())
