package console

import (
	"encoding/json"
	"html/template"
	"slices"
	"time"

	"tracegate"
	"tracegate/label"
	"tracegate/locale"
)

// dashboardDays is how far back the dashboard looks.
const dashboardDays = 30

// chart is one dashboard chart: its ECharts option (JSON, read by
// console.js) and the same numbers as a table, for readers without
// JavaScript or with a screen reader.
type chart struct {
	ID, Title string // Title is a catalog key
	Option    template.JS
	Head      []string
	Rows      [][]string
	Empty     bool
}

type series struct {
	Name  string  `json:"name"`
	Type  string  `json:"type"`
	Stack string  `json:"stack,omitempty"`
	Data  []int64 `json:"data"`
}

// barOption is a (stacked) bar or line chart over categories.
func barOption(cats []string, ss []series, horizontal bool) template.JS {
	cat := map[string]any{"type": "category", "data": cats}
	val := map[string]any{"type": "value", "minInterval": 1}
	opt := map[string]any{
		"aria":    map[string]any{"enabled": true},
		"tooltip": map[string]any{"trigger": "axis"},
		"legend":  map[string]any{"top": 0},
		"grid":    map[string]any{"left": 48, "right": 16, "top": 32, "bottom": 32, "containLabel": true},
		"series":  ss,
		"xAxis":   cat, "yAxis": val,
	}
	if horizontal {
		opt["xAxis"], opt["yAxis"] = val, cat
	}
	b, _ := json.Marshal(opt)
	return template.JS(b)
}

