package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress draws a one-line progress bar of bytes read on w.
type progress struct {
	w     io.Writer
	total int64
	start time.Time
	drawn bool
	unit  string // what items are; "" means events
}

func newProgress(w io.Writer, total int64) *progress {
	return &progress{w: w, total: total, start: time.Now()}
}

// update redraws the bar at done bytes and items.
func (p *progress) update(done int64, items int) {
	const width = 30
	frac := 1.0
	if p.total > 0 {
		frac = min(float64(done)/float64(p.total), 1)
	}
	filled := int(frac * width)
	rate := float64(items) / max(time.Since(p.start).Seconds(), 1e-3)
	unit := p.unit
	if unit == "" {
		unit = "events"
	}
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%%  %d %s  %.0f %s/s", strings.Repeat("#", filled), strings.Repeat(" ", width-filled), frac*100, items, unit, rate, unit)
	p.drawn = true
}

// done ends the bar's line.
func (p *progress) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
