package audit

import (
	"context"
	"fmt"
	"slices"
	"time"

	"tracegate/epcis"
	"tracegate/ledger"
)

// ContainmentRow is one stored containment interval with the stored
// (ledgered) documents of the events that opened and closed it.
type ContainmentRow struct {
	Parent, Child string
	From          time.Time
	To            *time.Time
	AddSeq        int64
	DelSeq        int64 // 0 when open
	AddBody       []byte
	DelBody       []byte // nil when open, or when no event has DelSeq
}

// ContainmentStore is implemented by stores that keep containment
// intervals beside the aggregation events.
type ContainmentStore interface {
	// ContainmentRows yields every interval by AddSeq.
	ContainmentRows(ctx context.Context, fn func(c *ContainmentRow) error) error
}

// checkContainment checks every containment interval against the events
// it names: the one that opened it must put Child in Parent at From, the
// one that closed it must take it out (or move it elsewhere) at To.
func checkContainment(ctx context.Context, s ContainmentStore, report func(ledger.Finding)) error {
	var lastSeq int64 = -1
	var last *epcis.Event
	decode := func(seq int64, body []byte) *epcis.Event {
		if seq == lastSeq {
			return last
		}
		e, err := epcis.DecodeEvent(body)
		if err != nil {
			e = nil
		}
		lastSeq, last = seq, e
		return e
	}
	return s.ContainmentRows(ctx, func(c *ContainmentRow) error {
		bad := func(format string, args ...any) {
			report(ledger.Finding{Kind: FindingIndexMismatch, Index: -1, Message: fmt.Sprintf(
				"table epcis_containment, row (%s in %s, from event seq %d): ", c.Child, c.Parent, c.AddSeq) + fmt.Sprintf(format, args...)})
		}
		add := decode(c.AddSeq, c.AddBody)
		if add == nil {
			bad("the event that opens it is not stored")
			return nil
		}
		parent, children, remove, at, ok := epcis.ContainmentOf(add)
		switch {
		case !ok || remove || parent != c.Parent || !slices.Contains(children, c.Child):
			bad("the ledgered event it names does not put the child in the parent")
		case !c.From.Equal(at.Truncate(time.Microsecond)):
			bad("field from_time is %v, the ledgered event says %v", c.From.UTC(), at.UTC())
		}
		if c.DelSeq == 0 {
			if c.To != nil {
				bad("field to_time is set but no event closes it")
			}
			return nil
		}
		if c.DelBody == nil {
			bad("the event that closes it (seq %d) is not stored", c.DelSeq)
			return nil
		}
		del, err := epcis.DecodeEvent(c.DelBody)
		if err != nil {
			return nil // the ledger audit reports an undecodable record
		}
		dp, dc, dremove, dat, ok := epcis.ContainmentOf(del)
		closes := ok && ((dremove && dp == c.Parent && (len(dc) == 0 || slices.Contains(dc, c.Child))) ||
			(!dremove && dp != c.Parent && slices.Contains(dc, c.Child)))
		switch {
		case !closes:
			bad("the ledgered event that closes it (seq %d) does not take the child out", c.DelSeq)
		case c.To == nil || !c.To.Equal(dat.Truncate(time.Microsecond)):
			bad("field to_time is %v, the ledgered event that closes it says %v", c.To, dat.UTC())
		}
		return nil
	})
}
