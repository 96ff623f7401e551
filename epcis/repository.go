package epcis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"time"

	"tracegate"
)

// RepositoryStore is what the Repository runs over.
type RepositoryStore interface {
	Store
	ContainmentStore
	SubscriptionStore
	CompanyPrefixStore
}

// Reader is who reads the repository: an enterprise sees the events it
// may see (the one visibility rule, docs/security-epcis.md: eventsql's
// predicate), a reader with All every event (a regulator).
type Reader struct {
	EnterpriseID int64
	All          bool
}

// Repository is the EPCIS repository's use-cases over a store: capture,
// queries within the reader's view, containment, named queries and their
// subscriptions, the company prefixes that make enterprises parties.
type Repository struct {
	s RepositoryStore
}

// NewRepository returns the repository over s.
func NewRepository(s RepositoryStore) *Repository { return &Repository{s: s} }

// Capture validates and stores the document of req (Capture).
func (r *Repository) Capture(ctx context.Context, req CaptureRequest) (*CaptureJob, error) {
	return Capture(ctx, r.s, req)
}

// CaptureJob returns capture job id if rd may see it (the capturing
// enterprise, or All), else ENOTFOUND: others' jobs are not revealed.
func (r *Repository) CaptureJob(ctx context.Context, rd Reader, id int64) (*CaptureJob, error) {
	job, err := r.s.FindCaptureJob(ctx, id)
	if err != nil {
		return nil, err
	}
	if !rd.All && job.EnterpriseID != rd.EnterpriseID {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no capture job %d", id)
	}
	return job, nil
}

// Query answers q within rd's view: a page of records and the token of
// the next. With q.MaxEventCount it fails with ETOOLARGE when more events
// match (QueryTooLargeException).
func (r *Repository) Query(ctx context.Context, rd Reader, q *Query) ([]*Record, string, error) {
	if !rd.All {
		q.EnterpriseID = rd.EnterpriseID
	}
	if q.MaxEventCount > 0 {
		probe := *q
		probe.PerPage, probe.EventCountLimit, probe.PageToken, probe.OmitBody = q.MaxEventCount+1, 0, "", true
		recs, _, err := r.s.QueryEvents(ctx, &probe)
		if err != nil {
			return nil, "", err
		}
		if len(recs) > q.MaxEventCount {
			return nil, "", tracegate.Errorf(tracegate.ETOOLARGE, "more than maxEventCount=%d events match (QueryTooLargeException)", q.MaxEventCount)
		}
	}
	return r.s.QueryEvents(ctx, q)
}

// Event returns the first-captured event whose eventID or hash is id, when
// rd may see that stored record; the check is on the record found, never
// on another event with its eventID. Else ENOTFOUND.
func (r *Repository) Event(ctx context.Context, rd Reader, id string) (*Record, error) {
	rec, err := r.s.FindEvent(ctx, id)
	if err != nil {
		return nil, err
	}
	if !rd.All && rec.EnterpriseID != rd.EnterpriseID {
		visible, _, err := r.s.QueryEvents(ctx, &Query{Seqs: []int64{rec.Seq}, EnterpriseID: rd.EnterpriseID, PerPage: 1, OmitBody: true})
		if err != nil {
			return nil, err
		}
		if len(visible) == 0 {
			return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no event %s", id)
		}
	}
	return rec, nil
}

// Contents answers what was inside parent at at (every descendant with
// deep), as far as rd may see: ENOTFOUND when rd may see no event about
// parent, and only the intervals whose AggregationEvent rd may see.
func (r *Repository) Contents(ctx context.Context, rd Reader, parent string, at time.Time, deep bool) ([]Containment, error) {
	if err := r.mayAsk(ctx, rd, parent); err != nil {
		return nil, err
	}
	list, err := r.s.Contents(ctx, parent, at, deep)
	if err != nil {
		return nil, err
	}
	return r.visible(ctx, rd, list)
}

// Containers answers the chain of parents around child at at, innermost
// first, as far as rd may see (as Contents).
func (r *Repository) Containers(ctx context.Context, rd Reader, child string, at time.Time) ([]Containment, error) {
	if err := r.mayAsk(ctx, rd, child); err != nil {
		return nil, err
	}
	list, err := r.s.Containers(ctx, child, at)
	if err != nil {
		return nil, err
	}
	return r.visible(ctx, rd, list)
}

// mayAsk: rd may ask about an identifier when it may see an event about
// it; otherwise ENOTFOUND, revealing nothing.
func (r *Repository) mayAsk(ctx context.Context, rd Reader, epc string) error {
	if rd.All {
		return nil
	}
	recs, _, err := r.s.QueryEvents(ctx, &Query{MatchAnyEPC: []string{CanonicalEPC(epc)}, EnterpriseID: rd.EnterpriseID, PerPage: 1, OmitBody: true})
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return tracegate.Errorf(tracegate.ENOTFOUND, "no events you may see about %s", epc)
	}
	return nil
}

