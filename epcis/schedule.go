package epcis

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"tracegate"
)

// Schedule is the query schedule of a scheduled subscription (EPCIS 1.2
// §8.2.5.3, the schedule object of the EPCIS 2.0 REST binding). Each field
// is "" (omitted: any value matches) or a comma-separated list of numbers
// and ranges "[low-high]". A query time is a time, in UTC, whose second,
// minute, hour, dayOfMonth, month and dayOfWeek (1 Monday … 7 Sunday) each
// match their field.
type Schedule struct {
	Second     string `json:"second,omitempty"`
	Minute     string `json:"minute,omitempty"`
	Hour       string `json:"hour,omitempty"`
	DayOfMonth string `json:"dayOfMonth,omitempty"`
	Month      string `json:"month,omitempty"`
	DayOfWeek  string `json:"dayOfWeek,omitempty"`
}

// scheduleHorizon bounds the search for the next query time; a schedule
// without one in this span (such as the 31st of February) never runs.
const scheduleHorizon = 30 * 366 * 24 * time.Hour

// sets is a compiled schedule: one bit per allowed value of each field.
type scheduleSets struct {
	second, minute, hour, dom, month, dow uint64
}

// Validate checks every field's grammar and range. It fails with EINVALID
// pointing at /schedule/<field> (the spec's SubscriptionControlsException),
// or at /schedule when no field is given or no time ever matches.
func (s Schedule) Validate() error {
	sets, err := s.compile()
	if err != nil {
		return err
	}
	if s == (Schedule{}) {
		return tracegate.Invalidf("/schedule", "a schedule needs at least one of second, minute, hour, dayOfMonth, month, dayOfWeek")
	}
	now := time.Now().UTC()
	if sets.next(now).IsZero() {
		return tracegate.Invalidf("/schedule", "no time matches this schedule")
	}
	return nil
}

// Next returns the first query time strictly after t (whole seconds, UTC),
// or the zero time when s is invalid or never matches.
func (s Schedule) Next(t time.Time) time.Time {
	sets, err := s.compile()
	if err != nil {
		return time.Time{}
	}
	return sets.next(t)
}

func (s Schedule) compile() (scheduleSets, error) {
	var out scheduleSets
	for _, f := range []struct {
		name   string
		v      string
		lo, hi int
		dst    *uint64
	}{
		{"second", s.Second, 0, 59, &out.second},
		{"minute", s.Minute, 0, 59, &out.minute},
		{"hour", s.Hour, 0, 23, &out.hour},
		{"dayOfMonth", s.DayOfMonth, 1, 31, &out.dom},
		{"month", s.Month, 1, 12, &out.month},
		{"dayOfWeek", s.DayOfWeek, 1, 7, &out.dow},
	} {
		set, err := scheduleField(f.v, f.lo, f.hi)
		if err != nil {
			return out, tracegate.Invalidf("/schedule/"+f.name, "%s %q: %v", f.name, f.v, err)
		}
		*f.dst = set
	}
	return out, nil
}

// scheduleField compiles one field: Element ("," Element)*, Element =
// Number | "[" Number "-" Number "]". An empty field allows every value.
func scheduleField(v string, lo, hi int) (uint64, error) {
	if strings.TrimSpace(v) == "" {
		var all uint64
		for i := lo; i <= hi; i++ {
			all |= 1 << i
		}
		return all, nil
	}
	num := func(s string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || strings.ContainsAny(s, "+-") {
			return 0, fmt.Errorf("%q is not a number", s)
		}
		if n < lo || n > hi {
			return 0, fmt.Errorf("%d is outside %d through %d", n, lo, hi)
		}
		return n, nil
	}
	var set uint64
	for _, el := range strings.Split(v, ",") {
		el = strings.TrimSpace(el)
		a, b := 0, 0
		if strings.HasPrefix(el, "[") && strings.HasSuffix(el, "]") {
			l, h, ok := strings.Cut(el[1:len(el)-1], "-")
			if !ok {
				return 0, fmt.Errorf("a range is [low-high], not %q", el)
			}
			var err error
			if a, err = num(l); err != nil {
				return 0, err
			}
			if b, err = num(h); err != nil {
				return 0, err
			}
			if a > b {
				return 0, fmt.Errorf("range %s starts after it ends", el)
			}
		} else {
			n, err := num(el)
			if err != nil {
				return 0, err
			}
			a, b = n, n
		}
		for i := a; i <= b; i++ {
			set |= 1 << i
		}
	}
	return set, nil
}

func (c scheduleSets) next(after time.Time) time.Time {
	t := after.UTC().Truncate(time.Second).Add(time.Second)
	end := t.Add(scheduleHorizon)
	has := func(set uint64, v int) bool { return set&(1<<v) != 0 }
	for t.Before(end) {
		y, m, d := t.Date()
		switch {
		case !has(c.month, int(m)):
			t = time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
		case !has(c.dom, d) || !has(c.dow, isoWeekday(t)):
			t = time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
		case !has(c.hour, t.Hour()):
			t = t.Truncate(time.Hour).Add(time.Hour)
		case !has(c.minute, t.Minute()):
			t = t.Truncate(time.Minute).Add(time.Minute)
		case !has(c.second, t.Second()):
			t = t.Add(time.Second)
		default:
			return t
		}
	}
	return time.Time{}
}

// isoWeekday is 1 for Monday … 7 for Sunday.
func isoWeekday(t time.Time) int {
	if w := int(t.Weekday()); w != 0 {
		return w
	}
	return 7
}
