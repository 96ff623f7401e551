package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// forbidden are the destinations a subscription may not reach unless the
// operator allows them (Guard.Allow): this host, private and internal
// networks and cloud metadata services (169.254.169.254 is link-local,
// fd00:ec2::254 unique-local), which a key holder must not be able to make
// the server call (server-side request forgery).
var forbidden = []struct {
	prefix netip.Prefix
	what   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local (cloud metadata)"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved or broadcast"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("100::/64"), "discard"},
	{netip.MustParsePrefix("fc00::/7"), "unique-local (cloud metadata)"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

// Guard decides which addresses webhook deliveries may connect to. The
// zero Guard refuses every forbidden range; Allow lists prefixes the
// operator opens anyway (e.g. 127.0.0.0/8 for a local test subscriber, or
// an internal ERP's network).
type Guard struct {
	Allow []netip.Prefix
	// Resolver looks names up at subscription time; nil means
	// net.DefaultResolver.
	Resolver interface {
		LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
	}
}

// ParseAllowList parses a comma-separated list of CIDR prefixes or single
// addresses ("127.0.0.0/8,10.1.2.3"). It fails on an entry that is neither.
func ParseAllowList(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			a, err2 := netip.ParseAddr(f)
			if err2 != nil {
				return nil, fmt.Errorf("webhook allow-list: %q is not a CIDR prefix or an IP address", f)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// CheckAddr returns nil when ip may be connected to, and otherwise an error
// naming the kind of address. IPv4-mapped, NAT64 and 6to4 addresses are
// judged by the IPv4 address they carry.
func (g *Guard) CheckAddr(ip netip.Addr) error {
	ip = ip.WithZone("")
	for _, p := range g.Allow {
		if p.Contains(ip) || p.Contains(ip.Unmap()) {
			return nil
		}
	}
	for _, a := range embedded(ip) {
		for _, f := range forbidden {
			if f.prefix.Contains(a) {
				return fmt.Errorf("%s is a %s address, which webhooks may not reach", ip, f.what)
			}
		}
	}
	if !ip.IsValid() {
		return errors.New("not an IP address")
	}
	return nil
}

var (
	nat64  = netip.MustParsePrefix("64:ff9b::/96") // the IPv4 address in the last 4 bytes
	sixTo4 = netip.MustParsePrefix("2002::/16")    // the IPv4 address in bytes 2 to 5
)

// embedded returns ip and any IPv4 address it carries.
func embedded(ip netip.Addr) []netip.Addr {
	out := []netip.Addr{ip, ip.Unmap()}
	if ip.Is6() {
		b := ip.As16()
		if nat64.Contains(ip) {
			out = append(out, netip.AddrFrom4([4]byte(b[12:16])))
		}
		if sixTo4.Contains(ip) {
			out = append(out, netip.AddrFrom4([4]byte(b[2:6])))
		}
	}
	return out
}

// CheckURL checks a subscription's destination when it is made: an http or
// https URL whose host is not a forbidden address, not "localhost", and
// does not resolve to a forbidden address now. A name that does not resolve
// yet is accepted: every connection is checked again (Dialer), since the
// name may later resolve elsewhere (DNS rebinding).
func (g *Guard) CheckURL(ctx context.Context, u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" || u.Hostname() == "" {
		return errors.New("dest must be an http(s) URL")
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if ip, err := netip.ParseAddr(host); err == nil {
		return g.CheckAddr(ip)
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return g.CheckAddr(netip.MustParseAddr("127.0.0.1"))
	}
	var r interface {
		LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
	} = net.DefaultResolver
	if g.Resolver != nil {
		r = g.Resolver
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil // checked when connecting
	}
	for _, a := range addrs {
		if err := g.CheckAddr(a); err != nil {
			return fmt.Errorf("%s resolves to %w", host, err)
		}
	}
	return nil
}

// control is a net.Dialer Control function: it refuses a connection to a
// forbidden address after the name was resolved, so a name that resolves
// to a public address at subscription time and to an internal one later
// is refused too.
func (g *Guard) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("webhook: cannot check address %q: %w", address, err)
	}
	if err := g.CheckAddr(ap.Addr()); err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	return nil
}

// Client returns an HTTP client whose every connection is checked by g, that
// uses no proxy from the environment (a proxy would connect for it,
// unchecked) and follows no redirects (a subscriber answers; it does not
// send the server elsewhere).
func (g *Guard) Client(timeout time.Duration) *http.Client {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: g.control}
	tr := &http.Transport{DialContext: d.DialContext, ForceAttemptHTTP2: true, MaxIdleConns: 100,
		IdleConnTimeout: 90 * time.Second, TLSHandshakeTimeout: 10 * time.Second, ExpectContinueTimeout: time.Second}
	return &http.Client{Timeout: timeout, Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
