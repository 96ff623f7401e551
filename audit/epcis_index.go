package audit

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"tracegate/epcis"
	"tracegate/ledger"
)

// StoredEvent is an EPCIS event as a store keeps it: the columns queries
// filter on beside the stored document, and its identifier and attribute
// rows.
type StoredEvent struct {
	Seq         int64
	LedgerIndex int64
	EventID     string
	Hash        string
	Type        string
	EventTime   time.Time
	Action      string
	BizStep     string
	Disposition string
	ReadPoint   string
	BizLocation string
	Body        []byte
	// EPCs are the identifier rows (role, canonical identifier).
	EPCs [][2]string
	// Attrs are the attribute rows (kind, type, value).
	Attrs [][3]string
}

// IndexStore is implemented by stores whose EPCIS queries answer from
// index columns and rows beside the stored documents.
type IndexStore interface {
	// StoredEvents yields every event's row (EPCs and Attrs empty) by seq.
	StoredEvents(ctx context.Context, fn func(e *StoredEvent) error) error
	// StoredEventEPCs yields every identifier row by seq.
	StoredEventEPCs(ctx context.Context, fn func(seq int64, role, epc string) error) error
	// StoredEventAttrs yields every attribute row by seq.
	StoredEventAttrs(ctx context.Context, fn func(seq int64, kind, typ, value string) error) error
	// DeriveIndex returns the row and index rows the store writes for r.
	DeriveIndex(r *epcis.Record) *StoredEvent
}

type indexRow struct {
	seq int64
	row [3]string
}

