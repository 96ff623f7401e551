package web

import (
	"context"
	"net/http"
	"time"

	"tracegate"
)

// Complaint limits (issue 11, finding 8), in memory on each node like the
// scan limits: per client network and per code, a number of complaints an
// hour; a quota on the bytes of stored photos, checked in the filing
// transaction; and a bound on the complaints whose photo is being written
// to the database at once (a photo is streamed to a temporary file while
// it arrives, and read into memory only for its insert).
const (
	// DefaultComplaintNetworkLimit is how many complaints one client
	// network may send an hour.
	DefaultComplaintNetworkLimit = 10
	// DefaultComplaintCodeLimit is how many complaints one code may get an
	// hour.
	DefaultComplaintCodeLimit = 5
	// DefaultComplaintPhotoQuota is the bytes all stored complaint photos
	// may take: 512 MiB, some 250 photos of the 2 MB maximum.
	DefaultComplaintPhotoQuota = 512 << 20
	// complaintInserts bounds the photos held in memory for their insert.
	complaintInserts = 2
)

// complaintGuard holds the complaint limits.
type complaintGuard struct {
	networkLimit, codeLimit int
	photoQuota              int64
	byNetwork, byCode       windowCounter // an hour each
	inserts                 chan struct{}
}

func newComplaintGuard(cfg Config) *complaintGuard {
	g := &complaintGuard{networkLimit: cfg.ComplaintNetworkLimit, codeLimit: cfg.ComplaintCodeLimit, photoQuota: cfg.ComplaintPhotoQuota,
		inserts: make(chan struct{}, complaintInserts)}
	if g.networkLimit == 0 {
		g.networkLimit = DefaultComplaintNetworkLimit
	}
	if g.codeLimit == 0 {
		g.codeLimit = DefaultComplaintCodeLimit
	}
	if g.photoQuota == 0 {
		g.photoQuota = DefaultComplaintPhotoQuota
	}
	g.byNetwork.every, g.byCode.every = time.Hour, time.Hour
	return g
}

// limitComplaint counts one complaint from the client's network about code
// (the label's hash for a genuine code, the code as given otherwise): nil
// within both limits, else ERATELIMIT with Retry-After set.
func (s *Server) limitComplaint(w http.ResponseWriter, r *http.Request, code string) error {
	g, now := s.complaintLimits, s.clock.Now()
	n, ends, full := g.byNetwork.add(clientPrefix(r), 1, now)
	if full || g.networkLimit > 0 && n > g.networkLimit {
		return complaintLimited(w, ends.Sub(now), "too many complaints from your network; try again later")
	}
	m, ends, full := g.byCode.add(code, 1, now)
	if full || g.codeLimit > 0 && m > g.codeLimit {
		return complaintLimited(w, ends.Sub(now), "this code has had many complaints in the last hour; they are being looked at — try again later")
	}
	return nil
}

func complaintLimited(w http.ResponseWriter, wait time.Duration, msg string) error {
	rateLimited(w, wait) // sets Retry-After
	return tracegate.Errorf(tracegate.ERATELIMIT, "%s", msg)
}

// checkPhotoRoom refuses early (EQUOTA) a complaint whose body is larger
// than a complaint without a photo when the photo storage is already full;
// the filing transaction checks the quota exactly.
func (s *Server) checkPhotoRoom(ctx context.Context, r *http.Request) error {
	if r.ContentLength <= maxComplaintFields {
		return nil
	}
	return s.complaints.PhotoRoom(ctx, min(r.ContentLength, maxComplaintPhoto), s.complaintLimits.photoQuota)
}

// insertSlot waits for one of the complaintInserts slots; release gives it
// back. It fails when ctx ends first.
func (g *complaintGuard) insertSlot(ctx context.Context) (release func(), err error) {
	select {
	case g.inserts <- struct{}{}:
		return func() { <-g.inserts }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
