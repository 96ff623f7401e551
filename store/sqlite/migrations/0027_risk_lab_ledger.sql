-- Lab results and expert case conclusions are ledgered (leaf kinds
-- risk-lab-result and risk-case): the index of each one's leaf.
ALTER TABLE risk_lab_results ADD COLUMN ledger_idx INTEGER;
CREATE UNIQUE INDEX risk_lab_results_ledger ON risk_lab_results (ledger_idx);
ALTER TABLE risk_cases ADD COLUMN ledger_idx INTEGER;
CREATE UNIQUE INDEX risk_cases_ledger ON risk_cases (ledger_idx);
CREATE INDEX risk_lab_orders_inspection ON risk_lab_orders (gtin, batch, purpose, reported_at);
