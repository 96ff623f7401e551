package web

import "tracegate"

// creditService returns EUNAVAILABLE when the server runs without credit.
func (s *Server) creditService() error {
	if s.credit == nil {
		return tracegate.Errorf(tracegate.EUNAVAILABLE, "credit is not configured on this server")
	}
	return nil
}

// maxCreditBody bounds the JSON of a recognition or an appeal.
const maxCreditBody = 16 << 10
