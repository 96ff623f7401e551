package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"syscall"
	"time"

	"tracegate"
	"tracegate/bus"
	"tracegate/locale"
	"tracegate/web"
	"tracegate/webhook"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "serve", "", "Run the HTTP server until SIGINT or SIGTERM, then shut down gracefully.")
	var opts serveOptions
	var sf storeFlags
	var lf logFlags
	var lg ledgerFlags
	sf.register(fs, e)
	lf.register(fs, e, "json")
	lg.register(fs, e)
	addr := fs.String("addr", envOr(e, "TRACEGATE_ADDR", defaultAddr), "listen address (env TRACEGATE_ADDR)")
	allowFlag := fs.String("webhook-allow", envOr(e, "TRACEGATE_WEBHOOK_ALLOW", ""),
		"comma-separated CIDR prefixes that webhook subscriptions may reach although internal (loopback, private, link-local…), e.g. 127.0.0.0/8 (env TRACEGATE_WEBHOOK_ALLOW)")
	quotaFlag := fs.String("complaint-photo-quota", envOr(e, "TRACEGATE_COMPLAINT_PHOTO_QUOTA", strconv.Itoa(web.DefaultComplaintPhotoQuota)),
		"bytes all stored complaint photos may take; past it a photo is refused with 507 (env TRACEGATE_COMPLAINT_PHOTO_QUOTA)")
	var nf natsFlags
	nf.register(fs, e)
	opts.analytics.register(fs)
	fs.DurationVar(&opts.analyticsEvery, "analytics-interval", time.Minute, "how often barcode analytics takes in the declarations that arrived (incremental); 0: never")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := locale.Check(); err != nil { // a page text missing from a catalog: refuse to start, never show it empty
		return err
	}
	var err error
	if err := nf.check(); err != nil {
		return err
	}
	opts.nats = nf
	if opts.webhookAllow, err = webhook.ParseAllowList(*allowFlag); err != nil {
		return tracegate.Invalidf("--webhook-allow", "%v", err)
	}
	if opts.complaintPhotoQuota, err = strconv.ParseInt(*quotaFlag, 10, 64); err != nil || opts.complaintPhotoQuota <= 0 {
		return tracegate.Invalidf("--complaint-photo-quota", "the complaint photo quota is a positive number of bytes")
	}
	log, err := lf.logger(e.stderr)
	if err != nil {
		return err
	}
	s, stats, err := openStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	if isPostgres(sf.db) {
		if err := requireNodeSecrets(sf.dataDir); err != nil {
			return err
		}
	}
	l, err := loadLedger(sf.dataDir, lg.origin)
	if err != nil {
		return err
	}
	ln, err := listen(*addr, false)
	if err != nil {
		return err
	}
	return serve(ctx, e, log, s, stats, ln, l, &lg, opts)
}

// serveOptions are the server settings only serve's flags set (the demo
// runs with the defaults).
type serveOptions struct {
	webhookAllow        []netip.Prefix // internal prefixes webhook subscriptions may reach
	complaintPhotoQuota int64          // 0: web.DefaultComplaintPhotoQuota
	nats                natsFlags      // url "": the in-process bus
	analytics           analyticsFlags
	analyticsEvery      time.Duration // 0: no scheduled barcode analytics
}

// listen opens addr; with fallback, a busy port gives way to a free one.
func listen(addr string, fallback bool) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil && fallback && errors.Is(err, syscall.EADDRINUSE) {
		host, _, _ := net.SplitHostPort(addr)
		ln, err = net.Listen("tcp", net.JoinHostPort(host, "0"))
	}
	if err != nil {
		return nil, tracegate.Invalidf("--addr", "cannot listen on %s: %v", addr, err)
	}
	return ln, nil
}

// serve runs the server on ln with opts.
func serve(ctx context.Context, e *env, log *slog.Logger, s store, stats func() []web.PoolStats, ln net.Listener, l *ledgerSetup, lg *ledgerFlags, opts serveOptions) error {
	if err := checkLastSeen(ctx, s, l.seen); err != nil {
		return err
	}
	// Capture jobs a stopped process left running are finished from what
	// their transactions committed (jobs of this process start after now).
	if n, err := s.RecoverCaptureJobs(ctx, time.Now()); err != nil {
		return err
	} else if n > 0 {
		log.Warn("finished capture jobs left running by a stop", slog.Int("jobs", n))
	}
	pub, err := l.publisher(s, lg)
	if err != nil {
		return err
	}
	pubCtx, stopPub := context.WithCancel(ctx)
	defer stopPub()
	leases := newLeases(log, s)
	startPublisher(pubCtx, log, leases, pub)
	b, err := openBus(ctx, log, opts.nats)
	if err != nil {
		return err
	}
	defer b.Close()
	// Measure notifications: taken from the bus (one node's share of a
	// durable subscription), addressed to the owner and the holders of
	// affected goods the message names, delivered by webhook.
	notifier := &webhook.Notifier{Store: s, Bus: b, Recipients: webhook.PayloadRecipients{Enterprises: s},
		Delivery: &webhook.Deliverer{Log: log, Allow: opts.webhookAllow}}
	stopNotify, err := notifier.Subscribe(pubCtx)
	if err != nil {
		return err
	}
	defer stopNotify()
	go notifier.Run(pubCtx)
	relay := bus.NewRelay(s, b, log)
	go relay.Run(pubCtx)
	deliverer := &webhook.Deliverer{Store: s, Log: log, Allow: opts.webhookAllow}
	go deliverer.Run(pubCtx, time.Second)
	crs, levels, err := openCredit(ctx, log, s, l.dataDir, envOr(e, "TRACEGATE_CREDIT_RULES", ""))
	if err != nil {
		return err
	}
	startCreditDaily(pubCtx, e, log, leases, s, crs, 24*time.Hour)
	ms, err := openMeasures(s)
	if err != nil {
		return err
	}
	rs, err := openRisk(ctx, e, log, s, ms, levels)
	if err != nil {
		return err
	}
	startRiskJobs(pubCtx, log, rs)
	cs, err := openCustomsCredit(e, s, l.dataDir, levels, rs.Lookups())
	if err != nil {
		return err
	}
	startCustomsSweep(pubCtx, log, leases, cs)
	ls, err := openLabelsWith(e, s, cs, l.dataDir, ms, rs)
	if err != nil {
		return err
	}
	an, err := openAnalytics(s, opts.analytics, log)
	if err != nil {
		return err
	}
	if opts.analyticsEvery > 0 {
		go leases.Run(pubCtx, leaseAnalytics, func(ctx context.Context) error { an.Loop(ctx, opts.analyticsEvery); return nil })
	}
	cons, err := openConsole(pubCtx, s, log, cs, ls, rs, ms, l.web())
	if err != nil {
		return err
	}
	srv := web.New(web.Config{Store: s, Logger: log, DBStats: stats, Ledger: l.web(), Customs: cs, Labels: ls,
		WebhookAllow: opts.webhookAllow, ComplaintPhotoQuota: opts.complaintPhotoQuota, Credit: crs, Bus: b, Analytics: an, Measures: ms, Risk: rs,
		Console: cons})
	base := "http://" + ln.Addr().String()
	log.Info("listening", slog.String("url", base), slog.String("version", tracegate.Version), slog.String("log_vkey", l.vkey))
	if e.ready != nil {
		e.ready(base)
	}
	if err := srv.Serve(ctx, ln); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}
