// Package gen generates benchmark data straight into a store.
package gen

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"tracegate"
	"tracegate/customs"
	"tracegate/gs1"
	"tracegate/risk"
)

// DeclarationStore is what Declarations writes to.
type DeclarationStore interface {
	tracegate.EnterpriseStore
	tracegate.ProductStore
	customs.Store
	risk.BulkLoader
}

// DeclarationsConfig shapes the generated declarations; zero fields take
// the defaults in brackets.
type DeclarationsConfig struct {
	Seed        uint64
	Lines       int     // declared lines [1,000,000]
	GTINs       int     // distinct GTINs [50,000]
	Enterprises int     // declaring e-commerce enterprises [200]
	Zipf        float64 // exponent of GTIN popularity [1.0]
	// Misdeclared is the share of lines misdeclared [0.03]: half of them
	// under-declared in price, a quarter under another HS code, a quarter
	// with another specification or unit.
	Misdeclared float64
	Start       time.Time // first declaration day [2026-01-01 CST]
	Days        int       // days the declarations spread over [365]
}

func (c *DeclarationsConfig) defaults() {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.Lines, 1_000_000)
	def(&c.GTINs, 50_000)
	def(&c.Enterprises, 200)
	def(&c.Days, 365)
	c.GTINs = min(c.GTINs, c.Lines)
	if c.Zipf <= 0 {
		c.Zipf = 1
	}
	if c.Misdeclared <= 0 {
		c.Misdeclared = 0.03
	}
	if c.Start.IsZero() {
		c.Start = time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	}
}

// DeclarationsStats says what was generated.
type DeclarationsStats struct {
	Lines, Declarations, GTINs, Filed int
	UnderPriced, OtherHS, OtherSpec   int
	OtherDeclarant, OtherOrigin       int
}

// origins are the countries goods come from, with the GS1 prefixes their
// brands' numbers start with and their customs country codes.
var origins = []struct {
	prefix, code string
	weight       float64
}{
	{"49", "116", 22}, {"880", "133", 14}, {"40", "304", 10}, {"30", "305", 9}, {"0", "502", 12}, {"93", "601", 9},
	{"94", "609", 6}, {"80", "307", 6}, {"50", "303", 4}, {"76", "331", 3}, {"87", "309", 3}, {"690", "142", 2},
}

var brands = []string{"Kao", "Shiseido", "a2", "Swisse", "Blackmores", "Nivea", "Lancome", "Meiji", "Lion", "Bioderma", "Aptamil", "Comvita"}

type product struct {
	gtin   int64
	owner  int // enterprise index
	filed  bool
	hs     int64
	price  float64 // fen
	gmodel string
	unit   int64
	origin int64
	odd    bool // declares another origin in some lines (prefix_origin)
	lines  int
}

