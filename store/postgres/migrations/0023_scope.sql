-- The recall scope (issue 13): what a scope lists of each item is read in
-- one indexed range per intake binding, never per item.
--
-- The consignee of a dispatched item's order, copied from the declaration
-- at dispatch (the scope shows it to the regulator and the owner, masked to
-- others), so a scope of 100,000 items decodes no customs document.
ALTER TABLE label_dispatches ADD COLUMN consignee TEXT NOT NULL DEFAULT '';
ALTER TABLE label_dispatches ADD COLUMN consignee_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE label_dispatches ADD COLUMN consignee_address TEXT NOT NULL DEFAULT '';

-- The labels of an intake with their dispatch, from the index alone.
DROP INDEX labels_intake;
CREATE INDEX labels_intake_dispatch ON labels (intake_id) INCLUDE (dispatch_id, hash) WHERE intake_id IS NOT NULL;

-- What happened to an item after dispatch, from the EPCIS events that
-- record it (captured by an enterprise with custody of the label, or the
-- product's owner, or through a measure's progress): delivered (bizStep
-- receiving after dispatch), returned (returning) and destroyed
-- (destroying), each the event time of the first such event and its
-- store sequence.
CREATE TABLE label_progress (
    hash          BYTEA PRIMARY KEY,
    delivered_at  TIMESTAMPTZ,
    delivered_seq BIGINT,
    returned_at   TIMESTAMPTZ,
    returned_seq  BIGINT,
    destroyed_at  TIMESTAMPTZ,
    destroyed_seq BIGINT
);
