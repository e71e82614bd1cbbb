-- A small realistic data set for scripts/check-migrations.sh: one territory (62), two
-- organisations, agents with roles, places, motifs, recurring opening periods with exceptions,
-- absences, users with a relative, appointments (individual and collective), sectorisation,
-- notifications, exports, sessions and history. Instants are Europe/Paris wall times converted
-- with unixepoch(…, '-2 hours') (summer time).
BEGIN;
INSERT INTO instance_settings (key, value) VALUES ('secret_key', 'c2VjcmV0LWtleS1mb3ItdGVzdHM=');
INSERT INTO super_admins (id, email, first_name, last_name) VALUES (1, 'ops@rdv.example.fr', 'Olga', 'OPS');

INSERT INTO services (id, name, short_name) VALUES
  (1, 'PMI (Protection Maternelle Infantile)', 'PMI'), (2, 'Service social', 'Social'), (3, 'Secrétariat', 'Secrétariat');
INSERT INTO territories (id, name, departement_number, sms_provider, enable_context_field) VALUES
  (1, 'Pas-de-Calais', '62', 'dev', 1);
INSERT INTO territories (id, name, departement_number, time_zone) VALUES (2, 'La Réunion', '974', 'Indian/Reunion');
INSERT INTO territory_services (territory_id, service_id) VALUES (1, 1), (1, 2), (1, 3), (2, 1);
INSERT INTO motif_categories (id, name, short_name, requires_ants_number) VALUES (1, 'Passeport / CNI', 'passeport_cni', 1);
INSERT INTO territory_motif_categories (territory_id, motif_category_id) VALUES (1, 1);

INSERT INTO organisations (id, territory_id, name, phone_number, phone_number_formatted, email, external_id) VALUES
  (1, 1, 'MDS Arras', '03 21 00 00 00', '+33321000000', 'mds.arras@example.fr', 'arras'),
  (2, 1, 'MDS Lens', '3939', NULL, NULL, 'lens');

INSERT INTO agents (id, email, first_name, last_name, password_hash, invitation_sent_at, invitation_accepted_at, calendar_uid) VALUES
  (1, 'alice.martin@example.fr', 'Alice', 'Martin', 'scrypt$ln=15,r=8,p=1$c2FsdA==$a2V5', NULL, NULL, 'alice-martin-0b6c2f1e-8d7a-4f3e-9a5b-1c2d3e4f5a6b'),
  (2, 'bruno.petit@example.fr', 'Bruno', 'Petit', NULL, unixepoch('2026-05-01 08:00'), NULL, NULL);
INSERT INTO agents (id, email, first_name, last_name, rdv_notifications_level, plage_ouverture_notification_level, absence_notification_level)
  VALUES (3, NULL, NULL, 'Salle 2', 'none', 'none', 'none');     -- an intervenant
UPDATE agents SET invited_by_id = 1 WHERE id = 2;
INSERT INTO agent_services (agent_id, service_id) VALUES (1, 1), (2, 1), (2, 3), (3, 1);
INSERT INTO agent_roles (agent_id, organisation_id, access_level) VALUES
  (1, 1, 'admin'), (1, 2, 'admin'), (2, 1, 'basic'), (3, 1, 'intervenant');
INSERT INTO territorial_roles (agent_id, territory_id) VALUES (1, 1);
INSERT INTO territorial_access_rights (agent_id, territory_id, allow_to_invite_agents) VALUES (1, 1, 1), (2, 1, 0), (3, 1, 0);
INSERT INTO teams (id, territory_id, name) VALUES (1, 1, 'Équipe PMI Arras');
INSERT INTO agent_teams (team_id, agent_id) VALUES (1, 1), (1, 2);

INSERT INTO places (id, organisation_id, name, address, latitude, longitude, phone_number) VALUES
  (1, 1, 'MDS Centre', '10 rue d''Ici 62000 Arras', 50.29, 2.78, '03 21 00 00 01'),
  (2, 2, 'MDS Lens Nord', '1 place Jean Jaurès 62300 Lens', 50.43, 2.83, NULL);
INSERT INTO places (id, organisation_id, name, address, latitude, longitude, availability) VALUES
  (3, 1, 'Salle des fêtes', '2 rue Haute 62000 Arras', 50.29, 2.77, 'single_use');

