package main

import (
	"flag"
	"fmt"
	"net"
	"strconv"
	"strings"

	"tracegate/demo"
	"tracegate/label"
)

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// localURL is the http URL of a listening address as this machine reaches
// it: an unspecified host (0.0.0.0, ::) becomes the loopback address.
func localURL(a net.Addr) string {
	if ta, ok := a.(*net.TCPAddr); ok && ta.IP.IsUnspecified() {
		ip := net.IPv4(127, 0, 0, 1)
		if ta.IP.To4() == nil {
			ip = net.IPv6loopback
		}
		return "http://" + net.JoinHostPort(ip.String(), strconv.Itoa(ta.Port))
	}
	return "http://" + a.String()
}

// demoEnv is e with TRACEGATE_LABEL_BASE_URL defaulting to base, so the
// labels the demo issues and prints point at the demo itself. A base URL
// the operator set wins; a plain-http base that is not loopback (which
// label.CheckBaseURL refuses: a phone would open it unencrypted) leaves the
// default, and the demo says so.
func demoEnv(e *env, base string) *env {
	if e.getenv("TRACEGATE_LABEL_BASE_URL") == "" && label.CheckBaseURL(base) != nil {
		fmt.Fprintf(e.stderr, "Labels point at %s: %s is not https; set TRACEGATE_LABEL_BASE_URL to the https origin phones should open.\n", defaultLabelBaseURL, base)
		return e
	}
	d := *e
	d.getenv = func(k string) string {
		if v := e.getenv(k); v != "" || k != "TRACEGATE_LABEL_BASE_URL" {
			return v
		}
		return base
	}
	return &d
}

// printDemoChecks prints the exact commands that check the demo's own data:
// the audit of its database and ledger, and the offline verification of a
// label's issuance proof, and where the data stays.
func printDemoChecks(e *env, base, dir, dbPath, vkey string, ld *demo.LabelData, kept bool) {
	w := e.stdout
	fmt.Fprintf(w, "\nCheck the demo's ledger yourself — 自行核验账本:\n")
	fmt.Fprintf(w, "  tracegate audit --db 'sqlite:%s' --data-dir '%s'\n", dbPath, dir)
	if ld != nil && len(ld.Items) > 0 {
		c := ld.Items[0].Code
		for _, it := range ld.Items {
			if strings.Contains(it.Story, "delivered") {
				c = it.Code
				break
			}
		}
		fmt.Fprintf(w, "  tracegate verify --vkey '%s' --label %s %s/l/%s/proof\n", vkey, c, base, c.Compact())
	}
	if kept {
		fmt.Fprintf(w, "\nData: %s (kept after exit). Stop with Ctrl-C.\n\n", dir)
		return
	}
	fmt.Fprintf(w, "\nData: %s (removed on exit; --keep keeps it). Stop with Ctrl-C.\n\n", dir)
}
