// Package web is tracegate's HTTP adapter: routes, one handler per file,
// middleware (request IDs, access logs, metrics, authentication, body
// limits), the error → status table that answers RFC 9457 problem+json, and
// the OpenAPI 3.1 document of the API.
//
// Authorization decisions live in authz.go and nowhere else: each route
// declares a policy, and the resource-level rules (who sees which
// declaration, label, buyer, credit record or complaint, and what a
// regulator sees beyond, seesAll) are functions there that handlers call.
// Authentication — which principal a key is — is auth.go's. The scan
// use-case is label.Resolver's: web decodes the request, asks authz.go's
// rules and renders the answer.
//
// SPEC: https://www.rfc-editor.org/rfc/rfc9457 (problem details)
// SPEC: https://spec.openapis.org/oas/v3.1.0
package web
