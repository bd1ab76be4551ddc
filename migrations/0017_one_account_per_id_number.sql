-- Hand-written: earlier duplicates would stop the unique index. Per ID number, the confirmed (else
-- the earliest) claim stays; later ones are rejected with the reason, for the community to see.
UPDATE "account_request" SET "status" = 'rejected', "reason" = '同一身份证号已有账号（一人一号）', "decided_at" = now()
WHERE "id" IN (SELECT "id" FROM (SELECT "id", row_number() OVER (PARTITION BY "id_number_hash"
    ORDER BY ("status" = 'approved') DESC, "created_at", "id") AS n
  FROM "account_request" WHERE "kind" = 'resident' AND "status" <> 'rejected' AND "id_number_hash" IS NOT NULL) d
  WHERE d.n > 1);--> statement-breakpoint
CREATE UNIQUE INDEX "account_request_resident_id_key" ON "account_request" USING btree ("id_number_hash") WHERE kind = 'resident' and status <> 'rejected';
