#!/usr/bin/env python3
"""Checks Tests/PersistenceTests/Fixtures/constraint-cases.json against Migrations/*.sql.

Usage: python3 scripts/check-constraint-cases.py [-v]

Applies every migration to an in-memory database (each file in its own transaction, foreign keys
on, as the migrator does), then runs each case the way the Swift test does: in a transaction that
is rolled back, `setup` statements must succeed, `statement` must fail with the expected kind of
constraint ("CHECK", "UNIQUE", "FOREIGN KEY", "NOT NULL") or succeed ("OK"), and for OK cases with
`verify`, that query's single value must equal `verify_equals`. Exits 1 on any mismatch.
"""
import json
import pathlib
import sqlite3
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CASES = ROOT / "Tests/PersistenceTests/Fixtures/constraint-cases.json"
MESSAGES = {
    "CHECK": "CHECK constraint failed",
    "UNIQUE": "UNIQUE constraint failed",
    "FOREIGN KEY": "FOREIGN KEY constraint failed",
    "NOT NULL": "NOT NULL constraint failed",
}


def migrated_database():
    db = sqlite3.connect(":memory:", isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    for path in sorted((ROOT / "Migrations").glob("[0-9][0-9][0-9][0-9]_*.sql")):
        db.execute("BEGIN")
        try:
            sql = path.read_text(encoding="utf-8")
            for statement in split_statements(sql):
                db.execute(statement)
            db.execute("COMMIT")
        except sqlite3.Error as error:
            sys.exit(f"{path.name}: {error}")
    return db


def split_statements(sql):
    """Splits a script into complete statements with sqlite3.complete_statement."""
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current)
            current = ""
    if current.strip() and not all(l.strip().startswith("--") or not l.strip() for l in current.splitlines()):
        statements.append(current)
    return statements


def validate_shape(cases):
    problems, names = [], set()
    if not isinstance(cases, list):
        return ["the fixture must be a JSON array"]
    for index, case in enumerate(cases):
        where = f"case #{index} ({case.get('name', '?')})"
        for key, kind in (("name", str), ("setup", list), ("statement", str), ("expect", str)):
            if not isinstance(case.get(key), kind):
                problems.append(f"{where}: `{key}` must be a {kind.__name__}")
        if case.get("expect") not in (*MESSAGES, "OK"):
            problems.append(f"{where}: unknown expect {case.get('expect')!r}")
        if ("verify" in case) != ("verify_equals" in case):
            problems.append(f"{where}: `verify` and `verify_equals` go together")
        if "verify" in case and case.get("expect") != "OK":
            problems.append(f"{where}: `verify` is only for OK cases")
        if case.get("name") in names:
            problems.append(f"{where}: duplicate name")
        names.add(case.get("name"))
    return problems


def run(db, case):
    """Returns None when the case behaves as expected, else a description of what happened."""
    db.execute("BEGIN")
    try:
        for statement in case["setup"]:
            try:
                db.execute(statement)
            except sqlite3.Error as error:
                return f"setup failed: {error}\n    in: {statement}"
        expect = case["expect"]
        try:
            db.execute(case["statement"])
        except sqlite3.Error as error:
            if expect != "OK" and str(error).startswith(MESSAGES[expect]):
                return None
            return f"expected {expect}, got error: {error}"
        if expect != "OK":
            return f"expected {expect} failure, but the statement succeeded"
        if "verify" in case:
            value = db.execute(case["verify"]).fetchone()[0]
            if value != case["verify_equals"]:
                return f"verify returned {value!r}, expected {case['verify_equals']!r}"
        return None
    finally:
        db.execute("ROLLBACK")


def main():
    verbose = "-v" in sys.argv[1:]
    cases = json.loads(CASES.read_text(encoding="utf-8"))
    problems = validate_shape(cases)
    if problems:
        print("\n".join(problems))
        return 1
    db = migrated_database()
    failures = 0
    for case in cases:
        outcome = run(db, case)
        if outcome is None:
            if verbose:
                print(f"ok    {case['expect']:<11} {case['name']}")
        else:
            failures += 1
            print(f"FAIL  {case['expect']:<11} {case['name']}\n    {outcome}")
        # Each case must leave the database empty (the setup is rolled back).
        leftover = db.execute(
            "SELECT group_concat(name) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchone()[0]
        for table in leftover.split(","):
            if db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]:
                print(f"FAIL  rows left in {table} after {case['name']}")
                failures += 1
                break
    counts = {}
    for case in cases:
        counts[case["expect"]] = counts.get(case["expect"], 0) + 1
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
    print(f"{len(cases)} cases ({summary}); {failures} failing; sqlite {sqlite3.sqlite_version}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