INSERT INTO motifs (id, organisation_id, service_id, name, name_with_location_type, color, default_duration_in_min,
                    location_type, bookable_by, visibility_type) VALUES
  (1, 1, 1, 'Consultation PMI', 'consultation_pmi-public_office', '#1f77b4', 30, 'public_office', 'everyone', 'visible_and_notified'),
  (2, 1, 1, 'Entretien téléphonique', 'entretien_telephonique-phone', '#ff7f0e', 20, 'phone', 'agents_and_prescripteurs', 'visible_and_notified'),
  (4, 2, 1, 'Consultation PMI', 'consultation_pmi-public_office', '#1f77b4', 30, 'public_office', 'everyone', 'visible_and_notified');
INSERT INTO motifs (id, organisation_id, service_id, motif_category_id, name, name_with_location_type, color, collectif,
                    sectorisation_level, follow_up, min_public_booking_delay, max_public_booking_delay) VALUES
  (3, 1, 1, NULL, 'Atelier portage', 'atelier_portage-public_office', '#2ca02c', 1, 'organisation', 0, 3600, 2629746 * 2);

INSERT INTO opening_periods (id, agent_id, organisation_id, place_id, title, first_day, start_time, end_time,
                             recurrence, recurrence_ends_at) VALUES
  (1, 1, 1, 1, 'Permanence du lundi', '2026-06-01', '09:00', '12:00',
   '{"every":"week","interval":1,"on":["monday"],"starts":"2026-06-01","until":"2026-12-31"}',
   unixepoch('2027-01-01 00:00', '-1 hours')),
  (2, 2, 1, 1, 'Consultations du 3e mercredi', '2026-06-17', '14:00', '17:00',
   '{"every":"month","interval":1,"day":{"wednesday":3}}', NULL),
  (3, 1, 2, 2, 'Ponctuelle Lens', '2026-06-05', '08:30', '11:20', NULL, NULL);
INSERT INTO opening_period_motifs (opening_period_id, motif_id) VALUES (1, 1), (1, 2), (2, 1), (3, 4);
-- slots.md §13 example: cancelled on 2026-06-15, moved from 2026-06-22 to 2026-06-23 14:00–16:00
INSERT INTO occurrence_exceptions (opening_period_id, date, cancelled, day) VALUES (1, '2026-06-15', 1, '2026-06-15');
INSERT INTO occurrence_exceptions (opening_period_id, date, cancelled, day, start_time, end_time)
  VALUES (1, '2026-06-22', 0, '2026-06-23', '14:00', '16:00');

INSERT INTO absences (id, agent_id, organisation_id, title, first_day, start_time, end_day, end_time) VALUES
  (1, 1, 1, 'Formation', '2026-06-02', '09:00', '2026-06-02', '12:00'),
  (2, 2, NULL, 'Congés', '2026-07-20', '00:00', '2026-08-07', '23:59');
INSERT INTO absences (id, agent_id, title, first_day, start_time, end_day, end_time, recurrence)
  VALUES (3, 1, 'Réunion d''équipe', '2026-06-04', '13:30', '2026-06-04', '14:30', '{"every":"week","on":["thursday"]}');
INSERT INTO occurrence_exceptions (absence_id, date, cancelled, day) VALUES (3, '2026-06-11', 1, '2026-06-11');

INSERT INTO users (id, first_name, last_name, birth_date, email, phone_number, phone_number_formatted, address,
                   post_code, city_name, city_code, latitude, longitude, created_through, password_hash, confirmed_at) VALUES
  (1, 'Jean', 'Dupont', '1980-01-01', 'jean@example.fr', '06 12 34 56 78', '+33612345678',
   '3 rue Ernestale, 62000 Arras', '62000', 'Arras', '62041', 50.29, 2.78, 'user_sign_up', 'scrypt$ln=15,r=8,p=1$c2FsdA==$a2V5', unixepoch('2026-05-01'));
INSERT INTO users (id, first_name, last_name, birth_date, responsible_id, created_through) VALUES
  (2, 'Léa', 'Dupont', '2024-03-12', 1, 'user_relative_creation');
INSERT INTO users (id, first_name, last_name, phone_number, phone_number_formatted, created_through, caisse_affiliation, logement,
                   rdv_invitation_token, rdv_invitation_token_created_at, ants_pre_demande_number) VALUES
  (3, 'Karim', 'Benali', '0690 12 34 56', '+590690123456', 'prescripteur', 'caf', 'locataire', 'AB12CD34', unixepoch('2026-05-20'), 'A1B2C3D4E5');
