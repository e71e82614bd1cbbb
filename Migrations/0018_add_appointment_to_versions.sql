-- domain.md §0: an appointment's « Historique » also tells who joined or left it, and their
-- status changes. The versions of an appointment and of its participations carry the
-- appointment's id, so the page reads them through one index instead of parsing every
-- participation's changes. No foreign key: a version outlives its appointment.
ALTER TABLE versions ADD COLUMN appointment_id INTEGER;
CREATE INDEX versions_appointment_id ON versions (appointment_id, created_at) WHERE appointment_id IS NOT NULL;
-- Versions written before this column: an appointment's own, and those of its participations
-- that still exist (a deleted participation's version names its appointment in its changes).
UPDATE versions SET appointment_id = item_id WHERE item_type = 'Appointment';
UPDATE versions SET appointment_id = coalesce(
        (SELECT p.appointment_id FROM participations p WHERE p.id = versions.item_id),
        json_extract(changes, '$.appointment_id[0]'), json_extract(changes, '$.appointment_id[1]'))
    WHERE item_type = 'Participation';
