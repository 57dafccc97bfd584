-- Envelope encryption at rest (docs/DATA-PROTECTION.md). Each data subject (a customer, later a
-- license) has its own data key: 32 random bytes that encrypt its personal fields (AES-256-GCM). The
-- data key is stored only wrapped by a key-encryption key from configuration (Platform:DataKey),
-- whose id sits beside it, so rotating the configured key rewraps these rows (bounded batches by the
-- DataKeyRotationGrain) without touching the records they protect. Erasure shreds a subject's key:
-- the wrapped key is removed, and every ciphertext under it (grain state, audit details) is noise.
CREATE TABLE IF NOT EXISTS platform_data_keys (
  scope       text        PRIMARY KEY,  -- 'customer:ten_…/cus_…'
  kek_id      text        NULL,         -- id of the configured key that wraps it; null once shredded
  wrapped     text        NULL,         -- FieldProtector text; null once shredded
  created_at  timestamptz NOT NULL,
  shredded_at timestamptz NULL
);

-- The rotation job finds rows still under a retired key.
CREATE INDEX IF NOT EXISTS platform_data_keys_kek ON platform_data_keys (kek_id) WHERE kek_id IS NOT NULL;