// visible keeps the intervals whose AggregationEvent rd may see, asking
// the store once per MaxPerPage intervals.
func (r *Repository) visible(ctx context.Context, rd Reader, list []Containment) ([]Containment, error) {
	if rd.All || len(list) == 0 {
		return list, nil
	}
	seqs := make([]int64, 0, len(list))
	for _, c := range list {
		seqs = append(seqs, c.AddSeq)
	}
	slices.Sort(seqs)
	seqs = slices.Compact(seqs)
	seen := map[int64]bool{}
	for chunk := range slices.Chunk(seqs, MaxPerPage) {
		recs, _, err := r.s.QueryEvents(ctx, &Query{Seqs: chunk, EnterpriseID: rd.EnterpriseID, PerPage: MaxPerPage, OmitBody: true})
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			seen[rec.Seq] = true
		}
	}
	out := list[:0]
	for _, c := range list {
		if seen[c.AddSeq] {
			out = append(out, c)
		}
	}
	return out, nil
}

// CreateNamedQuery stores q under its owner; ECONFLICT when the owner has
// the name.
func (r *Repository) CreateNamedQuery(ctx context.Context, q *NamedQuery) error {
	return r.s.CreateNamedQuery(ctx, q)
}

// NamedQuery returns the enterprise's query name, or ENOTFOUND.
func (r *Repository) NamedQuery(ctx context.Context, enterpriseID int64, name string) (*NamedQuery, error) {
	return r.s.FindNamedQuery(ctx, enterpriseID, name)
}

// NamedQueries lists the enterprise's queries by name.
func (r *Repository) NamedQueries(ctx context.Context, enterpriseID int64) ([]*NamedQuery, error) {
	return r.s.ListNamedQueries(ctx, enterpriseID)
}

// DeleteNamedQuery removes the enterprise's query name and its
// subscriptions, or fails with ENOTFOUND.
func (r *Repository) DeleteNamedQuery(ctx context.Context, enterpriseID int64, name string) error {
	return r.s.DeleteNamedQuery(ctx, enterpriseID, name)
}

// Subscribe subscribes sub (Dest, Token, Schedule and ReportIfEmpty set
// and checked) to the enterprise's query name from the events recorded
// after from (zero: from now on), setting its ID, QueryID and Position. It
// returns the query; ENOTFOUND for a name the enterprise has not.
func (r *Repository) Subscribe(ctx context.Context, enterpriseID int64, name string, sub *Subscription, from time.Time) (*NamedQuery, error) {
	nq, err := r.s.FindNamedQuery(ctx, enterpriseID, name)
	if err != nil {
		return nil, err
	}
	pos, err := r.s.LastSeq(ctx, from)
	if err != nil {
		return nil, err
	}
	var id [16]byte
	rand.Read(id[:])
	sub.ID, sub.QueryID, sub.Position = hex.EncodeToString(id[:]), nq.ID, pos
	if err := r.s.CreateSubscription(ctx, sub); err != nil {
		return nil, err
	}
	return nq, nil
}

// Subscriptions lists the subscriptions of the enterprise's query name;
// ENOTFOUND for a name it has not.
func (r *Repository) Subscriptions(ctx context.Context, enterpriseID int64, name string) ([]*Subscription, error) {
	nq, err := r.s.FindNamedQuery(ctx, enterpriseID, name)
	if err != nil {
		return nil, err
	}
	return r.s.ListSubscriptions(ctx, nq.ID)
}

// Unsubscribe removes subscription id of the enterprise's query name, or
// fails with ENOTFOUND.
func (r *Repository) Unsubscribe(ctx context.Context, enterpriseID int64, name, id string) error {
	nq, err := r.s.FindNamedQuery(ctx, enterpriseID, name)
	if err != nil {
		return err
	}
	return r.s.DeleteSubscription(ctx, nq.ID, id)
}

// RegisterCompanyPrefix registers prefix (checked: ParseCompanyPrefix) to
// the enterprise; ECONFLICT when another holds it.
func (r *Repository) RegisterCompanyPrefix(ctx context.Context, enterpriseID int64, prefix string) (string, error) {
	prefix, err := ParseCompanyPrefix(prefix)
	if err != nil {
		return "", err
	}
	return prefix, r.s.RegisterCompanyPrefix(ctx, enterpriseID, prefix)
}

// CompanyPrefixes lists the enterprise's prefixes in order.
func (r *Repository) CompanyPrefixes(ctx context.Context, enterpriseID int64) ([]string, error) {
	return r.s.CompanyPrefixes(ctx, enterpriseID)
}