INSERT INTO user_profiles (user_id, organisation_id) VALUES (1, 1), (2, 1), (3, 1), (3, 2);
INSERT INTO referents (user_id, agent_id) VALUES (1, 2);
INSERT INTO prescribers (id, first_name, last_name, email, phone_number) VALUES (1, 'Sophie', 'Travail', 'sophie@asso.example.org', '0321112233');

INSERT INTO appointments (id, uuid, organisation_id, motif_id, collectif, location_type, place_id, starts_at, ends_at,
                          created_by_type, created_by_id, users_count, context) VALUES
  (1, '0b6c2f1e-8d7a-4f3e-9a5b-1c2d3e4f5a6b', 1, 1, 0, 'public_office', 1,
   unixepoch('2026-06-08 09:00', '-2 hours'), unixepoch('2026-06-08 09:30', '-2 hours'), 'User', 1, 2, 'Vaccins'),
  (2, '1c7d3a2f-9e8b-4a1c-8b6c-2d3e4f5a6b7c', 1, 2, 0, 'phone', NULL,
   unixepoch('2026-06-09 10:00', '-2 hours'), unixepoch('2026-06-09 10:20', '-2 hours'), 'Prescripteur', 1, 1, NULL);
INSERT INTO appointments (id, uuid, organisation_id, motif_id, collectif, location_type, place_id, starts_at, ends_at,
                          created_by_type, created_by_id, name, max_participants_count, users_count) VALUES
  (3, '2d8e4b3a-af9c-4b2d-9c7d-3e4f5a6b7c8d', 1, 3, 1, 'public_office', 3,
   unixepoch('2026-06-10 14:00', '-2 hours'), unixepoch('2026-06-10 16:00', '-2 hours'), 'Agent', 1, 'Atelier portage bébé', 8, 1);
INSERT INTO appointment_agents (appointment_id, agent_id, starts_at, ends_at, status)
  SELECT a.id, x.agent_id, a.starts_at, a.ends_at, a.status FROM appointments a
  JOIN (SELECT 1 AS appointment_id, 1 AS agent_id UNION ALL SELECT 2, 2 UNION ALL SELECT 3, 1 UNION ALL SELECT 3, 3) x
    ON x.appointment_id = a.id;
INSERT INTO participations (appointment_id, user_id, send_lifecycle_notifications, send_reminder_notification,
                            created_by_type, created_by_id, token_created_at) VALUES
  (1, 1, 1, 1, 'User', 1, unixepoch('2026-05-25 10:00')),
  (1, 2, 1, 1, 'User', 1, NULL),
  (2, 3, 1, 1, 'Prescripteur', 1, NULL),
  (3, 3, 1, 1, 'Agent', 1, NULL);
INSERT INTO waiting_list_entries (appointment_id, user_id) VALUES (1, 1);

-- Moving appointment 1 and revoking it updates its agents' copy through ON UPDATE CASCADE.
UPDATE appointments SET starts_at = starts_at + 3600, ends_at = ends_at + 3600 WHERE id = 1;
UPDATE appointments SET status = 'revoked', cancelled_at = unixepoch('2026-06-01 08:00') WHERE id = 2;

INSERT INTO sectors (id, territory_id, name, human_id) VALUES (1, 1, 'Arras', 'arras');
INSERT INTO zones (sector_id, level, city_name, city_code) VALUES (1, 'city', 'Arras', '62041');
INSERT INTO zones (sector_id, level, city_name, city_code, street_name, street_ban_id)
  VALUES (1, 'street', 'Arras', '62041', 'Rue Ernestale', '62041_0420');
INSERT INTO sector_attributions (sector_id, organisation_id, level, agent_id) VALUES (1, 1, 'organisation', NULL), (1, 1, 'agent', 1);

INSERT INTO webhook_endpoints (id, organisation_id, target_url, secret) VALUES (1, 1, 'https://partner.example.fr/hook', 's3cr3t');
INSERT INTO outbox_messages (id, kind, payload, due_at, next_attempt_at, idempotency_key, appointment_id) VALUES
  (1, 'reminder', '{"appointment_id":1}', unixepoch('2026-06-05 11:00', '-2 hours'), unixepoch('2026-06-05 11:00', '-2 hours'),
   'reminder:1:2026-06-08T08:00:00Z', 1),
  (2, 'email', '{"event":"rdv_created","appointment_id":1,"user_id":1}', unixepoch('2026-05-25 10:00'), unixepoch('2026-05-25 10:00'),
   'rdv_created:1:user-1:mail', 1);