// rowSeq turns a callback-style row reader into a sequence.
func rowSeq(read func(fn func(seq int64, row [3]string) error) error) iter.Seq2[indexRow, error] {
	return func(yield func(indexRow, error) bool) {
		err := read(func(seq int64, row [3]string) error {
			if !yield(indexRow{seq, row}, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(indexRow{}, err)
		}
	}
}

// rowCursor reads the rows of one seq at a time from an ordered sequence.
type rowCursor struct {
	next func() (indexRow, error, bool)
	cur  indexRow
	ok   bool
	err  error
}

func newRowCursor(s iter.Seq2[indexRow, error]) (*rowCursor, func()) {
	next, stop := iter.Pull2(s)
	c := &rowCursor{next: next}
	c.advance()
	return c, stop
}

func (c *rowCursor) advance() { c.cur, c.err, c.ok = c.next() }

// take returns the rows of seq, skipping (and returning separately) rows
// of smaller seqs, which belong to no event.
func (c *rowCursor) take(seq int64) (rows, orphans [][3]string, err error) {
	for c.ok {
		if c.err != nil {
			return nil, nil, c.err
		}
		switch {
		case c.cur.seq < seq:
			orphans = append(orphans, c.cur.row)
		case c.cur.seq == seq:
			rows = append(rows, c.cur.row)
		default:
			return rows, orphans, nil
		}
		c.advance()
	}
	return rows, orphans, nil
}

// checkEventIndex rebuilds every event's index columns and rows from its
// stored (ledgered) document and compares them with the stored ones.
func checkEventIndex(ctx context.Context, s IndexStore, report func(ledger.Finding)) error {
	epcs, stopE := newRowCursor(rowSeq(func(fn func(int64, [3]string) error) error {
		return s.StoredEventEPCs(ctx, func(seq int64, role, epc string) error { return fn(seq, [3]string{role, epc}) })
	}))
	defer stopE()
	attrs, stopA := newRowCursor(rowSeq(func(fn func(int64, [3]string) error) error {
		return s.StoredEventAttrs(ctx, func(seq int64, kind, typ, value string) error { return fn(seq, [3]string{kind, typ, value}) })
	}))
	defer stopA()
	bad := func(e *StoredEvent, format string, args ...any) {
		report(ledger.Finding{Kind: FindingIndexMismatch, Index: e.LedgerIndex,
			Message: fmt.Sprintf("event seq %d: ", e.Seq) + fmt.Sprintf(format, args...)})
	}
	err := s.StoredEvents(ctx, func(st *StoredEvent) error {
		gotEPCs, orphanE, err := epcs.take(st.Seq)
		if err != nil {
			return err
		}
		gotAttrs, orphanA, err := attrs.take(st.Seq)
		if err != nil {
			return err
		}
		for _, o := range orphanE {
			bad(st, "table epcis_epcs has a row (%s %s) of no stored event before it", o[0], o[1])
		}
		for _, o := range orphanA {
			bad(st, "table epcis_attrs has a row (%s %s %s) of no stored event before it", o[0], o[1], o[2])
		}
		ev, err := epcis.DecodeEvent(st.Body)
		if err != nil {
			return nil // the ledger audit reports an undecodable record
		}
		want := s.DeriveIndex(epcis.NewRecord(ev, 0))
		for _, f := range []struct{ name, got, want string }{
			{"event_id", st.EventID, want.EventID}, {"event_hash", st.Hash, want.Hash}, {"event_type", st.Type, want.Type},
			{"action", st.Action, want.Action}, {"biz_step", st.BizStep, want.BizStep}, {"disposition", st.Disposition, want.Disposition},
			{"read_point", st.ReadPoint, want.ReadPoint}, {"biz_location", st.BizLocation, want.BizLocation},
		} {
			if f.got != f.want {
				bad(st, "table epcis_events, field %s is %q, the ledgered document says %q", f.name, f.got, f.want)
			}
		}
		if !st.EventTime.Equal(want.EventTime.Truncate(time.Microsecond)) {
			bad(st, "table epcis_events, field event_time is %v, the ledgered document says %v", st.EventTime.UTC(), want.EventTime.UTC())
		}
		if !bytes.Equal(st.Body, want.Body) {
			bad(st, "table epcis_events, field body is not the canonical form of the document it decodes to")
		}
		var wantE [][3]string
		for _, x := range want.EPCs {
			wantE = append(wantE, [3]string{x[0], x[1]})
		}
		diffRows(gotEPCs, wantE, func(row [3]string, extra bool) {
			bad(st, "table epcis_epcs, row (%s %s) %s", row[0], row[1], missingOrExtra(extra))
		})
		diffRows(gotAttrs, want.Attrs, func(row [3]string, extra bool) {
			bad(st, "table epcis_attrs, row (%s %s %q) %s", row[0], row[1], row[2], missingOrExtra(extra))
		})
		return nil
	})
	if err != nil {
		return err
	}
	// Rows after the last event belong to none.
	for _, c := range []struct {
		cur   *rowCursor
		table string
	}{{epcs, "epcis_epcs"}, {attrs, "epcis_attrs"}} {
		_, orphans, err := c.cur.take(1 << 62)
		if err != nil {
			return err
		}
		for _, o := range orphans {
			report(ledger.Finding{Kind: FindingIndexMismatch, Index: -1, Message: fmt.Sprintf("table %s has a row %q of no stored event", c.table, o)})
		}
	}
	return nil
}

func missingOrExtra(extra bool) string {
	if extra {
		return "is not derived from the ledgered document (changed or inserted)"
	}
	return "is missing (changed or deleted)"
}

// diffRows compares two multisets of rows, calling fn for each row only
// in got (extra) or only in want.
func diffRows(got, want [][3]string, fn func(row [3]string, extra bool)) {
	order := func(a, b [3]string) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]), cmp.Compare(a[2], b[2]))
	}
	got, want = slices.Clone(got), slices.Clone(want)
	slices.SortFunc(got, order)
	slices.SortFunc(want, order)
	i, j := 0, 0
	for i < len(got) || j < len(want) {
		switch {
		case j == len(want) || (i < len(got) && order(got[i], want[j]) < 0):
			fn(got[i], true)
			i++
		case i == len(got) || order(got[i], want[j]) > 0:
			fn(want[j], false)
			j++
		default:
			i++
			j++
		}
	}
}
