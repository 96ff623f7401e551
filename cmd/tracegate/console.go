package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"tracegate/console"
	"tracegate/customs"
	"tracegate/label"
	"tracegate/web"
)

// openConsole builds the web console over s and starts its session sweep
// until ctx is done.
func openConsole(ctx context.Context, s any, log *slog.Logger, cs *customs.Service, ls *label.Service) (*console.Console, error) {
	st, ok := s.(console.Store)
	if !ok {
		return nil, fmt.Errorf("console: the store keeps no console users")
	}
	c, err := console.New(console.Config{Store: st, Customs: cs, Labels: ls, Logger: log, Status: web.ProblemStatus})
	if err != nil {
		return nil, err
	}
	go c.Sweep(ctx, 10*time.Minute)
	return c, nil
}
