package label

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

// at is a consumer scan h hours after t0 at a position.
func at(h float64, lat, lon float64, place string) Scan {
	return Scan{At: t0.Add(time.Duration(h * float64(time.Hour))), HasPosition: true, Lat: lat, Lon: lon,
		Place: place, Device: DevicePhone}
}

func TestAssess(t *testing.T) {
	guangzhou := func(h float64) Scan { return at(h, 23.1, 113.3, "广州") }
	beijing := func(h float64) Scan { return at(h, 39.9, 116.4, "北京") }
	sydney := func(h float64) Scan { return at(h, -33.9, 151.2, "Sydney") }
	noPos := func(h float64) Scan {
		return Scan{At: t0.Add(time.Duration(h * float64(time.Hour))), Device: DevicePhone}
	}
	many := func(n int) []Scan {
		var s []Scan
		for i := range n {
			s = append(s, guangzhou(float64(i)))
		}
		return s
	}
	net := func(sc Scan, n int) Scan {
		sc.IPPrefix = fmt.Sprintf("198.51.%d.0/24", n)
		return sc
	}
	dispatched := t0.Add(-24 * time.Hour)
	later := t0.Add(24 * time.Hour)
	now := t0.Add(1000 * time.Hour)
	for _, tc := range []struct {
		name       string
		scans      []Scan
		dispatch   *time.Time
		policy     ClonePolicy
		wantStatus AuthStatus
		wantCount  int
		wantFirst  bool
		reasons    []string
		msg        string // in MessageEN
	}{
		{"no scans", nil, &dispatched, ClonePolicy{}, AuthGenuine, 0, true, nil, "first scan"},
		{"first scan", []Scan{guangzhou(0)}, &dispatched, ClonePolicy{}, AuthGenuine, 1, true, nil, "first scan"},
		{"normal repeat scans", []Scan{guangzhou(5), guangzhou(0), guangzhou(30)}, &dispatched, ClonePolicy{},
			AuthGenuine, 3, false, nil, "scanned 3 times since 2026-05-01, first in 广州"},
		{"at the threshold", many(20), &dispatched, ClonePolicy{}, AuthGenuine, 20, false, nil, "20 times"},
		{"over the threshold", many(21), &dispatched, ClonePolicy{}, AuthSuspected, 21, false,
			[]string{ReasonTooManyScans}, "scanned unusually often"},
		{"custom threshold", many(4), &dispatched, ClonePolicy{MaxScans: 3}, AuthSuspected, 4, false,
			[]string{ReasonTooManyScans}, "Suspected copy"},
		{"Guangzhou to Beijing by plane", []Scan{guangzhou(0), beijing(3)}, &dispatched, ClonePolicy{},
			AuthGenuine, 2, false, nil, "Genuine"},
		// Client-supplied positions inform, never convict alone (issue 11, finding 7).
		{"Guangzhou to Beijing in an hour is only a signal", []Scan{guangzhou(0), beijing(1)}, &dispatched, ClonePolicy{},
			AuthGenuine, 2, false, nil, "Genuine"},
		{"Sydney and Guangzhou at once is only a signal", []Scan{sydney(2), guangzhou(2)}, &dispatched, ClonePolicy{},
			AuthGenuine, 2, false, nil, "Genuine"},
		{"impossible travel across many networks, few scans, is only a signal", []Scan{net(guangzhou(0), 1), net(guangzhou(0.1), 2), net(guangzhou(0.2), 3),
			net(guangzhou(0.3), 4), net(sydney(0.5), 5)}, &dispatched, ClonePolicy{}, AuthGenuine, 5, false, nil, "Genuine"},
		{"impossible travel across many networks with many scans", append(many(6), net(guangzhou(10), 1), net(guangzhou(10.1), 2), net(guangzhou(10.2), 3),
			net(guangzhou(10.3), 4), net(sydney(10.5), 5)), &dispatched, ClonePolicy{},
			AuthSuspected, 11, false, []string{ReasonImpossibleTravel, ReasonManyNetworks}, "too far apart"},
		{"many networks alone is only a signal", []Scan{net(guangzhou(0), 1), net(guangzhou(1), 2), net(guangzhou(2), 3),
			net(guangzhou(3), 4), net(guangzhou(4), 5)}, &dispatched, ClonePolicy{}, AuthGenuine, 5, false, nil, "Genuine"},
		{"one network claiming two far places is no travel", []Scan{net(guangzhou(0), 1), net(sydney(0.1), 1), net(noPos(0.2), 2),
			net(noPos(0.3), 3), net(noPos(0.4), 4), net(noPos(0.5), 5)}, &dispatched, ClonePolicy{}, AuthGenuine, 6, false, nil, "Genuine"},
		{"same city at once is not travel", []Scan{guangzhou(0), at(0, 23.2, 113.4, "")}, &dispatched,
			ClonePolicy{}, AuthGenuine, 2, false, nil, "Genuine"},
		{"scans without position skip travel", []Scan{guangzhou(0), noPos(0.5), beijing(4)}, &dispatched,
			ClonePolicy{}, AuthGenuine, 3, false, nil, "Genuine"},
		{"before dispatch", []Scan{guangzhou(0)}, &later, ClonePolicy{}, AuthSuspected, 1, true,
			[]string{ReasonBeforeDispatch}, "before the item was dispatched"},
		{"dispatch unknown", []Scan{guangzhou(0)}, nil, ClonePolicy{}, AuthGenuine, 1, true, nil, "first scan"},
		{"staff scans before dispatch do not count", []Scan{{At: t0, Staff: true, Device: DevicePhone}, guangzhou(48)},
			&later, ClonePolicy{}, AuthGenuine, 1, true, nil, "first scan"},
		{"bots do not count", []Scan{{At: t0, Device: DeviceBot}, {At: t0, Device: DeviceBot}, guangzhou(1)},
			&dispatched, ClonePolicy{MaxScans: 1}, AuthGenuine, 1, true, nil, "first scan"},
		{"future scans ignored", []Scan{guangzhou(0), beijing(2000)}, &dispatched, ClonePolicy{}, AuthGenuine, 1,
			true, nil, "first scan"},
		{"all three", append(many(25), sydney(24)), &later, ClonePolicy{}, AuthSuspected, 26, false,
			[]string{ReasonTooManyScans, ReasonImpossibleTravel, ReasonBeforeDispatch}, "Suspected copy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := Assess(tc.scans, tc.dispatch, now, tc.policy)
			if a.Status != tc.wantStatus || a.ScanCount != tc.wantCount || a.FirstScan != tc.wantFirst {
				t.Errorf("Assess = %s, %d scans, first %v; want %s, %d, %v",
					a.Status, a.ScanCount, a.FirstScan, tc.wantStatus, tc.wantCount, tc.wantFirst)
			}
			if !slices.Equal(a.Reasons, tc.reasons) {
				t.Errorf("Reasons = %q, want %q", a.Reasons, tc.reasons)
			}
			if tc.wantStatus == AuthGenuine && strings.Contains(tc.name, "signal") && len(a.Signals) == 0 {
				t.Errorf("Signals = %q; want the weak signal noted", a.Signals)
			}
			if !strings.Contains(strings.ToLower(a.MessageEN), strings.ToLower(tc.msg)) || a.Message == "" {
				t.Errorf("MessageEN = %q, want it to mention %q (zh %q)", a.MessageEN, tc.msg, a.Message)
			}
		})
	}
}

