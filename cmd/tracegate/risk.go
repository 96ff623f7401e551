package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"time"

	"tracegate"
	"tracegate/credit"
	"tracegate/measure"
	"tracegate/risk"
)

// riskMonitor returns the USCC that signs the ledger leaves of the
// warnings the assessment opens: TRACEGATE_RISK_MONITOR, else the first
// regulator enterprise; "" when there is none (then the signal's author).
func riskMonitor(e *env, s tracegate.EnterpriseStore) func(ctx context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		if v := e.getenv("TRACEGATE_RISK_MONITOR"); v != "" {
			return tracegate.ValidateUSCC(v)
		}
		regs, err := s.ListEnterprises(ctx, tracegate.EnterpriseFilter{Role: tracegate.RoleRegulator, Limit: 1})
		if err != nil || len(regs) == 0 {
			return "", err
		}
		return regs[0].USCC, nil
	}
}

// riskStore is what risk monitoring needs of the store.
type riskStore interface {
	risk.Store
	tracegate.EnterpriseStore
}

// openRisk returns risk monitoring over s, with the configuration stored
// in s (risk/config.json by default) and the measures engine ms drafting
// the measures of confirmed warnings (nil: confirming answers 503).
func openRisk(ctx context.Context, e *env, log *slog.Logger, s riskStore, ms *measure.Service, levels *credit.Levels) (*risk.Service, error) {
	cfg := risk.ServiceConfig{Monitor: riskMonitor(e, s), Log: log}
	if ms != nil {
		cfg.Drafter = measureDrafter{ms}
	}
	if levels != nil {
		cfg.Sampler = creditLots{levels}
	}
	return risk.NewService(ctx, s, cfg)
}

// creditLots is the credit levels as risk's LotSampler: a graded
// enterprise's lots are sampled at its level's share under the credit
// secret (as customs samples its declarations), an ungraded one's all.
type creditLots struct{ levels *credit.Levels }

func (c creditLots) LotSample(uscc, lot string) (int, bool, float64) {
	lvl := c.levels.Level(uscc)
	if lvl == 0 {
		return 0, true, 1
	}
	_, sampled, share := c.levels.CreditSample(uscc, "lab-lot:"+lot)
	return lvl, sampled, share
}

// measureDrafter is the measures engine as risk's MeasureDrafter: a
// confirmed warning becomes a draft measure (measure.Service.Draft) over
// the warning's subject, naming the warning as its signal.
type measureDrafter struct{ ms *measure.Service }

func (d measureDrafter) DraftMeasure(ctx context.Context, m risk.MeasureDraft) (string, error) {
	sel, err := json.Marshal(m.Selector)
	if err != nil {
		return "", err
	}
	ref := "risk-warning:" + strconv.FormatInt(m.Warning, 10)
	got, err := d.ms.Draft(ctx, &m.By, &measure.OrderRequest{Kind: measure.Kind(m.Kind), Selector: sel, Owner: m.Owner,
		Reason: "风险预警 " + strconv.FormatInt(m.Warning, 10) + "：" + m.Reason, ReasonEn: m.Reason, Signal: ref})
	if err != nil {
		return "", err
	}
	return got.ID, nil
}

// startRiskJobs makes every new scan-page complaint a signal every 30 s
// (the complaint handler also asks at once) and re-reads customs' lookups
// every 10 minutes (scores decay), until ctx is done.
func startRiskJobs(ctx context.Context, log *slog.Logger, rs *risk.Service) {
	go func() {
		sync := time.NewTicker(30 * time.Second)
		reload := time.NewTicker(10 * time.Minute)
		defer sync.Stop()
		defer reload.Stop()
		for {
			if n, err := rs.SyncComplaints(ctx); err != nil && ctx.Err() == nil {
				log.ErrorContext(ctx, "risk: complaints to signals", slog.Any("err", err))
			} else if n > 0 {
				log.InfoContext(ctx, "risk: complaints to signals", slog.Int("signals", n))
			}
			select {
			case <-ctx.Done():
				return
			case <-sync.C:
			case <-reload.C:
				if err := rs.ReloadLookups(ctx); err != nil {
					log.ErrorContext(ctx, "risk: reload lookups", slog.Any("err", err))
				}
			}
		}
	}()
}
