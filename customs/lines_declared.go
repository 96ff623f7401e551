package customs

import (
	"strconv"
	"strings"
	"time"
)

// DeclaredLine is one inventory line as barcode analytics (package risk)
// reads it: the line's GTIN and what was declared of it. The intake stores
// the lines of a declaration with each of its second-line decisions
// (StoreTx.SaveDeclaredLines), in the decision's transaction, so the
// analytics never re-reads the documents.
type DeclaredLine struct {
	Gnum       int
	GTIN       string // 14 digits
	HS         string // gcode as declared
	Price      Money  // unit price, rounded half up to the fen
	Total      Money  // totalPrice, rounded half up to the fen
	Gmodel     string // specification as declared
	Unit       string // unit code (JGS-20)
	Country    string // country of origin (customs code)
	DeclaredAt time.Time
}

// DeclaredLines returns the lines of inv whose barCode is a valid GTIN (a
// line without one is no subject of barcode analytics), dated by the
// inventory's declTime (else its appTime, else at). It never fails: an
// amount that does not parse is 0.
func DeclaredLines(inv *Inventory, at time.Time) []DeclaredLine {
	when := declDate(inv.Head.DeclTime, inv.Head.AppTime)
	if when.IsZero() {
		when = at
	}
	var out []DeclaredLine
	for i, l := range inv.Lines {
		if l.BarCode == nil {
			continue
		}
		g := gtin14(*l.BarCode)
		if g == "" {
			continue
		}
		gnum, err := strconv.Atoi(strings.TrimSpace(l.Gnum))
		if err != nil {
			gnum = i + 1
		}
		out = append(out, DeclaredLine{Gnum: gnum, GTIN: g, HS: strings.TrimSpace(l.Gcode),
			Price: roundedFen(l.Price), Total: roundedFen(l.TotalPrice), Gmodel: l.Gmodel,
			Unit: strings.TrimSpace(l.Unit), Country: strings.TrimSpace(l.Country), DeclaredAt: when.UTC()})
	}
	return out
}

// roundedFen parses a decimal of any precision (price has 5 fraction
// digits) to the fen, half up; 0 when it is no non-negative decimal.
func roundedFen(s string) Money {
	t := strings.TrimSpace(s)
	ip, fp, _ := strings.Cut(t, ".")
	if ip == "" && fp == "" || !allDigits(ip) || !allDigits(fp) || len(strings.TrimLeft(ip, "0")) > 13 {
		return 0
	}
	fp += "000"
	yuan, _ := strconv.ParseInt("0"+ip, 10, 64)
	fen, _ := strconv.ParseInt(fp[:2], 10, 64)
	m := Money(yuan*100 + fen)
	if fp[2] >= '5' {
		m++
	}
	return m
}