func TestDistanceKm(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want                   float64
	}{
		{"same place", 23.1, 113.3, 23.1, 113.3, 0},
		{"Guangzhou–Beijing", 23.13, 113.26, 39.90, 116.41, 1890},
		{"a degree of latitude", 0, 0, 1, 0, 111.2},
		{"antipodes", 0, 0, 0, 180, 20015},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := DistanceKm(tc.lat1, tc.lon1, tc.lat2, tc.lon2); math.Abs(got-tc.want) > tc.want*0.01+0.5 {
				t.Errorf("DistanceKm = %.1f, want %.1f", got, tc.want)
			}
		})
	}
}

func TestCoarsenPosition(t *testing.T) {
	for _, tc := range []struct {
		lat, lon         float64
		wantLat, wantLon float64
		ok               bool
	}{
		{23.12911, 113.26436, 23.1, 113.3, true},
		{-33.8688, 151.2093, -33.9, 151.2, true},
		{90, -180, 90, -180, true},
		{91, 0, 0, 0, false},
		{0, 180.5, 0, 0, false},
		{math.NaN(), 0, 0, 0, false},
	} {
		lat, lon, ok := CoarsenPosition(tc.lat, tc.lon)
		if ok != tc.ok || math.Abs(lat-tc.wantLat) > 1e-9 || math.Abs(lon-tc.wantLon) > 1e-9 {
			t.Errorf("CoarsenPosition(%v, %v) = %v, %v, %v; want %v, %v, %v",
				tc.lat, tc.lon, lat, lon, ok, tc.wantLat, tc.wantLon, tc.ok)
		}
	}
}

func TestIPPrefix(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"203.0.113.77", "203.0.113.0/24"},
		{" 10.1.2.3 ", "10.1.2.0/24"},
		{"::ffff:198.51.100.9", "198.51.100.0/24"},
		{"2001:db8:abcd:1234::1", "2001:db8:abcd::/48"},
		{"fe80::1%eth0", "fe80::/48"},
		{"", ""},
		{"203.0.113.77:443", ""},
		{"not an ip", ""},
	} {
		if got := IPPrefix(tc.in); got != tc.want {
			t.Errorf("IPPrefix(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestClassifyDevice(t *testing.T) {
	for _, tc := range []struct {
		ua   string
		want DeviceClass
	}{
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47", DevicePhone},
		{"Mozilla/5.0 (Linux; Android 14; SM-S9180) AppleWebKit/537.36 Chrome/124.0 Mobile Safari/537.36", DevicePhone},
		{"Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 Chrome/124.0 Safari/537.36", DeviceTablet},
		{"Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", DeviceTablet},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36", DeviceDesktop},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15", DeviceDesktop},
		{"Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)", DeviceBot},
		{"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", DeviceBot},
		{"curl/8.5.0", DeviceBot},
		{"WhatsApp/2.23.20.0", DeviceBot},
		{"", DeviceUnknown},
		{"SomethingElse/1.0", DeviceUnknown},
	} {
		if got := ClassifyDevice(tc.ua); got != tc.want {
			t.Errorf("ClassifyDevice(%.40q) = %s, want %s", tc.ua, got, tc.want)
		}
	}
}