// Declarations writes cfg.Lines declared lines into s (plus their
// declaration heads, the enterprises that declare them, their approved
// filings, and the demo tariff when none is loaded), reproducibly from
// cfg.Seed: GTIN popularity Zipf-distributed, prices log-normal per GTIN
// with a few percent noise, and cfg.Misdeclared of the lines misdeclared.
// progress, when not nil, is called with the lines written. The store
// should be fresh: enterprises already present make it fail with
// ECONFLICT.
func Declarations(ctx context.Context, s DeclarationStore, cfg DeclarationsConfig, progress func(done, total int64)) (DeclarationsStats, error) {
	cfg.defaults()
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	var st DeclarationsStats
	hsCodes, err := tariffHS(ctx, s)
	if err != nil {
		return st, err
	}
	ents, err := enterprises(ctx, s, cfg)
	if err != nil {
		return st, err
	}
	prods := products(rng, cfg, hsCodes)
	st.GTINs = len(prods)
	// Declarations: a contiguous range of IDs per enterprise, sized by the
	// lines of the goods it sells (1.5 lines a declaration).
	perEnt := make([]int, len(ents))
	for _, p := range prods {
		perEnt[p.owner] += p.lines
	}
	err = s.LoadGeneratedLines(ctx, func(w risk.BulkWriter) error {
		var err error
		if st.Filed, err = fileProducts(w, prods, ents, cfg.Seed); err != nil {
			return err
		}
		first := w.FirstDeclarationID()
		start := make([]int64, len(ents)+1)
		start[0] = first
		for i, n := range perEnt {
			start[i+1] = start[i] + int64(n*2/3+1)
		}
		gnums := make([]uint8, start[len(ents)]-first)
		at := func(id int64) time.Time {
			x := uint64(id)*0x9e3779b97f4a7c15 ^ cfg.Seed
			x ^= x >> 31
			return cfg.Start.Add(time.Duration(x%uint64(cfg.Days*86400)) * time.Second).UTC()
		}
		for e := range ents {
			for id := start[e]; id < start[e+1]; id++ {
				d := risk.GeneratedDeclaration{ID: id, EbpCode: fmt.Sprintf("33019600%02d", id%7), OrderNo: fmt.Sprintf("G%d-%010d", cfg.Seed, id),
					USCC: ents[e].USCC, DeclaredAt: at(id)}
				if err := w.Declaration(d); err != nil {
					return err
				}
			}
		}
		seen := map[int64]bool{}
		var done int64
		type pick struct {
			id  int64
			ent int
		}
		var picks []pick
		for _, p := range prods { // in GTIN order
			picks = picks[:0]
			for range p.lines {
				e := p.owner
				if rng.Float64() < 0.01 { // sold by another enterprise (filed_by_other)
					e = rng.IntN(len(ents))
				}
				picks = append(picks, pick{start[e] + rng.Int64N(start[e+1]-start[e]), e})
			}
			slices.SortFunc(picks, func(a, b pick) int { return int(a.id - b.id) })
			for _, k := range picks {
				l := risk.Line{GTIN: p.gtin, DeclarationID: k.id, HS: p.hs, Unit: p.unit, Origin: p.origin, Declarant: ents[k.ent].ID,
					DeclaredAt: at(k.id).Unix()}
				price := p.price * (1 + 0.04*rng.NormFloat64())
				gmodel := p.gmodel
				if k.ent != p.owner {
					st.OtherDeclarant++
				}
				if r := rng.Float64(); r < cfg.Misdeclared/2 {
					price *= 0.15 + 0.35*rng.Float64()
					st.UnderPriced++
				} else if r < cfg.Misdeclared*3/4 {
					l.HS = hsCodes[rng.IntN(len(hsCodes))]
					st.OtherHS++
				} else if r < cfg.Misdeclared {
					if rng.IntN(2) == 0 {
						gmodel += " 赠品装"
					} else {
						l.Unit = 7
					}
					st.OtherSpec++
				}
				if p.odd && rng.Float64() < 0.3 {
					l.Origin = 142
					st.OtherOrigin++
				}
				qty := int64(1 + rng.IntN(3))
				l.Price = max(1, int64(math.Round(price)))
				l.Total = l.Price * qty
				l.Spec = risk.SpecHash(gmodel)
				if !seen[l.Spec] {
					seen[l.Spec] = true
					if err := w.Spec(l.Spec, gmodel); err != nil {
						return err
					}
				}
				g := &gnums[k.id-first]
				*g++
				if err := w.Line(l, int(*g)); err != nil {
					return err
				}
				done++
				if progress != nil && done%100_000 == 0 {
					progress(done, int64(cfg.Lines))
				}
			}
		}
		st.Lines, st.Declarations = int(done), int(start[len(ents)]-first)
		return nil
	})
	if progress != nil {
		progress(int64(st.Lines), int64(st.Lines))
	}
	return st, err
}

// tariffHS loads the demo tariff when the store has none, and returns the
// 10-digit HS codes its rates name (8-digit lines get "00").
func tariffHS(ctx context.Context, s DeclarationStore) ([]int64, error) {
	tables, err := s.CustomsTables(ctx)
	if err != nil {
		return nil, err
	}
	csv := ""
	for _, t := range tables {
		if t.Kind == customs.TableTariff {
			csv = t.CSV
		}
	}
	if csv == "" {
		csv = customs.DemoTables().TariffCSV
		rates, err := customs.ParseTariffCSV(strings.NewReader(csv))
		if err != nil {
			return nil, err
		}
		if err := s.SaveCustomsTable(ctx, &customs.TableVersion{Kind: customs.TableTariff, Rows: len(rates), CSV: csv}); err != nil {
			return nil, err
		}
	}
	rates, err := customs.ParseTariffCSV(strings.NewReader(csv))
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, r := range rates {
		out = append(out, risk.CodeNumber((r.HS + "00")[:10], 0))
	}
	if len(out) == 0 {
		return nil, tracegate.Invalidf("", "the tariff table in force has no rates")
	}
	return out, nil
}

