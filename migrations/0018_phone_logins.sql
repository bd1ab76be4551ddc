ALTER TABLE "user" ADD COLUMN "phone_login" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Hand-written: audit lines written while residents' usernames were their phones keep only the
-- masked phone. (The accounts themselves are converted at start-up: SQL cannot encrypt.)
UPDATE "audit_event" SET "actor_name" = regexp_replace("actor_name", '^(1[3-9][0-9])[0-9]{4}([0-9]{4})$', '\1****\2') WHERE "actor_name" ~ '^1[3-9][0-9]{9}$';--> statement-breakpoint
UPDATE "audit_event" SET "summary" = regexp_replace("summary", '(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])', '\1****\2', 'g') WHERE "summary" ~ '(?<![0-9])1[3-9][0-9]{9}(?![0-9])';
