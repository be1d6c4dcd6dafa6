-- 0012_payments.sql: payroll batches and payment instructions (docs/payroll.md). A person is
-- paid at most once an original instruction per scheme and period (the partial unique index
-- payments_original), so a payroll run twice, or run again after it was killed, pays nobody
-- twice; a rejected instruction is re-issued at most once (payments_reissue), naming it.
CREATE TABLE payment_batches (
    id          TEXT PRIMARY KEY, -- "PAY-000001", also the MsgId of its bank file
    scheme      TEXT NOT NULL,    -- the scheme's id
    period      TEXT NOT NULL,    -- "2081/82-Q1", "2025-03" ...
    as_of       TEXT NOT NULL,    -- the day decided on, YYYY-MM-DD
    digest      TEXT NOT NULL,    -- SHA-256 of the scheme library, parameters and overlay used
    created_at  TEXT NOT NULL,    -- when, UTC
    exported_at TEXT NOT NULL,    -- when first exported, UTC; '' until then
    actor       TEXT NOT NULL     -- who ran it
);
CREATE TABLE payments (
    serial        BIGINT NOT NULL,  -- the beneficiary (persons.serial)
    id            TEXT NOT NULL,    -- the instruction id
    batch         TEXT NOT NULL,    -- payment_batches.id
    scheme        TEXT NOT NULL,
    period        TEXT NOT NULL,
    amount        BIGINT NOT NULL CHECK (amount > 0), -- minor units of currency
    currency      TEXT NOT NULL,
    account       TEXT NOT NULL,    -- where it is paid
    holder        TEXT NOT NULL,    -- the account's holder (a worker ID) when not the beneficiary
    creditor      TEXT NOT NULL,    -- the account holder's name
    state         TEXT NOT NULL CHECK (state IN ('created', 'exported', 'accepted', 'rejected',
                                                 'settled', 'cancelled')),
    created_on    TEXT NOT NULL,    -- the day it entered each state, YYYY-MM-DD ('' if not)
    exported_on   TEXT NOT NULL,
    accepted_on   TEXT NOT NULL,
    rejected_on   TEXT NOT NULL,
    settled_on    TEXT NOT NULL,
    cancelled_on  TEXT NOT NULL,
    reissue_of    TEXT,             -- the rejected instruction it replaces; NULL: an original
    status_reason TEXT NOT NULL,    -- the bank's reason, '' if none
    PRIMARY KEY (serial, id)
);
CREATE UNIQUE INDEX payments_original ON payments (serial, scheme, period) WHERE reissue_of IS NULL;
CREATE UNIQUE INDEX payments_reissue ON payments (serial, reissue_of) WHERE reissue_of IS NOT NULL;
CREATE INDEX payments_batch ON payments (batch, id);
