-- Placeholder on the hardening branch only: versions 0010-0012 belong to other
-- branches. Delete this file when merging (the complaints migration is 0013).
SELECT 1;
