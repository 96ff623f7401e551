package web

import (
	"net/http"
)

// handleRiskSignalGet answers one signal; a platform sees only those it
// stated (others are not found).
func (s *Server) handleRiskSignalGet(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	sig, err := s.risk.Signal(r.Context(), id)
	if err == nil {
		err = canSeeSignal(principalOf(r), sig.Author)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sig)
}

// handleRiskAttachmentGet serves an attachment's bytes under its sniffed
// type, to those who see its signal.
func (s *Server) handleRiskAttachmentGet(w http.ResponseWriter, r *http.Request) {
	if err := s.riskService(); err != nil {
		s.writeError(w, r, err)
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	a, sid, err := s.risk.Attachment(r.Context(), id)
	if err == nil && sid != 0 {
		sig, serr := s.risk.Signal(r.Context(), sid)
		if err = serr; err == nil {
			err = canSeeSignal(principalOf(r), sig.Author)
		}
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	serveAttachment(w, a)
}
