#!/bin/sh
# Applies Migrations/*.sql to a fresh database the way the migrator does (each file in its own
# transaction, foreign keys on), then runs the integrity and foreign-key checks, loads the sample
# data set (scripts/schema-sample-data.sql) and prints the query plans of the hot queries.
# Usage: scripts/check-migrations.sh [DB]   (default: a temporary file, removed afterwards)
set -eu
cd "$(dirname "$0")/.."
db=${1:-$(mktemp /tmp/rdv-schema-XXXXXX.sqlite3)}
rm -f "$db"
for f in Migrations/[0-9][0-9][0-9][0-9]_*.sql; do
    { echo "PRAGMA foreign_keys=ON;"; echo "BEGIN;"; cat "$f"; echo "COMMIT;"; } \
        | sqlite3 -bail "$db" || { echo "FAILED: $f" >&2; exit 1; }
done
echo "tables: $(sqlite3 "$db" "SELECT count(*) FROM sqlite_schema WHERE type='table'")"
echo "indexes: $(sqlite3 "$db" "SELECT count(*) FROM sqlite_schema WHERE type='index' AND name NOT LIKE 'sqlite_%'")"
echo "integrity_check: $(sqlite3 "$db" 'PRAGMA integrity_check')"
fk=$(sqlite3 "$db" 'PRAGMA foreign_key_check')
[ -z "$fk" ] || { echo "foreign_key_check failed: $fk" >&2; exit 1; }
echo "foreign_key_check: ok"
# Every table is STRICT.
nonstrict=$(sqlite3 "$db" "SELECT name FROM pragma_table_list WHERE schema='main' AND type='table' AND strict=0 AND name NOT LIKE 'sqlite_%'")
[ -z "$nonstrict" ] || { echo "non-STRICT tables: $nonstrict" >&2; exit 1; }
echo "strict: every table"
# Every foreign key's child columns are the leading columns of some index.
missing=$(sqlite3 "$db" "
WITH fks AS (
  SELECT m.name AS tbl, group_concat(f.\"from\", ',') AS cols
  FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
  WHERE m.type = 'table' GROUP BY m.name, f.id),
idx AS (
  SELECT m.name AS tbl, il.name AS idx, il.\"unique\" AS uniq,
         (SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_index_info(il.name) ORDER BY seqno)) AS cols
  FROM sqlite_schema m, pragma_index_list(m.name) il
  WHERE m.type = 'table' AND il.partial = 0)
SELECT fks.tbl || '(' || fks.cols || ')' FROM fks
WHERE NOT EXISTS (SELECT 1 FROM idx WHERE idx.tbl = fks.tbl
                  AND (idx.cols = fks.cols OR substr(idx.cols, 1, length(fks.cols) + 1) = fks.cols || ','
                       -- a UNIQUE index led by the key's first column finds the few child rows too
                       -- (appointment_agents' copy of the schedule: UNIQUE (appointment_id, agent_id))
                       OR (idx.uniq AND instr(fks.cols, ',') > 0
                           AND substr(idx.cols || ',', 1, instr(fks.cols, ',')) = substr(fks.cols, 1, instr(fks.cols, ',')))));")
[ -z "$missing" ] || { echo "foreign keys without a leading index: $missing" >&2; exit 1; }
echo "fk indexes: every foreign key is covered"
sqlite3 -bail "$db" "PRAGMA foreign_keys=ON;" ".read scripts/schema-sample-data.sql"
echo "sample data: loaded"
echo "foreign_key_check after data: $(sqlite3 "$db" 'PRAGMA foreign_key_check' | wc -l) violations"
plans=$(sqlite3 "$db" ".read scripts/schema-hot-queries.sql")
echo "$plans" | grep 'SCAN ' && { echo "a hot query scans a table" >&2; exit 1; }
echo "hot queries: $(echo "$plans" | grep -c 'QUERY PLAN') plans, all index searches"
if [ $# -eq 0 ]; then rm -f "$db"; fi
