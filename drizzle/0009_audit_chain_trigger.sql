-- The audit hash chain (decision 102). Every row gets its place in its organization's chain and the
-- SHA-256 of the previous row's hash and its own content, in the statement that inserts it: whatever
-- writes the row (the one writer, audit.ts, in any of its forms, or a bulk seed) writes a valid chain.
--
-- The content, in one canonical text (jsonb's text form; the time as microseconds since 1970, so no
-- session setting changes it). Verify (src/activity/verify.ts) recomputes it with this same function.
CREATE FUNCTION audit_chain_hash(prev text, r audit_log) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(coalesce(prev, '') || jsonb_build_array(r.chain_seq, r.id, r.org_id,
    r.partner_org_id, r.actor_user_id, r.actor_name, r.action, r.target_type, r.target_id, r.before, r.after,
    (extract(epoch from r.created_at) * 1000000)::bigint)::text, 'UTF8')), 'hex')
$$;--> statement-breakpoint
-- Each row: the first row of an organization locks the chain's head (an upsert waits for another writer of
-- that organization and then reads the head it committed; the lock holds until commit). Rows of the same
-- organization that follow continue from a transaction-local setting, so a bulk insert does not rewrite
-- the head row once per row; when a row of another organization comes, the head of the one before is
-- written back first (one setting, not one per organization: PostgreSQL 15 re-sorts its settings at
-- each new name, which made 10,000 organizations in one statement take half a minute).
CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  k uuid := coalesce(NEW.org_id, '00000000-0000-0000-0000-000000000000');
  cached text := coalesce(current_setting('audit_chain.current', true), '');
  s bigint;
  h text;
BEGIN
  IF cached <> '' AND split_part(cached, '|', 1)::uuid = k THEN
    s := split_part(cached, '|', 2)::bigint;
    h := split_part(cached, '|', 3);
  ELSE
    IF cached <> '' THEN
      UPDATE audit_chain_heads SET seq = split_part(cached, '|', 2)::bigint, hash = split_part(cached, '|', 3)
        WHERE org_id = split_part(cached, '|', 1)::uuid;
    END IF;
    INSERT INTO audit_chain_heads AS c (org_id, seq, hash, at) VALUES (k, 0, '', NEW.created_at)
      ON CONFLICT (org_id) DO UPDATE SET seq = c.seq
      RETURNING c.seq, c.hash INTO s, h;
  END IF;
  NEW.chain_seq := s + 1;
  NEW.hash := audit_chain_hash(nullif(h, ''), NEW);
  PERFORM set_config('audit_chain.current', k || '|' || NEW.chain_seq || '|' || NEW.hash, true);
  RETURN NEW;
END;
$$;--> statement-breakpoint
-- After the statement: each head it advanced, written once, from the statement's last row of that organization.
CREATE FUNCTION audit_log_chain_heads() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE audit_chain_heads h SET seq = n.chain_seq, hash = n.hash, at = n.created_at
    FROM (SELECT DISTINCT ON (k) coalesce(org_id, '00000000-0000-0000-0000-000000000000') AS k, chain_seq, hash, created_at
          FROM new_rows ORDER BY k, chain_seq DESC) n
    WHERE h.org_id = n.k;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();--> statement-breakpoint
CREATE TRIGGER audit_log_chain_heads AFTER INSERT ON audit_log REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_chain_heads();--> statement-breakpoint
-- Rows written before the chain: chained now, in the order they were written.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;--> statement-breakpoint
DO $$
DECLARE
  r audit_log;
  prev_org uuid;
  first boolean := true;
  s bigint;
  h text;
  t timestamptz;
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY org_id NULLS FIRST, id LOOP
    IF first OR r.org_id IS DISTINCT FROM prev_org THEN
      IF NOT first THEN
        INSERT INTO audit_chain_heads VALUES (coalesce(prev_org, '00000000-0000-0000-0000-000000000000'), s, h, t);
      END IF;
      first := false; prev_org := r.org_id; s := 0; h := NULL;
    END IF;
    s := s + 1;
    r.chain_seq := s;
    h := audit_chain_hash(h, r);
    t := r.created_at;
    UPDATE audit_log SET chain_seq = s, hash = h WHERE id = r.id;
  END LOOP;
  IF NOT first THEN
    INSERT INTO audit_chain_heads VALUES (coalesce(prev_org, '00000000-0000-0000-0000-000000000000'), s, h, t);
  END IF;
END;
$$;--> statement-breakpoint
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
