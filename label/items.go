package label

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"tracegate/customs"
)

// ItemCount is the number of traceability items on a scan page.
const ItemCount = 21

// Item is one of the 21 traceability items: its label in the page's
// language, its value, and whether anything was recorded for it (when not,
// Value says "未记录" or "not recorded").
type Item struct {
	Label    string `json:"label"`
	Value    string `json:"value"`
	Recorded bool   `json:"recorded"`
}

// Items are the 21 items in the order of DOMAIN.md; Items[0] is item 1. In
// JSON they are an object keyed "1" … "21", written in that order.
type Items [ItemCount]Item

// MarshalJSON writes the items as {"1":{…},…,"21":{…}}; it never fails.
func (it Items) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, item := range it {
		if i > 0 {
			b.WriteByte(',')
		}
		v, err := json.Marshal(item)
		if err != nil {
			return nil, err
		}
		b.WriteString(`"` + strconv.Itoa(i+1) + `":`)
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads what MarshalJSON writes. It fails on keys other than
// "1" … "21".
func (it *Items) UnmarshalJSON(data []byte) error {
	var m map[string]Item
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	for k, v := range m {
		n, err := strconv.Atoi(k)
		if err != nil || n < 1 || n > ItemCount || strconv.Itoa(n) != k {
			return fmt.Errorf("label: item key %q is not 1 to %d", k, ItemCount)
		}
		it[n-1] = v
	}
	return nil
}

// parts joins the recorded parts of a composite item; a missing part shows
// as not recorded when another part is there.
type parts struct {
	en   bool
	vals []string
	any  bool
}

// add appends one part; label is written before the value ("批次 L1").
func (p *parts) add(label, value string) {
	if value == "" {
		if label == "" {
			return
		}
		value = notRecorded(p.en)
	} else {
		p.any = true
	}
	if label != "" {
		value = label + " " + value
	}
	p.vals = append(p.vals, value)
}

func (p *parts) item() (string, bool) {
	if !p.any {
		return "", false
	}
	return strings.Join(p.vals, textsFor(p.en).Join), true
}

// day formats a date for the page in China Standard Time; "" for zero.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(chinaTime).Format(time.DateOnly)
}

// countryName names an ISO 3166-1 alpha-2 region in the page's language,
// followed by its code: "澳大利亚 (AU)". An unknown code is shown as given.
func countryName(code string, en bool) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	if code == "" {
		return ""
	}
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	tag := language.SimplifiedChinese
	if en {
		tag = language.English
	}
	if name := display.Regions(tag).Name(r); name != "" {
		return name + " (" + code + ")"
	}
	return code
}

// transportMode words a China customs transport mode code (运输方式代码,
// trafMode) for item 16 and, separately, the supervised area that a
// special-mode code names instead (Y 保税港区: the goods left a bonded port
// area, which says nothing of how they crossed the border). Text that is no
// code is shown as the mode, as given.
func transportMode(code string, en bool) (mode, area string) {
	code = strings.TrimSpace(code)
	m, ok := customs.LookupTransportMode(code)
	switch {
	case !ok:
		return code, ""
	case m.IsArea():
		return "", m.Name(en)
	}
	return m.Name(en), ""
}
