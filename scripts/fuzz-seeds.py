#!/usr/bin/env python3
"""Writes the raw requests of the llhttp fixtures as libFuzzer seeds (one file per http block).

Seeds need not be byte-exact: line ends become CRLF and the common escapes are decoded, which is
enough to start the fuzzer inside interesting grammar.
"""
import hashlib
import pathlib
import re
import sys

src, dest = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
dest.mkdir(parents=True, exist_ok=True)
count = 0
for md in sorted(src.glob("*.md")):
    for block in re.findall(r"```http\n(.*?)```", md.read_text(), re.S):
        raw = block.rstrip("\n").replace("\\\n", "").replace("\n", "\r\n")
        raw = raw.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\0", "\0")
        data = raw.encode("utf-8", "surrogateescape")
        (dest / hashlib.sha1(data).hexdigest()).write_bytes(data)
        count += 1
print(f"{count} seeds in {dest}")
