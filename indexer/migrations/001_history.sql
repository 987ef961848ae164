-- The history store: the metapool's NEP-297 events and one share-price / liquidity sample per epoch.
-- One schema for PGlite and a Postgres server; the same SQL runs on both. Amounts are yocto
-- (numeric(40,0): exact, u128 fits); timestamps are nanoseconds as NEAR block headers give them.

-- The last finalized block fully processed (one row). The indexer resumes at last_block + 1.
CREATE TABLE indexer_cursor (
  id smallint PRIMARY KEY CHECK (id = 1),
  contract_id text NOT NULL,
  last_block bigint NOT NULL,
  last_block_hash text NOT NULL,
  last_epoch_id text NOT NULL,
  chain_head bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per entry of an event's `data` array: (receipt_id, log_index, data_index) is unique on
-- chain, so writing a block twice (a retry, a restart) changes nothing.
CREATE TABLE events (
  receipt_id text NOT NULL,
  log_index integer NOT NULL,
  data_index integer NOT NULL,
  tx_hash text NOT NULL,
  block_height bigint NOT NULL,
  block_hash text NOT NULL,
  block_timestamp_ns bigint NOT NULL,
  epoch_id text NOT NULL,
  contract_id text NOT NULL,
  standard text NOT NULL,
  version text NOT NULL,
  event text NOT NULL,
  account_id text,
  amount numeric(40, 0),
  fee_near numeric(40, 0),
  data jsonb NOT NULL,
  PRIMARY KEY (receipt_id, log_index, data_index)
);
CREATE INDEX events_by_event ON events (event, block_height DESC);
CREATE INDEX events_by_account ON events (account_id, block_height DESC);

-- The metapool's state once per epoch: get_contract_state and ft_price read at the first block the
-- indexer sees of the epoch. block_height/timestamp are those the contract reports for the state
-- it read (on a nearcore node: that block; localnet keeps no history and answers from its head).
CREATE TABLE epoch_samples (
  epoch bigint PRIMARY KEY,
  block_height bigint NOT NULL,
  block_hash text, -- NULL when the node answered from another block than the one asked
  block_timestamp_ns bigint NOT NULL,
  price_yocto numeric(40, 0) NOT NULL,
  total_staked_near numeric(40, 0) NOT NULL,
  total_snear numeric(40, 0) NOT NULL,
  liquidity_near numeric(40, 0) NOT NULL,
  lp_unstaking_near numeric(40, 0) NOT NULL,
  pool_snear numeric(40, 0) NOT NULL,
  lp_shares numeric(40, 0) NOT NULL
);
