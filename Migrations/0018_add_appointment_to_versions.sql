-- domain.md §0: an appointment's « Historique » also tells who joined or left it, and their
-- status changes. The versions of an appointment and of its participations carry the
-- appointment's id, so the page reads them through one index instead of parsing every
-- participation's changes. No foreign key: a version outlives its appointment.
ALTER TABLE versions ADD COLUMN appointment_id INTEGER;
CREATE INDEX versions_appointment_id ON versions (appointment_id, created_at) WHERE appointment_id IS NOT NULL;
