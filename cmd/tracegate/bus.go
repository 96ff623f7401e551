package main

import (
	"context"
	"flag"
	"log/slog"
	"net/url"
	"strings"

	"tracegate"
	"tracegate/bus"
)

// natsFlags are --nats and --nats-namespace.
type natsFlags struct {
	url       string
	namespace string
}

func (f *natsFlags) register(fs *flag.FlagSet, e *env) {
	fs.StringVar(&f.url, "nats", envOr(e, "TRACEGATE_NATS", ""),
		"NATS JetStream server(s), e.g. nats://127.0.0.1:4222 (comma-separated for a cluster): measure notifications and cache invalidations go through its stream TRACEGATE; without it, an in-process bus (env TRACEGATE_NATS)")
	fs.StringVar(&f.namespace, "nats-namespace", envOr(e, "TRACEGATE_NATS_NAMESPACE", "tracegate"),
		"first subject token on NATS and the stream's name in capitals, so deployments sharing one NATS keep apart (env TRACEGATE_NATS_NAMESPACE)")
}

// check validates the flags.
func (f *natsFlags) check() error {
	if err := checkNATS(f.url); err != nil {
		return err
	}
	if f.namespace == "" || strings.ContainsAny(f.namespace, ".*> \t") {
		return tracegate.Invalidf("--nats-namespace", "%q is not one subject token (letters, digits, '-', '_')", f.namespace)
	}
	return nil
}

// checkNATS validates the --nats value: empty, or comma-separated
// nats://, tls://, ws:// or wss:// URLs with a host.
func checkNATS(v string) error {
	if v == "" {
		return nil
	}
	for _, s := range strings.Split(v, ",") {
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil || u.Host == "" {
			return tracegate.Invalidf("--nats", "%q is not a NATS URL (want nats://host:port)", s)
		}
		switch u.Scheme {
		case "nats", "tls", "ws", "wss":
		default:
			return tracegate.Invalidf("--nats", "%q: the scheme must be nats, tls, ws or wss", s)
		}
	}
	return nil
}

// openBus returns the NATS JetStream bus when f.url is set (it keeps
// connecting in the background when the server is down) and the in-process
// bus otherwise.
func openBus(ctx context.Context, log *slog.Logger, f natsFlags) (bus.Bus, error) {
	if f.url == "" {
		m := bus.NewMemory()
		m.Log = log
		return m, nil
	}
	b, err := bus.NewNATS(ctx, bus.NATSConfig{URL: f.url, Namespace: f.namespace, Log: log})
	if err != nil {
		return nil, tracegate.Invalidf("--nats", "%v", err)
	}
	return b, nil
}
