package web

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"tracegate"
)

// TestCustomsCodesAndHandlingsOverHTTP: an enterprise claims its codes and a
// regulator confirms them (only confirmed codes count, one enterprise per
// code); a seller authorises its warehouse, which may then bind the labels
// the seller requested, and both see the relation (issue 19).
func TestCustomsCodesAndHandlingsOverHTTP(t *testing.T) {
	stores(t, func(t *testing.T, s Store) {
		f := newFixture(t, s)
		seller, sk := f.newEnterprise(t, 4, tracegate.RoleEcommerce)
		sid := strconv.FormatInt(seller.ID, 10)
		reg, wh, pl := f.keys[tracegate.RoleRegulator], f.keys[tracegate.RoleWarehouse], f.keys[tracegate.RolePlatform]
		codes := "/api/enterprises/" + sid + "/customs-codes"
		for _, c := range []struct {
			name, key, body string
			status          int
			want            string
		}{
			{"claim", sk, `{"code":"4401960777","kind":"ebc"}`, 201, `"status":"claimed"`},
			{"lower case", sk, `{"code":"4401w60777","kind":"ebc"}`, 400, `"pointer":"/code"`},
			{"nine characters", sk, `{"code":"440196077","kind":"ebc"}`, 400, `"pointer":"/code"`},
			{"unknown kind", sk, `{"code":"4401960778","kind":"seller"}`, 400, `"pointer":"/kind"`},
			{"another's code", sk, `{"code":"4401630300","kind":"area"}`, 409, ""},
			{"for another enterprise", pl, `{"code":"4401960779","kind":"ebc"}`, 403, ""},
			{"set by a regulator", reg, `{"code":"4401960780","kind":"agent"}`, 201, `"status":"confirmed"`},
		} {
			w := f.do("POST", codes, c.key, "application/json", c.body)
			if w.Code != c.status || !strings.Contains(w.Body.String(), c.want) {
				t.Errorf("%s: %d %s; want %d with %s", c.name, w.Code, w.Body, c.status, c.want)
			}
		}
		if w := f.do("POST", "/api/customs-codes/4401960777/confirm", sk, "", ""); w.Code != 403 {
			t.Fatalf("self-confirmation = %d; want 403", w.Code)
		}
		if w := f.do("POST", "/api/customs-codes/4401960777/confirm", reg, "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"status":"confirmed"`) {
			t.Fatalf("confirm = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", codes, sk, "", ""); w.Code != 200 || strings.Count(w.Body.String(), `"status":"confirmed"`) != 2 {
			t.Fatalf("own codes = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", codes, pl, "", ""); w.Code != 403 {
			t.Fatalf("another's codes = %d; want 403", w.Code)
		}
		if w := f.do("DELETE", codes+"/4401960780", sk, "", ""); w.Code != 204 {
			t.Fatalf("delete own code = %d %s", w.Code, w.Body)
		}

		// The warehouse binds the seller's labels only once authorised.
		prod := f.fileProductOf(t, seller.ID, "9421902960031")
		labels := f.requestLabels(t, sk, 2)
		intake := jsonBody(map[string]any{"codes": labels, "gtin": prod.GTIN, "batch": "B1"})
		if w := f.do("POST", "/api/labels/intake", wh, "application/json", intake); w.Code != http.StatusBadRequest {
			t.Fatalf("intake before the relation = %d %s; want 400 (no filing it may handle)", w.Code, w.Body)
		}
		whID := strconv.FormatInt(f.ents[tracegate.RoleWarehouse].ID, 10)
		handlers := "/api/enterprises/" + sid + "/handlers"
		if w := f.do("POST", handlers, wh, "application/json", `{"handlerId":`+whID+`}`); w.Code != 403 {
			t.Fatalf("the warehouse authorising itself = %d; want 403", w.Code)
		}
		if w := f.do("POST", handlers, sk, "application/json", `{"handlerUscc":"`+f.ents[tracegate.RoleWarehouse].USCC+`"}`); w.Code != 201 {
			t.Fatalf("grant = %d %s", w.Code, w.Body)
		}
		if w := f.do("POST", handlers, sk, "application/json", `{"handlerId":999999}`); w.Code != 400 {
			t.Fatalf("grant to nobody = %d %s", w.Code, w.Body)
		}
		for _, key := range []string{sk, wh, reg} {
			id := sid
			if key == wh {
				id = whID
			}
			if w := f.do("GET", "/api/enterprises/"+id+"/handlings", key, "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"clientId":`+sid) {
				t.Fatalf("handlings seen by a party = %d %s", w.Code, w.Body)
			}
		}
		if w := f.do("GET", "/api/enterprises/"+sid+"/handlings", pl, "", ""); w.Code != 403 {
			t.Fatalf("handlings seen by another = %d; want 403", w.Code)
		}
		if w := f.do("POST", "/api/labels/intake", wh, "application/json", intake); w.Code != http.StatusOK {
			t.Fatalf("intake of the client's labels = %d %s", w.Code, w.Body)
		}
		if w := f.do("GET", "/api/labels/"+labels[0], wh, "", ""); w.Code != http.StatusOK {
			t.Fatalf("the warehouse holding the label reads it: %d %s", w.Code, w.Body)
		}
		if w := f.do("DELETE", handlers+"/"+whID, wh, "", ""); w.Code != 403 {
			t.Fatalf("the handler revoking = %d; want 403", w.Code)
		}
		if w := f.do("DELETE", handlers+"/"+whID, sk, "", ""); w.Code != 204 {
			t.Fatalf("revoke = %d %s", w.Code, w.Body)
		}
		if w := f.do("DELETE", handlers+"/"+whID, sk, "", ""); w.Code != 404 {
			t.Fatalf("revoke again = %d; want 404", w.Code)
		}
		unbind := `{"codes":["` + labels[1] + `"],"of":"intake","reason":"错贴"}`
		if w := f.do("POST", "/api/labels/unbind", wh, "application/json", unbind); w.Code != http.StatusNotFound {
			t.Fatalf("unbind after the relation ended = %d %s; want 404", w.Code, w.Body)
		}
	})
}
