package customs

import (
	_ "embed"
	"encoding/csv"
	"strings"
	"sync"
)

// transportModesCSV is the China Customs transport mode table (运输方式代码)
// that trafMode uses; its header says where it comes from.
//
//go:embed codes/transport-modes.csv
var transportModesCSV string

// TransportMode is one code of the customs transport mode table. Mode is
// the real means of transport ("sea", "rail", "road", "air", "post",
// "other", "passenger", "fixed"), or empty when the code names a kind of
// supervised area the goods move out of (Y 保税港区, W 物流中心, …): customs'
// "special transport modes" for movements without a border crossing.
type TransportMode struct {
	Code   string `json:"code"`
	Mode   string `json:"mode,omitempty"`
	NameZH string `json:"nameZh"`
	NameEN string `json:"nameEn"`
}

// IsArea reports whether the code names a supervised area, not a means of
// transport. It never fails.
func (t TransportMode) IsArea() bool { return t.Mode == "" }

// Name is the name in Chinese or, with en, English. It never fails.
func (t TransportMode) Name(en bool) string {
	if en {
		return t.NameEN
	}
	return t.NameZH
}

var transportModeTable = sync.OnceValue(func() map[string]TransportMode {
	r := csv.NewReader(strings.NewReader(transportModesCSV))
	r.Comment = '#'
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 2 {
		panic("customs: embedded transport mode table: " + errString(err))
	}
	m := make(map[string]TransportMode, len(rows)-1)
	for _, row := range rows[1:] {
		m[row[0]] = TransportMode{Code: row[0], Mode: row[1], NameZH: row[2], NameEN: row[3]}
	}
	return m
})

// LookupTransportMode returns the entry of a trafMode code ("5" is air,
// "Y" a bonded port area; letters in either case); ok is false for a code
// the table lacks. It never fails otherwise.
func LookupTransportMode(code string) (t TransportMode, ok bool) {
	t, ok = transportModeTable()[strings.ToUpper(strings.TrimSpace(code))]
	return t, ok
}

// DepartureCountry returns the ISO 3166-1 alpha-2 code of the country the
// goods of h were sent from: its country field for a direct-mail
// inventory (9610). A bonded inventory (1210, 1239) must declare 142
// there, which says nothing of the departure, and a code that is no
// country (701 unknown, …) or not in the table gives "" too. It never
// fails.
func (h *InventoryHead) DepartureCountry() string {
	if tm := strings.TrimSpace(h.TradeMode); tm == TradeModeBonded || tm == "1239" {
		return ""
	}
	c, _ := LookupCountry(h.Country)
	return c.ISO
}
