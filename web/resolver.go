package web

import (
	"errors"
	"net/http"
	"strings"

	"tracegate"
	"tracegate/gs1"
)

// resolverKeys are the Digital Link primary keys this server resolves: one
// route each, "GET /<ai>/{path...}".
var resolverKeys = []string{"00", "01", "253", "255", "401", "402", "414", "417", "8003", "8004", "8006", "8010", "8013", "8017", "8018"}

// linkTypeVocab is the GS1 Web Vocabulary namespace of link types.
const linkTypeVocab = "https://gs1.org/voc/"

// resolverLink is one link the resolver offers for an identifier.
type resolverLink struct {
	Type     string   // "gs1:pip"
	Href     string   // relative to this server
	Title    string   // bilingual
	MIME     string   // the target's media type
	HrefLang []string // languages of the target
}

// handleResolve answers a GS1 Digital Link URI (RFC 9264 linksets,
// GS1-Conformant resolver behaviour): 400 naming the broken rule for an
// invalid URI, 404 for an identifier nothing is known about, the linkset for
// linkType=all or Accept: application/linkset+json, and the link asked for
// by linkType (default: the product information page).
func (s *Server) handleResolve(w http.ResponseWriter, r *http.Request) {
	parser := gs1.Parser{PermitZeroSuppressedGTIN: true}
	dl, err := parser.ParseDigitalLink(s.requestURI(r))
	if err != nil {
		s.writeError(w, r, digitalLinkError(err))
		return
	}
	links, products, err := s.resolverLinks(r, dl)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	anchor := dl.URI(s.publicBase)
	w.Header().Add("Link", "<"+anchor+"?linkType=linkset>; rel=\"linkset\"; type=\"application/linkset+json\"")
	linkType, _ := dl.Param("linkType")
	if linkType == "all" || linkType == "linkset" || (linkType == "" && acceptsLinkset(r)) {
		writeLinkset(w, anchor, s.publicBase, links)
		return
	}
	if linkType == "" {
		linkType = "gs1:pip" // the default link
	}
	linkType = strings.TrimPrefix(linkType, linkTypeVocab)
	if !strings.HasPrefix(linkType, "gs1:") {
		linkType = "gs1:" + linkType
	}
	for _, l := range links {
		if l.Type == linkType {
			s.serveProductPage(w, r, products)
			return
		}
	}
	types := make([]string, len(links))
	for i, l := range links {
		types[i] = l.Type
	}
	s.writeError(w, r, tracegate.Errorf(tracegate.ENOTFOUND, "no link of type %s for %s; available: %s", linkType, dl.ElementString(), strings.Join(types, ", ")))
}

// resolverLinks lists the links that exist for dl, with the product filings
// they rest on. A GTIN with an approved filing has a product information page; a brand's
// serialised or batch Digital Link (/01/{gtin}/10/{lot}, /21/{serial})
// resolves, as GS1 resolvers do, to its GTIN's links. (tracegate's own
// labels resolve at /l/{code}.)
func (s *Server) resolverLinks(r *http.Request, dl *gs1.DigitalLink) ([]resolverLink, []*tracegate.Product, error) {
	if dl.PrimaryKey.AI != "01" {
		return nil, nil, tracegate.Errorf(tracegate.ENOTFOUND, "nothing is recorded for %s", dl.ElementString())
	}
	// The public page rests on approved filings only: what an enterprise
	// filed but no regulator approved is not shown to the public as fact.
	products, err := s.products.ListProducts(r.Context(), tracegate.ProductFilter{GTIN: dl.PrimaryKey.Value,
		Status: tracegate.FilingApproved, Limit: 100})
	if err != nil {
		return nil, nil, err
	}
	if len(products) == 0 {
		return nil, nil, tracegate.Errorf(tracegate.ENOTFOUND, "no product with GTIN %s is filed here", dl.PrimaryKey.Value)
	}
	pip, ok := productPageLink(dl.PrimaryKey.Value)
	if !ok {
		return nil, nil, tracegate.Errorf(tracegate.ENOTFOUND, "nothing is recorded for %s", dl.ElementString())
	}
	return []resolverLink{pip}, products, nil
}

// productPageLink is the gs1:pip link of a GTIN: its relative Digital Link
// (gs1.BuildURI) asking for the product information page; false when gtin
// is no valid GTIN.
func productPageLink(gtin string) (resolverLink, bool) {
	u, err := gs1.BuildURI("", []gs1.AIValue{{AI: "01", Value: gtin}})
	if err != nil {
		return resolverLink{}, false
	}
	return resolverLink{Type: "gs1:pip", Href: u + "?linkType=gs1:pip", Title: "商品信息 / Product information", MIME: "text/html", HrefLang: []string{"zh", "en"}}, true
}

// writeLinkset answers an RFC 9264 linkset whose relation types are the GS1
// Web Vocabulary URIs of the link types.
func writeLinkset(w http.ResponseWriter, anchor, base string, links []resolverLink) {
	ctx := map[string]any{"anchor": anchor}
	for _, l := range links {
		rel := linkTypeVocab + strings.TrimPrefix(l.Type, "gs1:")
		ctx[rel] = append(asTargets(ctx[rel]), map[string]any{"href": base + l.Href, "title": l.Title, "type": l.MIME, "hreflang": l.HrefLang})
	}
	if len(links) > 0 {
		ctx[linkTypeVocab+"defaultLink"] = []map[string]any{{"href": base + links[0].Href, "title": links[0].Title}}
	}
	w.Header().Set("Content-Type", "application/linkset+json")
	writeJSONRaw(w, http.StatusOK, map[string]any{"linkset": []any{ctx}})
}

func asTargets(v any) []map[string]any {
	t, _ := v.([]map[string]any)
	return t
}

// digitalLinkError turns a gs1 parse failure into a 400 that names the AI
// and the rule; the pointer is the AI's path segment.
func digitalLinkError(err error) error {
	var ge *gs1.Error
	if errors.As(err, &ge) {
		ptr := ""
		if ge.AI != "" {
			ptr = "/" + ge.AI
		}
		return &tracegate.Error{Code: tracegate.EINVALID, Pointer: ptr, Message: ge.Error(), Err: err}
	}
	return tracegate.Invalidf("", "invalid Digital Link: %v", err)
}

// acceptsLinkset reports whether the client prefers a linkset.
func acceptsLinkset(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/linkset+json")
}

// requestURI is the absolute URI of r on the public origin (never on the
// client's Host header), as a Digital Link parser wants it.
func (s *Server) requestURI(r *http.Request) string {
	u := s.publicBase + r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return u
}
