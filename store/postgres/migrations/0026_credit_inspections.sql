-- A failed inspection (disposition non_conformant) is an entry of the record
-- of the goods' filer when a regulator or a lab recorded it; credit reads
-- those events by this partial index instead of scanning every event.
CREATE INDEX epcis_events_non_conformant ON epcis_events (seq)
    WHERE disposition = 'https://ref.gs1.org/cbv/Disp-non_conformant';
