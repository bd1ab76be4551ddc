-- Idempotent SQL that drizzle-kit cannot express; runs after the migrations on every start.
-- Each module appends its own section.

-- platform: audit events are append-only
create or replace function grassroots_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'table % is append-only', tg_table_name using errcode = '42501';
end $$;
drop trigger if exists audit_event_append_only on audit_event;
create trigger audit_event_append_only before update or delete on audit_event
  for each row execute function grassroots_append_only();

-- platform: time-ordered ids (UUIDv7, as newId() makes them in the app) for rows written in SQL
create or replace function grassroots_uuid_v7() returns uuid language sql volatile as $$
  select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing
    substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6),
    52, 1), 53, 1), 'hex')::uuid
$$;

-- work orders: the event log is the history every projection and statistic is computed from
drop trigger if exists work_order_event_append_only on work_order_event;
create trigger work_order_event_append_only before update or delete on work_order_event
  for each row execute function grassroots_append_only();
