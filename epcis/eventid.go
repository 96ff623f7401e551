package epcis

import (
	"context"
	"strings"

	"tracegate"
)

// An eventID is a claim about who recorded what: an "ni:" eventID names the
// event by its content (the CBV 2.0 hash), and any other eventID is chosen
// by its author. So a captured event's ni: eventID must be its own hash,
// and an eventID that another enterprise's event already carries is
// refused: nobody can make a lookup of someone else's eventID answer their
// event.

// CheckEventID reports the problem of an event's given eventID: an "ni:"
// eventID that is not the event's own CBV 2.0 hash (hash, as EventHash
// makes it). ptr is the event's pointer; nil when the eventID is fine.
func CheckEventID(eventID, hash, ptr string) *tracegate.FieldError {
	if !strings.HasPrefix(strings.ToLower(eventID), "ni:") || SameHash(eventID, hash) {
		return nil
	}
	return &tracegate.FieldError{Pointer: ptr + "/eventID",
		Detail: "an ni: eventID must be the event's own CBV 2.0 hash, " + hash + ", not " + eventID}
}

// SameHash reports whether two CBV 2.0 hash eventIDs are equal: the digest
// compares without regard to case, the "?ver=CBV2.0" parameter may be left
// out of a.
func SameHash(a, b string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		return strings.TrimSuffix(s, "?ver=cbv2.0")
	}
	return norm(a) == norm(b)
}

// claimEventIDs refuses the pending records whose eventID (given in the
// document) another enterprise's event carries already: it asks the writer
// once for the batch, reports each refused one on job and returns the
// others.
func claimEventIDs(ctx context.Context, w EventWriter, job *CaptureJob, enterpriseID int64, pending []pendingRecord) ([]pendingRecord, error) {
	var ids []string
	for _, p := range pending {
		if p.givenID {
			ids = append(ids, p.rec.EventID)
		}
	}
	if len(ids) == 0 {
		return pending, nil
	}
	taken, err := w.ForeignEventIDs(ctx, enterpriseID, ids)
	if err != nil || len(taken) == 0 {
		return pending, err
	}
	kept := pending[:0]
	for _, p := range pending {
		if p.givenID && taken[p.rec.EventID] {
			job.Failed++
			job.addError(CaptureError{Index: p.index, Pointer: p.ptr + "/eventID",
				Detail: "eventID " + p.rec.EventID + " is another enterprise's event's; choose an eventID of your own"})
			continue
		}
		kept = append(kept, p)
	}
	return kept, nil
}

// pendingRecord is a record waiting for its batch, with where it came from.
type pendingRecord struct {
	rec     *Record
	index   int
	ptr     string
	givenID bool // the document gave the eventID (else it is the hash)
}