func tableOf(cats []string, ss []series, first string) ([]string, [][]string) {
	head := []string{first}
	for _, s := range ss {
		head = append(head, s.Name)
	}
	var rows [][]string
	for i, c := range cats {
		row := []string{c}
		for _, s := range ss {
			row = append(row, itoa(s.Data[i]))
		}
		rows = append(rows, row)
	}
	return head, rows
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

// days lists the day labels of the window ending today.
func days(now time.Time) ([]time.Time, []string) {
	today := now.UTC().Truncate(24 * time.Hour)
	var ts []time.Time
	var labels []string
	for i := dashboardDays - 1; i >= 0; i-- {
		d := today.AddDate(0, 0, -i)
		ts = append(ts, d)
		labels = append(labels, d.Format("01-02"))
	}
	return ts, labels
}

// byDay spreads counts over the window's days, one series per key.
func byDay(ts []time.Time, counts []tracegate.DayCount, key func(tracegate.DayCount) string, name func(string) string, kind, stack string) []series {
	idx := map[time.Time]int{}
	for i, t := range ts {
		idx[t] = i
	}
	m := map[string][]int64{}
	var keys []string
	for _, c := range counts {
		i, ok := idx[c.Day]
		if !ok {
			continue
		}
		k := key(c)
		if m[k] == nil {
			m[k] = make([]int64, len(ts))
			keys = append(keys, k)
		}
		m[k][i] += c.N
	}
	slices.Sort(keys)
	var out []series
	for _, k := range keys {
		out = append(out, series{Name: name(k), Type: kind, Stack: stack, Data: m[k]})
	}
	return out
}

func (c *Console) dashboardCharts(l locale.Lang, d *tracegate.Dashboard, now time.Time) []chart {
	t := func(k string) string { return locale.T(l, k) }
	outcome := func(k string) string { return t("console.outcome." + k) }
	ts, labels := days(now)
	var charts []chart
	add := func(id, title string, cats []string, ss []series, horizontal bool, first string) {
		ch := chart{ID: id, Title: title, Option: barOption(cats, ss, horizontal), Empty: len(ss) == 0}
		ch.Head, ch.Rows = tableOf(cats, ss, first)
		charts = append(charts, ch)
	}
	decl := byDay(ts, d.Declarations, func(c tracegate.DayCount) string { return c.Key }, outcome, "bar", "outcome")
	add("declarations", "console.chart.declarations", labels, decl, false, t("console.chart.day"))

	// By port: one category per port, stacked by outcome.
	ports, perPort := []string{}, map[string]map[string]int64{}
	for _, c := range d.Declarations {
		p := c.Sub
		if p == "" {
			p = "—"
		}
		if perPort[p] == nil {
			perPort[p] = map[string]int64{}
			ports = append(ports, p)
		}
		perPort[p][c.Key] += c.N
	}
	slices.Sort(ports)
	var portSeries []series
	for _, o := range []string{"pass", "review", "refuse", "waiting", "cancelled"} {
		s := series{Name: outcome(o), Type: "bar", Stack: "outcome", Data: make([]int64, len(ports))}
		var any bool
		for i, p := range ports {
			s.Data[i] = perPort[p][o]
			any = any || s.Data[i] > 0
		}
		if any {
			portSeries = append(portSeries, s)
		}
	}
	add("ports", "console.chart.ports", ports, portSeries, false, t("console.chart.port"))

	var rules []string
	ref := series{Name: t("console.chart.refusals_n"), Type: "bar"}
	for _, r := range d.Refusals {
		rules = append(rules, r.Key)
		ref.Data = append(ref.Data, r.N)
	}
	var refs []series
	if len(rules) > 0 {
		refs = []series{ref}
	}
	add("refusals", "console.chart.refusals", rules, refs, true, t("console.chart.rule"))

	buckets := []struct {
		key string
		max time.Duration
	}{{"1h", time.Hour}, {"4h", 4 * time.Hour}, {"24h", 24 * time.Hour}, {"3d", 72 * time.Hour}, {"more", 1 << 62}}
	ages := series{Name: t("console.chart.reviews_n"), Type: "bar", Data: make([]int64, len(buckets))}
	var ageCats []string
	for _, b := range buckets {
		ageCats = append(ageCats, t("console.age."+b.key))
	}
	for _, at := range d.OpenReviews {
		age := now.Sub(at)
		for i, b := range buckets {
			if age < b.max {
				ages.Data[i]++
				break
			}
		}
	}
	var ageSeries []series
	if len(d.OpenReviews) > 0 {
		ageSeries = []series{ages}
	}
	add("reviews", "console.chart.reviews", ageCats, ageSeries, false, t("console.chart.age"))

	scans := byDay(ts, append(slices.Clone(d.Scans), d.Copies...), func(c tracegate.DayCount) string { return c.Key },
		func(k string) string { return t("console.chart." + k) }, "line", "")
	add("scans", "console.chart.scans", labels, scans, false, t("console.chart.day"))

	var levels []string
	lv := series{Name: t("console.chart.enterprises_n"), Type: "bar"}
	for _, c := range d.CreditLevels {
		levels = append(levels, t("console.credit.level")+" "+c.Key)
		lv.Data = append(lv.Data, c.N)
	}
	var lvs []series
	if len(levels) > 0 {
		lvs = []series{lv}
	}
	add("credit", "console.chart.credit", levels, lvs, false, t("console.credit.level"))
	return charts
}

type homeData struct {
	Charts     []chart
	Since      time.Time
	Enterprise *tracegate.Enterprise
}

// handleHome is the dashboard for a regulator, the enterprise's start page
// for everyone else.
func (c *Console) handleHome(q *req) error {
	now := c.clock.Now()
	if !q.regulator() {
		c.render(q, 200, "home", "console.home.title", homeData{Enterprise: q.p.Enterprise})
		return nil
	}
	since := now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -(dashboardDays - 1))
	d, err := c.store.Dashboard(q.r.Context(), since, label.DefaultClonePolicy().MaxScans)
	if err != nil {
		return err
	}
	c.render(q, 200, "dashboard", "console.dashboard.title", homeData{Charts: c.dashboardCharts(q.lang, d, now), Since: since})
	return nil
}
