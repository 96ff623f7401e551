package main

import (
	"context"
	"fmt"
	"log/slog"
	"text/tabwriter"
	"time"

	"tracegate/console"
	"tracegate/customs"
	"tracegate/demo"
	"tracegate/label"
	"tracegate/measure"
	"tracegate/risk"
	"tracegate/web"
)

// openConsole builds the web console over s and starts its session sweep
// until ctx is done.
func openConsole(ctx context.Context, s any, log *slog.Logger, cs *customs.Service, ls *label.Service, rs *risk.Service, ms *measure.Service, l *web.Ledger) (*console.Console, error) {
	st, ok := s.(console.Store)
	if !ok {
		return nil, fmt.Errorf("console: the store keeps no console users")
	}
	c, err := console.New(console.Config{Store: st, Customs: cs, Labels: ls, Risk: rs, Measures: ms,
		EventLeaf: l.EventLeaf, Logger: log, Status: web.ProblemStatus})
	if err != nil {
		return nil, err
	}
	go c.Sweep(ctx, 10*time.Minute)
	return c, nil
}

// printConsoleDemo prints the console's address and the demo users.
func printConsoleDemo(e *env, base string, users []demo.ConsoleUser) {
	fmt.Fprintf(e.stdout, "\nConsole — 控制台: %s/console/  (English: sign in, then the language button)\n", base)
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, u := range users {
		fmt.Fprintf(tw, "  %s\t%s\tlogin %s\tpassword %s\n", u.Role, u.Enterprise.Name, u.Login, u.Password)
	}
	tw.Flush()
}