INSERT INTO outbox_messages (id, kind, payload, due_at, next_attempt_at, idempotency_key, webhook_endpoint_id, ordering_key, status, attempts, claimed_at, lease_until)
  VALUES (3, 'webhook', '{"data":{"id":1},"meta":{"model":"Rdv","event":"created"}}', unixepoch('2026-05-25 10:00'), unixepoch('2026-05-25 10:00'),
   'webhook:1:9f1c', 1, 'webhook:1:Rdv:1', 'in_flight', 1, unixepoch('2026-05-25 10:00'), unixepoch('2026-05-25 10:02'));
UPDATE outbox_messages SET status = 'sent', sent_at = unixepoch('2026-05-25 10:00:02'), attempts = 1 WHERE id = 2;
INSERT INTO receipts (appointment_id, user_id, organisation_id, outbox_message_id, event, channel, result, content, email_address, idempotency_key)
  VALUES (1, 1, 1, 2, 'rdv_created', 'mail', 'processed', 'RDV confirmé le lundi 8 juin 2026 à 10h00', 'jean@example.fr', 'rdv_created:1:user-1:mail');
INSERT INTO receipts (territory_id, event, channel, result, sms_provider, sms_count, content, sms_phone_number)
  VALUES (1, 'sms_test', 'sms', 'delivered', 'dev', 1, 'SMS de test', '+33612345678');
INSERT INTO dev_outbox_messages (channel, recipient, body, territory_id) VALUES ('sms', '+33612345678', 'SMS de test', 1);

INSERT INTO exports (uuid, export_type, format, agent_id, organisation_ids, options) VALUES
  ('3e9f5c4b-b0ad-4c3e-ad8e-4f5a6b7c8d9e', 'rdv_export', 'csv', 1, '[1,2]', '{"status":"unknown"}');
UPDATE exports SET status = 'ready', file_name = 'export-rdv-2026-06-01.csv', computed_at = unixepoch('2026-06-01 10:00'),
  expires_at = unixepoch('2026-06-01 10:00') + 21600;

INSERT INTO sessions (token_hash, agent_id, auth_method, csrf_secret, last_seen_at, expires_at, ip, user_agent)
  VALUES (randomblob(32), 1, 'password', randomblob(32), unixepoch(), unixepoch() + 14 * 86400, '192.0.2.1', 'Firefox');
INSERT INTO sessions (token_hash, participation_id, auth_method, csrf_secret, last_seen_at, expires_at)
  VALUES (randomblob(32), 1, 'token_link', randomblob(32), unixepoch(), unixepoch() + 600);
INSERT INTO identities (agent_id, provider, subject) VALUES (1, 'password', 'alice.martin@example.fr');
INSERT INTO account_tokens (token_hash, purpose, agent_id, expires_at) VALUES (randomblob(32), 'agent_invitation', 2, unixepoch() + 14 * 86400);
INSERT INTO email_sign_in_codes (email, code_hash, expires_at) VALUES ('jean@example.fr', randomblob(32), unixepoch() + 600);
INSERT INTO api_tokens (agent_id, client, token_hash, expires_at) VALUES (1, 'client-1', randomblob(32), unixepoch() + 86400);
INSERT INTO api_calls (method, path, host, controller, action, agent_id, authentication_type, response_status, called_at)
  VALUES ('GET', '/api/v1/organisations/1/rdvs', 'rdv.example.fr', 'rdvs', 'index', 1, 'access_token', 200, unixepoch());
INSERT INTO versions (item_type, item_id, event, changes, author, organisation_id)
  VALUES ('Appointment', 1, 'update', '{"starts_at":["2026-06-08T07:00:00Z","2026-06-08T08:00:00Z"]}', 'Alice MARTIN', 1);
INSERT INTO super_admin_actions (super_admin_id, super_admin_email, action, target_type, target_id)
  VALUES (1, 'ops@rdv.example.fr', 'sign_in_as_agent', 'Agent', 1);
COMMIT;

-- Sanity checks: each SELECT must print 1.
SELECT (SELECT count(*) FROM appointment_agents aa JOIN appointments a ON a.id = aa.appointment_id
        WHERE aa.starts_at = a.starts_at AND aa.ends_at = a.ends_at AND aa.status = a.status) = 4;
SELECT (SELECT duration_in_min FROM appointments WHERE id = 3) = 120;
SELECT (SELECT series_type FROM occurrence_exceptions WHERE absence_id = 3) = 'absence';
