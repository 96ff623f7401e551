package risk

import (
	"context"
	"strings"

	"tracegate"
)

// LotSampler is the credit levels as lab sampling asks them (cmd wires
// credit.Levels): the level of the enterprise uscc (0 ungraded), the share
// of its lots sampled at that level, and whether lot (GTIN/batch) is among
// them under the credit secret.
type LotSampler interface {
	LotSample(uscc, lot string) (level int, sampled bool, share float64)
}

// sampling is what the credit level of the filer of gtin says of the
// batch: every batch of an ungraded filer (or a GTIN nobody filed) is
// sampled; nil without a sampler.
func (s *Service) sampling(ctx context.Context, gtin, batch string) (*Sampling, error) {
	if s.sampler == nil {
		return nil, nil
	}
	fs, err := s.store.RiskFilings(ctx, gtin)
	if err != nil {
		return nil, err
	}
	if len(fs) == 0 {
		return &Sampling{Share: 1, Sampled: true}, nil
	}
	sm := &Sampling{Enterprise: fs[0].OwnerUSCC, Share: 1, Sampled: true}
	if lvl, sampled, share := s.sampler.LotSample(sm.Enterprise, gtin+"/"+batch); lvl > 0 {
		sm.Level, sm.Sampled, sm.Share = lvl, sampled, share
	}
	return sm, nil
}

