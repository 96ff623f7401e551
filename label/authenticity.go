package label

import (
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// ClonePolicy holds the thresholds of clone detection. Zero fields take the
// values of DefaultClonePolicy.
type ClonePolicy struct {
	// MaxScans is how many consumer scans a genuine label plausibly gets.
	MaxScans int
	// MaxSpeedKmh is the fastest plausible travel between two scans.
	MaxSpeedKmh float64
	// SlackKm is the distance below which two scans count as the same place,
	// covering coarse positions and IP geolocation error.
	SlackKm float64
	// Skew is how far a scan may lie after now (clocks of different nodes).
	Skew time.Duration
	// MaxNetworks is from how many client networks (IPPrefix) a genuine
	// label is plausibly scanned; from this many or more it is a weak
	// signal of copies.
	MaxNetworks int
}

// DefaultClonePolicy is 20 scans, 900 km/h (an airliner), 100 km of slack,
// a minute of clock skew and 5 networks.
func DefaultClonePolicy() ClonePolicy {
	return ClonePolicy{MaxScans: 20, MaxSpeedKmh: 900, SlackKm: 100, Skew: time.Minute, MaxNetworks: 5}
}

func (p ClonePolicy) withDefaults() ClonePolicy {
	d := DefaultClonePolicy()
	if p.MaxScans <= 0 {
		p.MaxScans = d.MaxScans
	}
	if p.MaxSpeedKmh <= 0 {
		p.MaxSpeedKmh = d.MaxSpeedKmh
	}
	if p.SlackKm <= 0 {
		p.SlackKm = d.SlackKm
	}
	if p.Skew <= 0 {
		p.Skew = d.Skew
	}
	if p.MaxNetworks <= 0 {
		p.MaxNetworks = d.MaxNetworks
	}
	return p
}

// AuthStatus is the verdict on a code.
type AuthStatus string

// The verdicts.
const (
	AuthGenuine   AuthStatus = "genuine"        // a code we issued, nothing suspicious
	AuthSuspected AuthStatus = "suspected_copy" // a code we issued whose scans look copied
	AuthUnbound   AuthStatus = "unbound"        // issued but never bound to a product
)

// Reasons a code is suspected of being copied.
const (
	ReasonTooManyScans     = "too_many_scans"
	ReasonImpossibleTravel = "impossible_travel"
	ReasonBeforeDispatch   = "before_dispatch"
	// ReasonNeverDispatched: a consumer's phone scanned an item that is
	// bound at intake but was never dispatched from the bonded warehouse.
	ReasonNeverDispatched = "never_dispatched"
	ReasonManyNetworks    = "many_networks"
)

// Authenticity is the verdict on a scanned code and what the page says.
type Authenticity struct {
	Status         AuthStatus `json:"status"`
	FirstScan      bool       `json:"firstScan"`
	ScanCount      int        `json:"scanCount"` // consumer scans, this one included
	FirstScanAt    *time.Time `json:"firstScanAt,omitempty"`
	FirstScanPlace string     `json:"firstScanPlace,omitempty"`
	Reasons        []string   `json:"reasons,omitempty"`
	Seen           []SeenAt   `json:"seen,omitempty"` // every consumer scan, for a suspected copy
	// Signals are weak signals seen that did not convict on their own
	// (impossible travel from client-supplied positions, many networks).
	Signals   []string `json:"signals,omitempty"`
	Message   string   `json:"message"`   // Chinese
	MessageEN string   `json:"messageEn"` // English
}

// Assess judges a code by its scan history (the current scan included, any
// order). Only consumer scans count: staff scans and bots are left out, and
// so are scans more than policy.Skew after now.
//
// Strong signals convict alone: more consumer scans than policy.MaxScans,
// or a consumer scan before dispatchedAt (nil: dispatch not known, no such
// check); both rest on what the server itself saw. Weak signals never
// convict alone, because a client can forge them: impossible travel (two
// successive positioned scans from different networks further apart than
// policy.SlackKm and than policy.MaxSpeedKmh allows — positions come from
// the client, and two positions from one network are one client's claims),
// and scans from policy.MaxNetworks networks or more. Both weak signals
// together convict only with more than half of policy.MaxScans consumer
// scans (which the scan page records at a limited rate per code and
// network). Weak signals that did not convict are in Signals.
// Assess never fails; with no consumer scan it reports a first scan.
func Assess(scans []Scan, dispatchedAt *time.Time, now time.Time, policy ClonePolicy) Authenticity {
	policy = policy.withDefaults()
	var cs []Scan
	for _, s := range scans {
		if !s.Staff && s.Device != DeviceBot && !s.At.After(now.Add(policy.Skew)) {
			cs = append(cs, s)
		}
	}
	slices.SortStableFunc(cs, func(a, b Scan) int { return a.At.Compare(b.At) })
	a := Authenticity{Status: AuthGenuine, ScanCount: len(cs), FirstScan: len(cs) <= 1}
	if len(cs) > 0 {
		first := cs[0].At
		a.FirstScanAt = &first
		a.FirstScanPlace = cs[0].Place
	}
	tooMany := len(cs) > policy.MaxScans
	beforeDispatch := dispatchedAt != nil && len(cs) > 0 && cs[0].At.Before(*dispatchedAt)
	travel, manyNets := impossibleTravel(cs, policy), networks(cs) >= policy.MaxNetworks
	signals := []struct {
		on     bool
		reason string
		weak   bool
	}{{tooMany, ReasonTooManyScans, false}, {travel, ReasonImpossibleTravel, true},
		{manyNets, ReasonManyNetworks, true}, {beforeDispatch, ReasonBeforeDispatch, false}}
	var all, weak []string
	for _, sg := range signals {
		if sg.on {
			all = append(all, sg.reason)
			if sg.weak {
				weak = append(weak, sg.reason)
			}
		}
	}
	if tooMany || beforeDispatch || len(weak) == 2 && len(cs) > policy.MaxScans/2 {
		a.Status, a.Reasons = AuthSuspected, all
	} else {
		a.Signals = weak
	}
	a.Message, a.MessageEN = a.messages()
	return a
}

// impossibleTravel reports whether two successive positioned scans of cs
// (sorted by time) from different networks are too far apart for the time
// between them. Scans from one network (the same non-empty IPPrefix) are one
// client's claims and are not compared with each other.
func impossibleTravel(cs []Scan, policy ClonePolicy) bool {
	var prev *Scan
	for i := range cs {
		s := &cs[i]
		if !s.HasPosition {
			continue
		}
		if prev != nil && (s.IPPrefix == "" || s.IPPrefix != prev.IPPrefix) {
			km := DistanceKm(prev.Lat, prev.Lon, s.Lat, s.Lon)
			hours := s.At.Sub(prev.At).Hours()
			if km > policy.SlackKm && (hours <= 0 || km/hours > policy.MaxSpeedKmh) {
				return true
			}
		}
		prev = s
	}
	return false
}

// networks counts the distinct known client networks of cs.
func networks(cs []Scan) int {
	seen := map[string]bool{}
	for _, s := range cs {
		if s.IPPrefix != "" {
			seen[s.IPPrefix] = true
		}
	}
	return len(seen)
}

// messages writes the verdict for people, in Chinese and English.
func (a Authenticity) messages() (zh, en string) {
	return a.message(textsFor(false)), a.message(textsFor(true))
}

// message writes the verdict in the language of tx.
func (a Authenticity) message(tx *viewText) string {
	var m string
	switch {
	case a.Status == AuthUnbound:
		m = tx.Auth.Unbound
	case a.FirstScan:
		m = tx.Auth.FirstScan
	default:
		day := a.FirstScanAt.In(chinaTime).Format(time.DateOnly)
		m = fmt.Sprintf(tx.Auth.Scanned, a.ScanCount, day)
		if a.FirstScanPlace != "" {
			m += fmt.Sprintf(tx.Auth.FirstPlace, a.FirstScanPlace)
		}
	}
	if a.Status != AuthSuspected {
		return m
	}
	reasons := make([]string, 0, len(a.Reasons))
	for _, r := range a.Reasons {
		reasons = append(reasons, tx.Suspicion[r])
	}
	// A suspected copy never calls itself genuine: the code is one we
	// issued, but the item in hand may not be the one it was stuck on.
	m = fmt.Sprintf(tx.Auth.Suspected, strings.Join(reasons, tx.Join))
	if a.ScanCount > 1 && a.FirstScanAt != nil {
		day := a.FirstScanAt.In(chinaTime).Format(time.DateOnly)
		m += fmt.Sprintf(tx.Auth.ScannedSince, a.ScanCount, day)
	}
	return m
}

// SeenPlaces lists, oldest first, every consumer scan of scans with its time
// and place (positionless scans included, with an empty place), as the scan
// page shows them for a suspected copy. Staff and bot scans are left out;
// at most limit entries (the latest ones when there are more).
func SeenPlaces(scans []Scan, limit int) []SeenAt {
	var out []SeenAt
	for _, s := range scans {
		if !s.Staff && s.Device != DeviceBot {
			out = append(out, SeenAt{At: s.At, Place: s.Place})
		}
	}
	slices.SortStableFunc(out, func(a, b SeenAt) int { return a.At.Compare(b.At) })
	if limit > 0 && len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out
}

// SeenAt is one consumer scan as the page lists it.
type SeenAt struct {
	At    time.Time `json:"at"`
	Place string    `json:"place,omitempty"`
}

// chinaTime is China Standard Time, in which the page shows dates.
var chinaTime = time.FixedZone("CST", 8*3600)

// DistanceKm is the great-circle distance between two positions in degrees,
// on a sphere of the Earth's mean radius. It never fails.
func DistanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0088
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Sqrt(min(1, h)))
}

