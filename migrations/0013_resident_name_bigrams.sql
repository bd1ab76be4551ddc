-- Distinct two-character substrings of a name, for the GIN index that serves two-character searches.
CREATE OR REPLACE FUNCTION name_bigrams(name text) RETURNS text[]
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT coalesce(array_agg(DISTINCT substr(name, i, 2)), '{}') FROM generate_series(1, char_length(name) - 1) AS i $$;
--> statement-breakpoint
CREATE INDEX "resident_name_bigrams_gin" ON "resident" USING gin (name_bigrams("name"));