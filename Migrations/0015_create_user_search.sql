-- User search (domain.md §11 "Search"; issue 11 user files): an FTS5 index over the users who are
-- not deleted, accent- and case-insensitive. Columns in ranking order (bm25 weights them: last
-- name first, then first name, then birth name, then the others); the rowid is the user id.
-- `others` holds the e-mail, the phone's digits (as typed, E.164 and national "0…" form) and the
-- birth date as dd/mm/yyyy, yyyy-mm-dd and both compact forms, so "12/03/1980", "1980-03" and
-- "06 12 34" all match a prefix of a token sequence.
CREATE VIRTUAL TABLE user_search USING fts5(
    last_name, first_name, birth_name, others,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- The one definition of a user's search document, read by the triggers and the initial fill.
CREATE VIEW user_search_documents AS
SELECT
    id,
    last_name,
    first_name,
    coalesce(birth_name, '') AS birth_name,
    -- (no concat_ws: the system SQLite is 3.40)
    coalesce(email, '')
        || ' ' || coalesce(replace(replace(replace(replace(replace(
            phone_number, ' ', ''), '.', ''), '-', ''), '(', ''), ')', ''), '')
        || ' ' || coalesce(phone_number_formatted, '')
        || ' ' || CASE WHEN phone_number_formatted GLOB '+33*' THEN '0' || substr(phone_number_formatted, 4) ELSE '' END
        || ' ' || CASE WHEN birth_date IS NOT NULL THEN
            substr(birth_date, 9, 2) || '/' || substr(birth_date, 6, 2) || '/' || substr(birth_date, 1, 4)
            || ' ' || birth_date
            || ' ' || substr(birth_date, 9, 2) || substr(birth_date, 6, 2) || substr(birth_date, 1, 4)
            || ' ' || replace(birth_date, '-', '')
        ELSE '' END AS others
FROM users
WHERE deleted_at IS NULL;

INSERT INTO user_search (rowid, last_name, first_name, birth_name, others)
SELECT id, last_name, first_name, birth_name, others FROM user_search_documents;

CREATE TRIGGER user_search_after_insert AFTER INSERT ON users BEGIN
    INSERT INTO user_search (rowid, last_name, first_name, birth_name, others)
    SELECT id, last_name, first_name, birth_name, others FROM user_search_documents WHERE id = new.id;
END;

-- Only the searched columns (sign-in counters and timestamps change often and index nothing).
CREATE TRIGGER user_search_after_update
AFTER UPDATE OF id, first_name, last_name, birth_name, email, phone_number, phone_number_formatted, birth_date,
    deleted_at ON users BEGIN
    DELETE FROM user_search WHERE rowid = old.id;
    INSERT INTO user_search (rowid, last_name, first_name, birth_name, others)
    SELECT id, last_name, first_name, birth_name, others FROM user_search_documents WHERE id = new.id;
END;

CREATE TRIGGER user_search_after_delete AFTER DELETE ON users BEGIN
    DELETE FROM user_search WHERE rowid = old.id;
END;
