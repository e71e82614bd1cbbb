-- The hot queries of slots.md §12, booking.md §9 and notifications.md §12; scripts/check-migrations.sh
-- prints their plans and fails if one scans a table instead of searching an index.
-- slot engine step 1: periods linked to a motif
EXPLAIN QUERY PLAN SELECT op.* FROM opening_period_motifs opm JOIN opening_periods op ON op.id = opm.opening_period_id
  WHERE opm.motif_id = 1 AND op.expired = 0;
-- slot engine step 3: busy appointments of the candidate agents over the range
EXPLAIN QUERY PLAN SELECT agent_id, starts_at, ends_at FROM appointment_agents
  WHERE agent_id IN (1, 2) AND starts_at < 1781000000 AND ends_at > 1780000000 AND status IN ('unknown', 'seen', 'noshow');
-- slot engine step 3: absences of the candidate agents
EXPLAIN QUERY PLAN SELECT * FROM absences WHERE agent_id IN (1, 2) AND first_day <= '2026-06-14'
  AND (end_day >= '2026-06-08' OR recurrence IS NOT NULL);
-- agenda: an agent's opening periods in an organisation
EXPLAIN QUERY PLAN SELECT * FROM opening_periods WHERE agent_id = 1 AND organisation_id = 1 AND expired = 0;
-- « Liste des RDV » of an organisation by date
EXPLAIN QUERY PLAN SELECT * FROM appointments WHERE organisation_id = 1 AND starts_at >= 1780000000 ORDER BY starts_at LIMIT 10;
-- « Mes rendez-vous »
EXPLAIN QUERY PLAN SELECT a.* FROM participations p JOIN appointments a ON a.id = p.appointment_id WHERE p.user_id IN (1, 2);
-- sectorisation matching
EXPLAIN QUERY PLAN SELECT sector_id FROM zones WHERE level = 'city' AND city_code = '62041';
EXPLAIN QUERY PLAN SELECT sector_id FROM zones WHERE level = 'street' AND street_ban_id = '62041_0420';
-- outbox claim and lease expiry
EXPLAIN QUERY PLAN SELECT id FROM outbox_messages WHERE status = 'pending' AND next_attempt_at <= 1780000000 ORDER BY next_attempt_at LIMIT 20;
EXPLAIN QUERY PLAN SELECT id FROM outbox_messages WHERE status = 'in_flight' AND lease_until < 1780000000;
-- webhook ordering: an earlier unsettled row for the same endpoint and record
EXPLAIN QUERY PLAN SELECT 1 FROM outbox_messages WHERE ordering_key = 'webhook:1:Rdv:1' AND id < 3 AND status IN ('pending', 'in_flight');
-- users of an organisation
EXPLAIN QUERY PLAN SELECT u.* FROM user_profiles up JOIN users u ON u.id = up.user_id WHERE up.organisation_id = 1;
-- public search by motif group
EXPLAIN QUERY PLAN SELECT id FROM motifs WHERE name_with_location_type = 'consultation_pmi-public_office' AND deleted_at IS NULL;
