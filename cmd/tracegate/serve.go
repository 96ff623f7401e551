package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"syscall"
	"time"

	"tracegate"
	"tracegate/web"
	"tracegate/webhook"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "serve", "", "Run the HTTP server until SIGINT or SIGTERM, then shut down gracefully.")
	var sf storeFlags
	var lf logFlags
	var lg ledgerFlags
	sf.register(fs, e)
	lf.register(fs, e, "json")
	lg.register(fs, e)
	addr := fs.String("addr", envOr(e, "TRACEGATE_ADDR", defaultAddr), "listen address (env TRACEGATE_ADDR)")
	if err := parse(fs, args); err != nil {
		return err
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
	l, err := loadLedger(sf.dataDir, lg.origin)
	if err != nil {
		return err
	}
	ln, err := listen(*addr, false)
	if err != nil {
		return err
	}
	return serve(ctx, e, log, s, stats, ln, l, &lg)
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

func serve(ctx context.Context, e *env, log *slog.Logger, s store, stats func() []web.PoolStats, ln net.Listener, l *ledgerSetup, lg *ledgerFlags) error {
	pub, err := l.publisher(s, lg)
	if err != nil {
		return err
	}
	pubCtx, stopPub := context.WithCancel(ctx)
	defer stopPub()
	startPublisher(pubCtx, log, pub)
	deliverer := &webhook.Deliverer{Store: s, Log: log}
	go deliverer.Run(pubCtx, time.Second)
	crs, levels, err := openCredit(ctx, log, s, l.dataDir, envOr(e, "TRACEGATE_CREDIT_RULES", ""))
	if err != nil {
		return err
	}
	startCreditDaily(pubCtx, e, log, s, crs, 24*time.Hour)
	cs, err := openCustomsCredit(e, s, l.dataDir, levels)
	if err != nil {
		return err
	}
	startCustomsSweep(pubCtx, log, cs)
	ls, err := openLabels(e, s, l.dataDir)
	if err != nil {
		return err
	}
	srv := web.New(web.Config{Store: s, Logger: log, DBStats: stats, Ledger: l.web(), Customs: cs, Labels: ls, Credit: crs})
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
