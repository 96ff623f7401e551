package web

import (
	"context"
	"net/http"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"tracegate"
	"tracegate/epcis"
	"tracegate/ledger"
)

// Ledger is the server's side of the tamper-evident log: the item
// committer and the log's verifier (its signer runs in the publisher).
type Ledger struct {
	Committer *ledger.Committer
	VKey      string
	Verifiers note.Verifiers
}

// eventLeaf is the leaf function of captures by the enterprise uscc.
func (s *Server) eventLeaf(uscc string) epcis.LeafFunc { return s.ledger.EventLeaf(uscc) }

// EventLeaf is the leaf function of the events recorded for the
// enterprise uscc (nil for a nil Ledger: no leaves), the same for the API
// and the console.
func (l *Ledger) EventLeaf(uscc string) epcis.LeafFunc {
	if l == nil {
		return nil
	}
	return func(r *epcis.Record) ([]byte, error) { return epcis.LedgerLeaf(l.Committer, r, uscc) }
}

// handleCheckpoint serves the latest signed checkpoint (C2SP
// tlog-checkpoint), briefly cacheable: it changes as the log grows. A
// stored checkpoint whose signature does not verify with the log's key is
// never served: the answer is an internal error (and the audit names it).
func (s *Server) handleCheckpoint(w http.ResponseWriter, r *http.Request) {
	cp, err := s.store.LatestCheckpoint(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if s.ledger != nil {
		if _, err := ledger.ParseCheckpoint(cp, s.ledger.Verifiers); err != nil {
			s.writeError(w, r, &tracegate.Error{Code: tracegate.EINTERNAL, Message: "web: the stored checkpoint does not verify with the log's key", Err: err})
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=2")
	w.Write(cp)
}

// latestCheckpoint parses the latest checkpoint with the log's key.
func (s *Server) latestCheckpoint(ctx context.Context) (*ledger.Checkpoint, error) {
	if s.ledger == nil {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "this server keeps no ledger")
	}
	signed, err := s.store.LatestCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	return ledger.ParseCheckpoint(signed, s.ledger.Verifiers)
}

// handleTile serves C2SP tlog-tiles: hash tiles /log/tile/<L>/<N>[.p/<W>]
// and entry bundles /log/tile/entries/<N>[.p/<W>], immutable once served.
func (s *Server) handleTile(w http.ResponseWriter, r *http.Request) {
	t, err := ledger.ParseTilePath("tile/" + r.PathValue("path"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cp, err := s.latestCheckpoint(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var b []byte
	if t.Entries {
		b, err = ledger.ReadEntryBundle(r.Context(), s.store, cp.Size, t)
	} else {
		b, err = ledger.ReadTile(r.Context(), s.store, cp.Size, t)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(b)
}

// handleEventProof answers the inclusion proof of an event: its leaf, leaf
// index, the proof hashes and the checkpoint, as a c2sp.org/tlog-proof
// document (text/plain) or its JSON form (Accept: application/json).
func (s *Server) handleEventProof(w http.ResponseWriter, r *http.Request) {
	id := eventIDParam(r)
	rec, err := s.store.FindEvent(r.Context(), id)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if rec.LedgerIndex < 0 {
		s.writeError(w, r, tracegate.Errorf(tracegate.ENOTFOUND, "event %s is not in the ledger", id))
		return
	}
	s.serveProof(w, r, rec.LedgerIndex, "event "+id)
}

// serveProof answers the proof document of the leaf at idx; what names the
// record in errors.
func (s *Server) serveProof(w http.ResponseWriter, r *http.Request, idx int64, what string) {
	cp, err := s.latestCheckpoint(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if idx >= cp.Size {
		w.Header().Set("Retry-After", "3")
		s.writeError(w, r, tracegate.Errorf(tracegate.EUNAVAILABLE, "%s is logged but not yet in a published checkpoint; retry in a few seconds", what))
		return
	}
	entries, err := s.store.ReadEntries(r.Context(), idx, idx+1)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	proof, err := ledger.NewInclusionProof(r.Context(), s.store, cp, idx, entries[0])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if strings.Contains(r.Header.Get("Accept"), "application/json") {
		w.Header().Set("Content-Type", "application/json")
		b, _ := proof.MarshalJSON()
		w.Write(b)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(proof.Marshal())
}