// CoarsenPosition rounds a client position to 0.1° (about 11 km), which is
// all a scan record keeps. It reports false for a position that is not a
// number or out of range.
func CoarsenPosition(lat, lon float64) (float64, float64, bool) {
	if math.IsNaN(lat) || math.IsNaN(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return 0, 0, false
	}
	return math.Round(lat*10) / 10, math.Round(lon*10) / 10, true
}

// IPPrefix returns the network a client address belongs to, which is all a
// scan record keeps of it: the /24 of an IPv4 address (an IPv4-mapped IPv6
// address counts as IPv4) and the /48 of an IPv6 one, as "203.0.113.0/24".
// A zone is dropped. It returns "" when ip is not an IP address.
func IPPrefix(ip string) string {
	a, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return ""
	}
	a = a.Unmap().WithZone("")
	bits := 48
	if a.Is4() {
		bits = 24
	}
	p, _ := a.Prefix(bits)
	return p.String()
}

// DeviceClass is the kind of device a scan came from, all that a scan
// record keeps of the User-Agent.
type DeviceClass string

// Device classes.
const (
	DeviceUnknown DeviceClass = "unknown"
	DevicePhone   DeviceClass = "phone"
	DeviceTablet  DeviceClass = "tablet"
	DeviceDesktop DeviceClass = "desktop"
	DeviceBot     DeviceClass = "bot" // crawlers, link previews, scripts: never counted as scans
)

// ClassifyDevice tells the device class from a User-Agent header. Crawlers,
// chat-app link previews and HTTP libraries are bots; in-app browsers
// (WeChat, Alipay) count by the device they run on. An empty or unrecognised
// header is DeviceUnknown; it never fails.
func ClassifyDevice(userAgent string) DeviceClass {
	ua := strings.ToLower(userAgent)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(ua, w) {
				return true
			}
		}
		return false
	}
	switch {
	case ua == "":
		return DeviceUnknown
	case has("bot", "crawler", "spider", "slurp", "curl/", "wget/", "python-", "go-http-client", "java/",
		"okhttp", "headless", "facebookexternalhit", "whatsapp/", "preview", "monitor"):
		return DeviceBot
	case has("ipad", "tablet", "kindle", "silk/", "playbook") ||
		(strings.Contains(ua, "android") && !strings.Contains(ua, "mobile")):
		return DeviceTablet
	case has("iphone", "ipod", "mobile", "android", "harmonyos", "windows phone", "micromessenger"):
		return DevicePhone
	case has("windows nt", "macintosh", "mac os x", "x11", "linux", "cros"):
		return DeviceDesktop
	}
	return DeviceUnknown
}
