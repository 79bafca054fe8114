#!/usr/bin/env python3
"""Writes the seed corpora of records_fuzz (fuzz/corpus/records/) and gzip_fuzz (fuzz/corpus/gzip/).

Deterministic (fixed gzip mtime), small (a few KB in all): real-looking CloudTrail envelopes and NDJSON lines,
pretty-printed, escaped, truncated and otherwise damaged variants; gzip members, several members, truncated and
corrupted ones. Run from anywhere: python3 fuzz/make_corpus.py
"""
import gzip
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def record(i, source="kms.amazonaws.com", name="DisableKey"):
    return {
        "eventVersion": "1.08",
        "userIdentity": {"type": "AssumedRole", "principalId": "AROAEXAMPLE:alice", "accountId": "111122223333",
                         "arn": "arn:aws:sts::111122223333:assumed-role/Admin/alice"},
        "eventTime": "2024-06-03T12:%02d:07Z" % (i % 60),
        "eventSource": source,
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.%d" % (i + 1),
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "pendingWindowInDays": 7},
        "responseElements": None,
        "resources": [{"ARN": "arn:aws:kms:us-east-1:111122223333:key/1234abcd", "type": "AWS::KMS::Key",
                       "accountId": "111122223333"}],
        "readOnly": False,
        "eventID": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f%d" % (i % 10),
        "recipientAccountId": "111122223333",
    }


def envelope(records, **kw):
    return json.dumps({"Records": records}, **kw).encode()


def gz(data):
    return gzip.compress(data, mtime=0)


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def main():
    recs = [record(0), record(1, "s3.amazonaws.com", "GetObject"), record(2, name="ScheduleKeyDeletion")]
    compact = envelope(recs, separators=(",", ":"))
    pretty = envelope(recs, indent=2)
    ndjson = b"".join(json.dumps(r, separators=(",", ":")).encode() + b"\n" for r in recs)
    records_dir = os.path.join(HERE, "corpus", "records")
    seeds = {
        "envelope-compact": compact,
        "envelope-pretty": pretty,
        "envelope-one": envelope([record(5)], separators=(",", ":")),
        "envelope-empty": b'{"Records":[]}',
        "envelope-two": compact + b"\n" + envelope([record(9)], separators=(",", ":")),
        "envelope-bom": b"\xef\xbb\xbf" + envelope([record(3)]),
        "envelope-truncated": compact[: len(compact) * 2 // 3],
        "envelope-non-object": b'{"Records":[1,"x",null,{"eventName":"DisableKey"},[]]}',
        "envelope-wrong-key": b'{"records":[{"eventName":"DisableKey"}]}',
        "envelope-two-records-keys": b'{"Records":[{"a":1}],"Records":[{"a":2}]}',
        "envelope-trailing": compact + b"garbage",
        "bare-array": json.dumps(recs[:1]).encode(),
        "ndjson": ndjson,
        "ndjson-crlf-blank": ndjson.replace(b"\n", b"\r\n") + b"\r\n\r\n   \n",
        "ndjson-bad-line": ndjson + b'{"eventName":"DisableKey",\n{"a":1} trailing\n[1,2]\n',
        "ndjson-no-final-newline": ndjson.rstrip(b"\n"),
        "escaped": (b'{"eventSource":"kms.amazon\\u0061ws.com","eventName":"Disable\\u004bey",'
                    b'"userIdentity":{"type":"Ro\\"ot\\\\"},"x":"\\ud83d\\ude00","resources":[{"ARN":"a\\/b"}]}\n'),
        "duplicate-keys": b'{"eventName":"A","eventName":"DisableKey","resources":[{"ARN":"x","ARN":"y"}]}\n',
        "numbers": (b'{"a":[[{"b":1e400}],[{"b":-0}],[{"b":-1.5E-3}]],"requestParameters":{"n":123456789012345678901234,'
                    b'"t":true,"f":false,"z":null,"o":{},"e":[]}}\n'),
        "invalid-utf8": b'{"eventName":"Disable\xffKey","eventSource":"kms.amazonaws.com"}\n',
        "nul-bytes": b'{"eventName":"Disable\x00Key"}\n\x00\x00{"a":1}\n',
        "deep": b'{"a":' + b"[" * 300 + b"]" * 300 + b"}\n",
        "not-json": b"<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code></Error>",
        "blank": b" \n\t\r\n",
        "unclosed-string": b'{"eventName":"DisableKey\n',
    }
    for name, data in seeds.items():
        write(records_dir, name, data)

    gzip_dir = os.path.join(HERE, "corpus", "gzip")
    one = gz(compact)
    gseeds = {
        "one-member": one,
        "ndjson": gz(ndjson),
        "two-members": gz(compact[:200]) + gz(compact[200:]),
        "empty-member": gz(b""),
        "truncated": one[: len(one) // 2],
        "truncated-header": one[:6],
        "truncated-trailer": one[:-3],
        "bad-crc": one[:-8] + bytes([one[-8] ^ 0x5A]) + one[-7:],
        "bad-length": one[:-4] + bytes([one[-4] ^ 0x01]) + one[-3:],
        "trailing-garbage": one + b"GARBAGE\n",
        "trailing-one-byte": one + b"\x1f",
        "trailing-zeros": one + b"\x00" * 16,
        "plain-json": compact,
        "plain-ndjson": ndjson,
        "stored-block": gzip.compress(envelope([record(4)]), compresslevel=0, mtime=0),
        "fname-header": (b"\x1f\x8b\x08\x08\x00\x00\x00\x00\x00\x03log.json\x00" + one[10:]),
    }
    for name, data in gseeds.items():
        write(gzip_dir, name, data)
    total = sum(os.path.getsize(os.path.join(d, f)) for d in (records_dir, gzip_dir) for f in os.listdir(d))
    print("wrote %d + %d seeds, %d bytes" % (len(seeds), len(gseeds), total))


if __name__ == "__main__":
    main()
