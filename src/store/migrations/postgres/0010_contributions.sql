-- 0010_contributions.sql: the contributions ledger (store_contributions_book,
-- docs/contributions.md). Append-only: spfloor has no statement that changes or removes an
-- entry (a registry with triggers is refused, so none enforce it here: the audit log's digest
-- of each booking catches a change made outside spfloor). A correction is a reversing entry
-- (reverses = the entry it cancels, every amount negated) and a new entry. Amounts are
-- integer minor units of `currency`.
CREATE TABLE contributions (
    entry         BIGINT NOT NULL,     -- the ledger's number, in booking order
    serial        BIGINT NOT NULL,     -- the person (persons.serial)
    scheme        TEXT NOT NULL,       -- the contribution scheme's id
    month         TEXT NOT NULL,       -- YYYY-MM
    employer      TEXT NOT NULL,       -- who paid it in; '' for the person themself
    currency      TEXT NOT NULL,
    declared      BIGINT,              -- the wage or income as given; NULL: none given
    wage          BIGINT NOT NULL,     -- the booked wage base (salary credit), floor and cap applied
    employee      BIGINT,              -- the parts; NULL when the scheme has no such part
    employer_part BIGINT,
    state         BIGINT,
    paid          BIGINT,              -- what the payer said it paid; NULL: not said
    paid_on       TEXT,                -- the day it was paid, YYYY-MM-DD
    due_on        TEXT,                -- the day it was due, YYYY-MM-DD
    voluntary     SMALLINT NOT NULL CHECK (voluntary IN (0, 1)),
    reverses      BIGINT,              -- the entry it cancels, of the same person (the front
                                       -- checks it: no foreign key, which Citus would refuse)
    reason        TEXT NOT NULL,
    actor         TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (serial, entry) -- a person's entries together (and on one shard: citus-layout.sql)
);
-- the next ledger number is max(entry) + 1: read from this index, not the whole ledger
CREATE INDEX contributions_entry ON contributions (entry);
CREATE UNIQUE INDEX contributions_reversed_once ON contributions (serial, reverses)
    WHERE reverses IS NOT NULL;