// OrderLab places the lab order r by p (a regulator, or a platform). It
// fails with EINVALID pointing at the field (a lab that is not an
// enterprise of role lab at /lab), EFORBIDDEN for another role.
func (s *Service) OrderLab(ctx context.Context, p tracegate.Principal, r LabOrderRequest) (*LabOrder, error) {
	if p.Role != tracegate.RoleRegulator && p.Role != tracegate.RolePlatform {
		return nil, &tracegate.Error{Code: tracegate.EFORBIDDEN, Message: "only regulators and platforms order lab tests"}
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	o := &LabOrder{GTIN: r.GTIN, Batch: r.Batch, Items: r.Items, Tests: r.Tests, Purpose: r.Purpose, Lab: r.Lab, Note: r.Note,
		OrderedBy: p.USCC, OrderedByID: p.EnterpriseID, Results: []LabResult{}}
	sm, err := s.sampling(ctx, o.GTIN, o.Batch)
	if err != nil {
		return nil, err
	}
	if err := s.store.AddRiskLabOrder(ctx, o); err != nil {
		return nil, err
	}
	o.Sampling = sm
	return o, nil
}

// seesLabOrder: the regulator, the orderer and the named lab.
func seesLabOrder(p tracegate.Principal, o *LabOrder) bool {
	return p.Role == tracegate.RoleRegulator || o.OrderedByID == p.EnterpriseID || o.LabID == p.EnterpriseID
}

// LabOrder returns order id with its results to p; ENOTFOUND for an order
// p may not see (so the answer does not tell which orders exist).
func (s *Service) LabOrder(ctx context.Context, p tracegate.Principal, id int64) (*LabOrder, error) {
	o, err := s.store.RiskLabOrder(ctx, id)
	if err != nil {
		return nil, err
	}
	if !seesLabOrder(p, o) {
		return nil, tracegate.Errorf(tracegate.ENOTFOUND, "no lab order %d", id)
	}
	if o.Sampling, err = s.sampling(ctx, o.GTIN, o.Batch); err != nil {
		return nil, err
	}
	return o, nil
}

// LabOrders lists the orders p sees by f: a regulator all, anyone else the
// ones it placed or is the lab of.
func (s *Service) LabOrders(ctx context.Context, p tracegate.Principal, f LabOrderFilter) ([]LabOrder, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	if f.Status != "" && !oneOf(f.Status, LabStatuses) {
		return nil, tracegate.Invalidf("/status", "unknown status %q: want one of %s", f.Status, names(LabStatuses))
	}
	if f.GTIN != "" || f.Batch != "" {
		sel := tracegate.Selector{GTIN: f.GTIN, Batch: f.Batch}
		if err := sel.Validate(""); err != nil {
			return nil, err
		}
		f.GTIN, f.Batch = sel.GTIN, sel.Batch
	}
	f.Party = 0
	if p.Role != tracegate.RoleRegulator {
		f.Party = p.EnterpriseID
	}
	return s.store.RiskLabOrders(ctx, f)
}

// RecordLabResults records the results rs of order id by p, who must be
// the order's lab (anyone else: ENOTFOUND); a failed result becomes a
// lab_test signal at the lab's severity, scored and warned like any. It
// fails as CheckResults, nothing stored.
func (s *Service) RecordLabResults(ctx context.Context, p tracegate.Principal, id int64, rs []*LabResult) (*LabOrder, []Change, error) {
	o, err := s.store.RiskLabOrder(ctx, id)
	if err == nil && o.LabID != p.EnterpriseID {
		err = tracegate.Errorf(tracegate.ENOTFOUND, "no lab order %d", id)
	}
	if err != nil {
		return nil, nil, err
	}
	if err := CheckResults(o, rs); err != nil {
		return nil, nil, err
	}
	for _, r := range rs {
		r.Order, r.Lab = o.ID, o.Lab
	}
	mon, err := s.monitor(ctx)
	if err != nil {
		return nil, nil, err
	}
	if mon == "" {
		mon = o.Lab
	}
	cfg := s.Config()
	chs, err := s.store.RecordRiskLabResults(ctx, o, rs, cfg, mon)
	if err != nil {
		return nil, nil, err
	}
	s.changed(cfg, chs)
	o, err = s.LabOrder(ctx, p, id)
	return o, chs, err
}

// LabReport returns the report id of order's results to p (who sees the
// order), with its data.
func (s *Service) LabReport(ctx context.Context, p tracegate.Principal, order, id int64) (*Attachment, error) {
	if _, err := s.LabOrder(ctx, p, order); err != nil {
		return nil, err
	}
	return s.store.RiskLabReport(ctx, order, id)
}

// SetPreListing stores whether platform p requires a passed pre-listing
// inspection before its orders' goods are dispatched.
func (s *Service) SetPreListing(ctx context.Context, p tracegate.Principal, required bool) error {
	if p.Role != tracegate.RolePlatform {
		return &tracegate.Error{Code: tracegate.EFORBIDDEN, Message: "the pre-listing setting is a platform's"}
	}
	return s.store.SetRiskPreListing(ctx, p.EnterpriseID, required)
}

// PreListing returns platform p's setting.
func (s *Service) PreListing(ctx context.Context, p tracegate.Principal) (bool, error) {
	return s.store.RiskPreListing(ctx, p.EnterpriseID)
}

// DispatchRefusal is label.PreListing: for a dispatch on an order of the
// platform whose customs code is ebpCode, a function naming why a batch
// may not leave ("" when it may). Nothing is refused when the platform
// does not require a pre-listing inspection; when it does, a batch the
// credit level of its filer samples (every batch of an ungraded filer)
// needs a passed pre-listing lab order, its latest reported one.
func (s *Service) DispatchRefusal(ctx context.Context, ebpCode string) (func(gtin, batch string) (string, error), error) {
	platform, required, err := s.store.RiskPreListingByCode(ctx, strings.TrimSpace(ebpCode))
	if err != nil || !required {
		return nil, err
	}
	return func(gtin, batch string) (string, error) {
		sm, err := s.sampling(ctx, gtin, batch)
		if err != nil {
			return "", err
		}
		if sm != nil && !sm.Sampled {
			return "", nil
		}
		st, err := s.store.RiskLotInspection(ctx, gtin, batch)
		if err != nil || st == LabPassed {
			return "", err
		}
		why := "has no reported pre-listing inspection"
		if st == LabFailed {
			why = "failed its latest pre-listing inspection"
		}
		return "GTIN " + gtin + " batch " + batch + " " + why + ": platform " + platform + " requires a passed one before dispatch", nil
	}, nil
}