func enterprises(ctx context.Context, s DeclarationStore, cfg DeclarationsConfig) ([]*tracegate.Enterprise, error) {
	out := make([]*tracegate.Enterprise, cfg.Enterprises+1)
	for i := range out {
		body := fmt.Sprintf("91330100GN%03d%04d", cfg.Seed%1000, i)
		c, err := tracegate.USCCCheckChar(body)
		if err != nil {
			return nil, err
		}
		e := &tracegate.Enterprise{USCC: body + string(c), Name: fmt.Sprintf("跨境电商 %d", i), Roles: []tracegate.Role{tracegate.RoleEcommerce}}
		if i == cfg.Enterprises {
			e.Name, e.Roles = "生成数据 海关", []tracegate.Role{tracegate.RoleRegulator}
		}
		if err := s.CreateEnterprise(ctx, e); err != nil {
			return nil, fmt.Errorf("gen: enterprise %s: %w", e.USCC, err)
		}
		out[i] = e
	}
	return out, nil
}

// products draws the GTINs (sorted), their owners, HS codes, prices,
// specifications and line counts.
func products(rng *rand.Rand, cfg DeclarationsConfig, hsCodes []int64) []product {
	var wsum float64
	for _, o := range origins {
		wsum += o.weight
	}
	seen := map[int64]bool{}
	prods := make([]product, 0, cfg.GTINs)
	for len(prods) < cfg.GTINs {
		r, oi := rng.Float64()*wsum, 0
		for r > origins[oi].weight {
			r -= origins[oi].weight
			oi++
		}
		o := origins[oi]
		payload := o.prefix
		for len(payload) < 12 {
			payload += string(rune('0' + rng.IntN(10)))
		}
		cd, _ := gs1.CheckDigit(payload)
		g := risk.CodeNumber(payload+string(cd), 0)
		if seen[g] {
			continue
		}
		seen[g] = true
		size := []int{30, 50, 100, 200, 400, 900}[rng.IntN(6)]
		prods = append(prods, product{gtin: g, owner: int(math.Min(float64(cfg.Enterprises-1), math.Floor(float64(cfg.Enterprises)*rng.Float64()*rng.Float64()))),
			filed: rng.Float64() >= 0.05, hs: hsCodes[rng.IntN(len(hsCodes))], price: math.Exp(math.Log(15000) + 0.8*rng.NormFloat64()),
			gmodel: fmt.Sprintf("%s %dml/瓶", brands[rng.IntN(len(brands))], size), unit: 142, origin: risk.CodeNumber(o.code, -1),
			odd: rng.Float64() < 0.01})
	}
	// Popularity: Zipf over a random ranking.
	rank := rng.Perm(len(prods))
	var norm float64
	for i := range prods {
		norm += math.Pow(float64(i+1), -cfg.Zipf)
	}
	for i := range prods {
		prods[i].lines = max(1, int(math.Round(float64(cfg.Lines)*math.Pow(float64(rank[i]+1), -cfg.Zipf)/norm)))
	}
	slices.SortFunc(prods, func(a, b product) int { return int(a.gtin - b.gtin) })
	return prods
}

// fileProducts writes the approved filings of the products marked filed,
// under their owners, and returns how many.
func fileProducts(w risk.BulkWriter, prods []product, ents []*tracegate.Enterprise, seed uint64) (int, error) {
	n := 0
	for _, p := range prods {
		if !p.filed {
			continue
		}
		brand := strings.Fields(p.gmodel)[0]
		fp := &tracegate.Product{GTIN: risk.GTINString(p.gtin), OwnerID: ents[p.owner].ID, Name: p.gmodel, NameZH: p.gmodel,
			Brand: brand, Specification: p.gmodel, HSCode: risk.HSString(p.hs), OriginCountry: isoOf(p.origin), Manufacturer: brand,
			FilingNumber: fmt.Sprintf("GEN%d-%s", seed, risk.GTINString(p.gtin)), Status: tracegate.FilingApproved}
		if err := fp.Validate(); err != nil {
			return n, fmt.Errorf("gen: filing %s: %w", fp.GTIN, err)
		}
		if err := w.Filing(fp); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func isoOf(code int64) string {
	c, _ := customs.LookupCountry(risk.CodeString(code))
	return c.ISO
}
