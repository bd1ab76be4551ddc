-- A head who died or moved out used to stay the household's head: clear it, as closing a membership now does.
UPDATE "household" h SET "head_resident_id" = NULL
WHERE "head_resident_id" IS NOT NULL AND NOT EXISTS (
  SELECT 1 FROM "household_member" m
  WHERE m."household_id" = h."id" AND m."resident_id" = h."head_resident_id" AND m."left_on" IS NULL
);
