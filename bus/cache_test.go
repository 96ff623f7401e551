package bus

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestInvalidations(t *testing.T) {
	ctx := context.Background()
	b := NewMemory()
	defer b.Close()
	keys := make(chan Invalidation, 10)
	all := make(chan Invalidation, 10)
	u1, err := SubscribeInvalidations(ctx, b, "apikey", func(inv Invalidation) { keys <- inv })
	if err != nil {
		t.Fatal(err)
	}
	defer u1()
	u2, err := SubscribeInvalidations(ctx, b, "", func(inv Invalidation) { all <- inv })
	if err != nil {
		t.Fatal(err)
	}
	defer u2()
	for _, kind := range []string{"apikey", "measure"} {
		m, err := InvalidationMessage(kind, "k1", "k2")
		if err != nil {
			t.Fatal(err)
		}
		if m.Subject != "tracegate.cache."+kind {
			t.Errorf("InvalidationMessage(%q).Subject = %q", kind, m.Subject)
		}
		if err := b.Publish(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	got := func(ch chan Invalidation) string {
		select {
		case inv := <-ch:
			return fmt.Sprint(inv.Kind, inv.Keys)
		case <-time.After(2 * time.Second):
			return "nothing"
		}
	}
	if g := got(keys); g != "apikey[k1 k2]" {
		t.Errorf("the apikey subscriber got %s, want apikey[k1 k2]", g)
	}
	if g := got(all); g != "apikey[k1 k2]" {
		t.Errorf("the all-kinds subscriber got %s first, want apikey[k1 k2]", g)
	}
	if g := got(all); g != "measure[k1 k2]" {
		t.Errorf("the all-kinds subscriber got %s second, want measure[k1 k2]", g)
	}
	select {
	case inv := <-keys:
		t.Errorf("the apikey subscriber got %v, want nothing more", inv)
	case <-time.After(100 * time.Millisecond):
	}
	if _, err := InvalidationMessage("a.b"); err == nil {
		t.Error(`InvalidationMessage("a.b") succeeded`)
	}
	if _, err := SubscribeInvalidations(ctx, b, "*", func(Invalidation) {}); err == nil {
		t.Error(`SubscribeInvalidations("*") succeeded`)
	}
}
