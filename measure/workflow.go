package measure

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"tracegate"
	"tracegate/bus"
)

// SubjectPrefix begins the bus subject of every measure event:
// tracegate.measure.<kind>.<event>.
const SubjectPrefix = "tracegate.measure."

// Notice is the payload of a measure's bus message: the measure as it now
// is, the step, and the enterprises to notify (its owner and the holders
// of affected goods, by USCC).
type Notice struct {
	Measure    *Measure `json:"measure"`
	Event      string   `json:"event"`
	Step       Step     `json:"step"`
	Owner      string   `json:"owner"`
	Recipients []string `json:"recipients"`
}

// write makes the Write of step st of m: its leaf and, unless it is a
// draft's, its message to the owner and the holders of affected goods.
func (s *Service) write(ctx context.Context, m *Measure, st Step) (*Write, error) {
	leaf, err := Leaf(m, &st)
	if err != nil {
		return nil, err
	}
	w := &Write{Step: st, Leaf: leaf}
	if m.Status == Draft || st.Event == EventDrafted || st.From == Draft && st.To == Cancelled {
		return w, nil // a draft is nobody's business but the regulator's
	}
	recipients, err := s.recipients(ctx, m)
	if err != nil {
		return nil, err
	}
	head := *m
	head.History, head.Acks, head.Pending = nil, nil, nil
	msg, err := bus.NewMessage(SubjectPrefix+string(m.Kind)+"."+st.Event,
		Notice{Measure: &head, Event: st.Event, Step: st, Owner: m.Owner, Recipients: recipients})
	if err != nil {
		return nil, err
	}
	msg.At = st.At
	w.Messages = []bus.Message{msg}
	return w, nil
}

// recipients are the owner and the holders of goods m covers, by USCC.
func (s *Service) recipients(ctx context.Context, m *Measure) ([]string, error) {
	hs, err := s.store.MeasureHolders(ctx, m.Selector)
	if err != nil {
		return nil, err
	}
	out := []string{m.Owner}
	for _, h := range hs {
		if !slices.Contains(out, h.USCC) {
			out = append(out, h.USCC)
		}
	}
	return out, nil
}

// next says who may move a measure from one status to another: "owner",
// "regulator", or "" when the transition is not in the workflow
// (draft → ordered → in_progress → completed → verified, cancelled from
// any status before verified).
func next(from, to Status) string {
	switch {
	case from == Draft && to == Ordered,
		from == Completed && to == Verified,
		to == Cancelled && from != Verified && from != Cancelled:
		return "regulator"
	case from == Ordered && to == InProgress, from == InProgress && to == Completed:
		return "owner"
	}
	return ""
}

// Transition moves measure id to status to as p, with a note: the owner
// moves it to in_progress and completed, the regulator orders a draft,
// verifies and cancels. It fails with ENOTFOUND for a measure p may not
// see, EINVALID (/status) for an unknown status or a note over 1000
// characters, ECONFLICT (/status) for a transition out of order and
// EFORBIDDEN (/status) for one that is not p's to make; nothing is stored
// then.
func (s *Service) Transition(ctx context.Context, p *tracegate.Principal, id string, to Status, note string) (*Measure, error) {
	switch to {
	case Ordered, InProgress, Completed, Verified, Cancelled:
	default:
		return nil, tracegate.Invalidf("/status", `status must be one of "ordered", "in_progress", "completed", "verified", "cancelled"`)
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 1000 {
		return nil, tracegate.Invalidf("/note", "note is at most 1000 characters")
	}
	var out *Measure
	inForce := false
	err := s.store.ChangeMeasure(ctx, id, func(m *Measure) (*Write, error) {
		if err := s.canSee(ctx, p, m); err != nil {
			return nil, err
		}
		who := next(m.Status, to)
		switch {
		case who == "":
			return nil, &tracegate.Error{Code: tracegate.ECONFLICT, Pointer: "/status",
				Message: "measure " + m.ID + " is " + string(m.Status) + ": it cannot become " + string(to)}
		case who == "regulator" && p.Role != tracegate.RoleRegulator:
			return nil, &tracegate.Error{Code: tracegate.EFORBIDDEN, Pointer: "/status", Message: "only the regulator moves a measure to " + string(to)}
		case who == "owner" && p.USCC != m.Owner:
			return nil, &tracegate.Error{Code: tracegate.EFORBIDDEN, Pointer: "/status", Message: "only the owner " + m.Owner + " moves a measure to " + string(to)}
		}
		now := s.now()
		st := Step{Seq: len(m.History) + len(m.Acks) + 1, Event: EventStatus, From: m.Status, To: to, By: p.USCC, At: now, Note: note}
		if m.Status == Draft && to == Ordered {
			st.Event, m.Since = EventOrdered, &now
		}
		inForce = m.Status == Draft || to == Verified || to == Cancelled
		m.Status, m.UpdatedAt = to, now
		m.History = append(m.History, Transition{From: st.From, To: to, By: p.USCC, At: now, Note: note})
		out = m
		return s.write(ctx, m, st)
	})
	if err != nil {
		return nil, err
	}
	if inForce && s.cfg.Changed != nil {
		s.cfg.Changed()
	}
	return out, s.fillAcks(ctx, p, out)
}

// Acknowledge records that p's enterprise has taken note of measure id:
// the owner or an enterprise holding affected goods, once (acknowledging
// again returns the measure unchanged). It fails with ENOTFOUND for a
// measure p may not see or a draft, EFORBIDDEN for the regulator, and
// ECONFLICT for a measure no longer in its workflow (verified, cancelled).
func (s *Service) Acknowledge(ctx context.Context, p *tracegate.Principal, id, note string) (*Measure, error) {
	if p.Role == tracegate.RoleRegulator {
		return nil, &tracegate.Error{Code: tracegate.EFORBIDDEN, Message: "the regulator orders measures; the enterprises concerned acknowledge them"}
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 1000 {
		return nil, tracegate.Invalidf("/note", "note is at most 1000 characters")
	}
	var out *Measure
	err := s.store.ChangeMeasure(ctx, id, func(m *Measure) (*Write, error) {
		if err := s.canSee(ctx, p, m); err != nil {
			return nil, err
		}
		out = m
		if slices.ContainsFunc(m.Acks, func(a Ack) bool { return a.By == p.USCC }) {
			return nil, nil
		}
		if m.Status == Verified || m.Status == Cancelled {
			return nil, tracegate.Errorf(tracegate.ECONFLICT, "measure %s is %s: there is nothing to acknowledge", m.ID, m.Status)
		}
		now := s.now()
		st := Step{Seq: len(m.History) + len(m.Acks) + 1, Event: EventAck, By: p.USCC, At: now, Note: note}
		m.Acks = append(m.Acks, Ack{By: p.USCC, At: now, Note: note})
		return s.write(ctx, m, st)
	})
	if err != nil {
		return nil, err
	}
	return out, s.fillAcks(ctx, p, out)
}

func (s *Service) now() time.Time { return s.cfg.Clock.Now().UTC().Truncate(time.Microsecond) }
